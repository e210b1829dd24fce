import { describe, expect, test } from 'vitest';
import { layer, run, spots } from './rule-test-kit';

describe('IL1002 COPY --chmod instead of a chmod RUN', () => {
  test('a chmod of a file an earlier COPY put there is reported at chmod', async () => {
    expect(
      await spots(
        'IL1002',
        'FROM debian:12\nCOPY entrypoint.sh /entrypoint.sh\nRUN chmod +x /entrypoint.sh\n',
      ),
    ).toEqual(['3:5']);
    expect(
      await spots('IL1002', 'FROM debian:12\nCOPY a.sh b.sh /app/scripts/\nRUN chmod +x /app/scripts/b.sh\n'),
    ).toEqual(['3:5']);
  });
  test('a chmod of a path no COPY made passes', async () => {
    expect(
      await spots('IL1002', 'FROM debian:12\nCOPY a /a\nRUN chmod go+r /etc/apt/keyrings/k.gpg\n'),
    ).toEqual([]);
  });
  test('in a layer it says to commit the mode in git: COPY --chmod is BuildKit-only there (IL1009)', async () => {
    const found = await run(
      'IL1002',
      layer({ name: 'tools', text: 'COPY run.sh /run.sh\nRUN chmod +x /run.sh\n' }),
    );
    expect(found.map((f) => f.at)).toEqual(['tools:2:5']);
    expect(found[0]!.message).toContain('commit the mode in git');
    expect(found[0]!.message).not.toContain('use COPY --chmod');
  });
});
