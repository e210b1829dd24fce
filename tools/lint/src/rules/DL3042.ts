import { atWord, commands, defineRule, hit, stageInstructions } from '../rule';
import { isPipInstall, isPipWrapper } from './pip';

const TRUTHY = /^(1|true|on|yes)$/i;

export const DL3042 = defineRule({
  code: 'DL3042',
  severity: 'warning',
  doc: '`pip install` must not keep its cache in the image (--no-cache-dir or PIP_NO_CACHE_DIR).',
  message: 'Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`',
  *check({ doc }) {
    // Stages (and the stages built FROM them) whose ENV sets PIP_NO_CACHE_DIR to a true value.
    const noCache = new Set<number>();
    for (const env of stageInstructions(doc, 'ENV')) {
      const value =
        /(?:^|\s)PIP_NO_CACHE_DIR[=\s]+["']?([^"'\s]*)/.exec(env.node.getArgumentsContent() ?? '')?.[1] ?? '';
      if (TRUTHY.test(value)) noCache.add(env.stage);
    }
    doc.stages.forEach((stage, index) => {
      const parent = doc.stages.findIndex(
        (other, i) => i < index && other.alias?.toLowerCase() === stage.from.getImageName()?.toLowerCase(),
      );
      if (parent !== -1 && noCache.has(parent)) noCache.add(index);
    });
    for (const { instruction, run, command } of commands(doc)) {
      if (noCache.has(instruction.stage) || !isPipInstall(command) || isPipWrapper(command)) continue;
      if (command.args.some((arg) => arg.value === '--no-cache-dir')) continue;
      if (/PIP_NO_CACHE_DIR=["']?(1|true|on|yes)\b/i.test(run.shell.source)) continue;
      yield hit(atWord(run, command.word));
    }
  },
});
