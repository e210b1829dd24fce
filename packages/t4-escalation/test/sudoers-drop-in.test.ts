import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { layerFile, makeTempDir, requireTool, runScript } from '@image-layers/testing';

// The drop-in grants uid 1000 a path to root on purpose (tier-4 workspaces); these tests pin it to exactly that.
const dropIn = layerFile('t4-escalation', 'sudoers.d/agent-t4');

describe('the sudoers drop-in sudoers.d/agent-t4', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir('t4-sudoers-');
  });
  afterEach(() => temp.cleanup());

  const visudoCheck = (file: string) => runScript(requireTool('visudo'), ['-cf', file]);

  it('is exactly `agent ALL=(ALL) NOPASSWD:ALL` and a newline, nothing more', () => {
    expect(readFileSync(dropIn, 'utf8')).toBe('agent ALL=(ALL) NOPASSWD:ALL\n');
  });

  it('has LF line endings only', () => {
    expect(readFileSync(dropIn, 'utf8')).not.toContain('\r');
  });

  it('passes the real visudo -cf, the check the build runs', async () => {
    const check = await visudoCheck(dropIn);

    expect(check.exitCode, check.stderr).toBe(0);
    expect(check.stdout).toContain('parsed OK');
  });

  it.each([
    ['a missing colon after NOPASSWD', 'agent ALL=(ALL) NOPASSWD ALL\n'],
    ['an unclosed run-as list', 'agent ALL=(ALL NOPASSWD:ALL\n'],
    ['a user list without a host', 'agent NOPASSWD:ALL\n'],
  ])(
    'fails visudo -cf when corrupted with %s, so the build check can really fail',
    async (_what, content) => {
      const corrupted = join(temp.path, 'agent-t4');
      writeFileSync(corrupted, content);

      const check = await visudoCheck(corrupted);

      expect(check.exitCode).not.toBe(0);
      expect(check.stderr).toContain('syntax error');
    },
  );
});
