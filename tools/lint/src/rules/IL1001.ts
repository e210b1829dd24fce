import { atWord, defineRule, hit, is, runs } from '../rule';
import type { ShellCommand } from '../shell';
import { isPipInstall } from './pip';

/** Commands that install or download something the image needs. */
export function isInstallStep(command: ShellCommand): boolean {
  return (
    is(command, ['apt-get', 'apt', 'apk', 'yum', 'dnf', 'microdnf', 'zypper'], 'install', 'add') ||
    is(
      command,
      ['npm', 'pnpm', 'yarn', 'gem', 'cargo', 'go', 'pipx', 'conda', 'mamba', 'uv'],
      'install',
      'i',
      'ci',
      'add',
    ) ||
    isPipInstall(command) ||
    command.name === 'curl' ||
    command.name === 'wget'
  );
}

/** Fallbacks that turn a failure into success: `|| true`, `|| :`, `|| exit 0`, `|| echo ...`. */
const SWALLOWS = /^(true|:|exit\s+0|echo\b.*|printf\b.*)$/s;

export const IL1001 = defineRule({
  code: 'IL1001',
  severity: 'error',
  doc: 'An install or download step must fail the build when it fails (no `|| true`, `2>/dev/null || true`).',
  message:
    'This install step swallows its failure, so the image can ship without what it installs; let it fail the build',
  *check({ doc }) {
    for (const { run } of runs(doc)) {
      for (const fallback of run.shell.fallbacks) {
        if (!SWALLOWS.test(fallback.fallback)) continue;
        const step = fallback.guarded.find(isInstallStep);
        if (step)
          yield hit(
            atWord(run, step.word),
            `\`${step.name} ${step.args[0]?.value ?? ''}\`'s failure is swallowed by \`|| ${fallback.fallback}\`: a failed install would ship an image without it; let it fail the build`,
          );
      }
    }
  },
});
