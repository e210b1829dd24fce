import { defineRule, hit } from '../rule';

export const DL4006 = defineRule({
  code: 'DL4006',
  severity: 'warning',
  doc: 'A RUN with a pipe needs SHELL ["/bin/bash", "-o", "pipefail", "-c"] before it, or a failure in the pipe is lost.',
  message:
    'Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check',
  *check({ doc }) {
    let pipefail = false;
    for (const instruction of doc.instructions) {
      if (instruction.keyword === 'FROM') pipefail = false;
      if (instruction.keyword === 'SHELL') {
        let words: string[] = [];
        try {
          words = JSON.parse(instruction.node.getArgumentsContent() ?? '') as string[];
        } catch {
          words = [];
        }
        const shell = (words[0] ?? '').replace(/^.*[\\/]/, '');
        const posix = /^(bash|zsh|ash|sh|dash|ksh)$/.test(shell);
        const hasPipefail =
          /^(bash|zsh|ash)$/.test(shell) &&
          words.some((word, i) => word === 'pipefail' && /^-\w*o$/.test(words[i - 1] ?? ''));
        pipefail = !posix || hasPipefail;
      }
      if (instruction.keyword !== 'RUN' || pipefail || !instruction.run) continue;
      const pipe = instruction.run.shell.pipes[0];
      if (pipe !== undefined) yield hit(instruction.run.at(pipe));
    }
  },
});
