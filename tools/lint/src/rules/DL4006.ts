import type { LintInstruction } from '../document';
import { defineRule, hit } from '../rule';

export const DL4006 = defineRule({
  code: 'DL4006',
  severity: 'warning',
  doc: 'A RUN with a pipe needs SHELL ["/bin/bash", "-o", "pipefail", "-c"] before it, or a failure in the pipe is lost.',
  message:
    'Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check',
  *check({ doc }) {
    let pipefail = false;
    // `ONBUILD RUN` runs in a later build with the SHELL this stage ends with: judged when the stage ends.
    let triggers: LintInstruction[] = [];
    const pipeIn = (run: LintInstruction['run']) => {
      const pipe = pipefail || !run ? undefined : run.shell.pipes[0];
      return pipe === undefined ? undefined : hit(run!.at(pipe));
    };
    for (const instruction of [...doc.instructions, undefined]) {
      if (!instruction || instruction.keyword === 'FROM') {
        for (const trigger of triggers) {
          const found = pipeIn(trigger.run);
          if (found) yield found;
        }
        triggers = [];
        if (!instruction) break;
        pipefail = false;
      }
      if (instruction.trigger?.keyword === 'RUN') triggers.push(instruction.trigger);
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
      const found = instruction.keyword === 'RUN' ? pipeIn(instruction.run) : undefined;
      if (found) yield found;
    }
  },
});
