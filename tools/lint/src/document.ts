import {
  parseDockerfile,
  type DockerfileInstruction,
  type DockerfileModel,
  type DockerfileStage,
} from '@image-layers/manifest/dockerfile-model';
import { lineStarts, positionIn } from '@image-layers/manifest/line-index';
import { runScriptOf, type RunScript } from './run-script';
import { emptyShellScript, parseShell, type ShellScript } from './shell';
import type { Position } from './types';

export const KNOWN_INSTRUCTIONS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

/** A RUN's script, parsed, with a way back from a script offset to the Dockerfile. */
export interface RunShell {
  body: RunScript;
  shell: ShellScript;
  at(offset: number): Position;
}

/** An instruction of the Dockerfile model (manifest/dockerfile-model.ts), with its RUN script parsed. */
export interface LintInstruction extends Omit<DockerfileInstruction, 'trigger' | 'onbuild'> {
  /** The parsed script of a shell-form RUN. */
  run?: RunShell;
  /** Of `ONBUILD X ...`: the instruction X, which runs in the builds that use this image as their base. */
  trigger?: LintInstruction;
  /** Set on a trigger: the ONBUILD that holds it (whose `index` the trigger shares). */
  onbuild?: LintInstruction;
}

export type Stage = DockerfileStage;

export interface Comment {
  line: number;
  /** The text after `#`, trimmed. */
  text: string;
}

export interface LintDocument {
  text: string;
  /** The Dockerfile model the instructions were read from (what rules shared with other tools read). */
  model: DockerfileModel;
  lines: string[];
  instructions: LintInstruction[];
  stages: Stage[];
  /** Comment lines outside instructions (pragmas live here). */
  comments: Comment[];
  /** Whether the text looks like a binary file rather than a Dockerfile. */
  binary: boolean;
  positionAt(offset: number): Position;
  offsetOf(position: Position): number;
  /** The instruction whose lines include `line`, if any. */
  instructionAt(line: number): LintInstruction | undefined;
}

/** Control characters no text file has (tab, newline and carriage return left out) and the UTF-8 replacement character. */
// eslint-disable-next-line no-control-regex
const BINARY_BYTES = /[\u0001-\u0008\u000e-\u001f\ufffd]/g;

/** Parses Dockerfile text (dockerfile-ast never throws) and every RUN body (tree-sitter-bash). */
export function parseDocument(text: string): LintDocument {
  const starts = lineStarts(text);
  const offsetOf = (position: Position) =>
    Math.min((starts[position.line] ?? text.length) + position.column, text.length);
  const positionAt = (offset: number): Position => positionIn(starts, offset);
  const model = parseDockerfile(text);
  const instructions: LintInstruction[] = [];
  const owner: (LintInstruction | undefined)[] = new Array(starts.length);
  const index = {
    text,
    offsetOf: (p: { line: number; character: number }) =>
      Math.min((starts[p.line] ?? text.length) + p.character, text.length),
  };
  /** An instruction (or an ONBUILD's trigger) as the rules see it, with its RUN script parsed. */
  const describe = (node: DockerfileInstruction): LintInstruction => {
    // The lint instruction's trigger and ONBUILD are lint instructions too: set below, not copied from the model.
    const described: LintInstruction = { ...node, trigger: undefined, onbuild: undefined };
    const body = node.keyword === 'RUN' ? runScriptOf(index, node.node, model.escape) : undefined;
    if (body) {
      // Parsed on first use: lintText first asks whether the parser must be loaded for it (shellParserNeeded).
      let shell: ShellScript | undefined;
      const start = { line: node.span.line, character: node.span.column };
      described.run = {
        body,
        get shell() {
          return (shell ??= body.notShell ? emptyShellScript() : readShell(body.script));
        },
        at: (offset) =>
          positionAt(body.origin[Math.min(offset, body.origin.length - 1)] ?? index.offsetOf(start)),
      };
    }
    return described;
  };
  for (const node of model.instructions) {
    const instruction = describe(node);
    if (node.trigger) {
      instruction.trigger = describe(node.trigger);
      instruction.trigger.onbuild = instruction;
    }
    instructions.push(instruction);
    for (let line = instruction.line; line <= instruction.endLine; line++) owner[line] = instruction;
  }
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  // Read from the lines, not from dockerfile-ast's comments: it takes a first-line `# hadolint ...` for a parser directive.
  const comments = lines.flatMap((line, index) => {
    const match = owner[index] ? null : /^\s*#(.*)$/.exec(line);
    return match ? [{ line: index, text: match[1]!.trim() }] : [];
  });
  const binary =
    text.includes('\u0000') || (text.match(BINARY_BYTES)?.length ?? 0) > Math.max(8, text.length / 100);
  return {
    text,
    model,
    lines,
    instructions,
    stages: model.stages,
    comments,
    binary,
    positionAt,
    offsetOf,
    instructionAt: (line) => owner[line],
  };
}

/**
 * A RUN's script, parsed; when the parser itself fails (it runs out of memory, or meets what no test has shown),
 * the RUN is linted as an empty script and IL0001 reports why at its first line, instead of the linter
 * stopping with no report at all.
 */
function readShell(script: string): ShellScript {
  try {
    return parseShell(script);
  } catch (error) {
    return {
      ...emptyShellScript(script),
      errors: [0],
      unread: `the shell parser failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
