import type { Instruction } from 'dockerfile-ast';
import { HEREDOC } from '@image-layers/manifest/dockerfile-model';

/**
 * The shell script a RUN hands to /bin/sh, rebuilt the way Docker builds it: line continuations joined,
 * comment and empty lines inside a continuation dropped, heredoc bodies kept verbatim. `origin[i]` is
 * the offset in the Dockerfile text of the script's character i, so every token maps back to its place.
 */
export interface RunScript {
  script: string;
  origin: Int32Array;
  /** The RUN is a bare heredoc (`RUN <<EOF`): the script is the heredoc's body. */
  bareHeredoc: boolean;
  /** The body is not shell (a heredoc whose shebang names another interpreter). */
  notShell: boolean;
  /** Where a heredoc starts whose terminator never comes. */
  unterminatedHeredoc?: { name: string; offset: number };
}

interface TextIndex {
  text: string;
  /** Offset of a dockerfile-ast position (0-based line and character). */
  offsetOf(position: { line: number; character: number }): number;
}

/** Collects the script as segments with their start offsets: linear in the script's size, one string per segment. */
class Builder {
  private readonly parts: string[] = [];
  private readonly starts: number[] = [];
  private length = 0;
  add(text: string, from: number): void {
    if (text.length === 0) return;
    this.parts.push(text);
    this.starts.push(from);
    this.length += text.length;
  }
  build(): { script: string; origin: Int32Array } {
    const origin = new Int32Array(this.length);
    let at = 0;
    this.parts.forEach((part, i) => {
      const from = this.starts[i]!;
      for (let j = 0; j < part.length; j++) origin[at + j] = from + j;
      at += part.length;
    });
    return { script: this.parts.join(''), origin };
  }
}

/** The RUN's script, or undefined for one without arguments. An exec-form RUN is read as its words joined by spaces, as hadolint does. */
export function runScriptOf(
  index: TextIndex,
  instruction: Instruction,
  escape: string,
): RunScript | undefined {
  const args = instruction.getArguments();
  if (args.length === 0) return undefined;
  if (/^\s*\[/.test(args[0]!.getValue())) {
    const words = execWords(instruction);
    if (words) {
      const exec = new Builder();
      words.forEach((word, i) => {
        const raw = word.getValue();
        const start = index.offsetOf(word.getRange().start) + (raw.startsWith('"') ? 1 : 0);
        if (i > 0) exec.add(' ', start);
        exec.add(raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw, start);
      });
      exec.add('\n', index.offsetOf(instruction.getRange().end));
      return { ...exec.build(), bareHeredoc: false, notShell: false };
    }
  }
  const text = index.text;
  const endLine = instruction.getRange().end.line;
  const continuation = new RegExp(`${escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}[ \\t]*$`);
  const command = new Builder();
  const heredocBodies = new Builder();
  const pending: { name: string; strip: boolean; offset: number }[] = [];
  let pos = index.offsetOf(args[0]!.getRange().start);
  let line = args[0]!.getRange().start.line;
  let first = true;
  let inCommand = true;
  while (pos <= text.length && (line <= endLine || pending.length > 0)) {
    const newline = text.indexOf('\n', pos);
    const lineEnd = newline === -1 ? text.length : newline;
    const content = text.slice(pos, lineEnd).replace(/\r$/, '');
    if (!inCommand) {
      const heredoc = pending[0]!;
      const candidate = heredoc.strip ? content.replace(/^\t+/, '') : content;
      command.add(`${content}\n`, pos);
      if (candidate === heredoc.name) pending.shift();
      else heredocBodies.add(`${content}\n`, pos);
      if (pending.length === 0) break;
    } else if (!first && /^\s*(#.*)?$/.test(content)) {
      // A comment or empty line inside a continuation: Docker drops it before the shell sees the text.
    } else {
      const joined = continuation.exec(content);
      const kept = joined ? content.slice(0, joined.index) : content;
      command.add(kept, pos);
      for (const match of kept.matchAll(HEREDOC)) {
        pending.push({ name: match[3]!, strip: match[1] === '-', offset: pos + match.index });
      }
      if (!joined) {
        command.add('\n', lineEnd);
        if (pending.length === 0) break;
        inCommand = false;
      }
      first = false;
    }
    if (newline === -1) break;
    pos = newline + 1;
    line++;
  }
  const built = command.build();
  const bare = /^\s*(<<-?\s*(["']?)[A-Za-z_][A-Za-z0-9_]*\2\s*)+$/.test(built.script.split('\n')[0] ?? '');
  const result: RunScript = bare
    ? { ...heredocBodies.build(), bareHeredoc: true, notShell: false }
    : { ...built, bareHeredoc: false, notShell: false };
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(result.script);
  if (
    bare &&
    shebang &&
    !/(^|\/)(sh|bash|dash|ash|ksh|zsh)$/.test(shebang[1]!.endsWith('env') ? (shebang[2] ?? '') : shebang[1]!)
  ) {
    result.notShell = true;
  }
  if (pending.length > 0) result.unterminatedHeredoc = { name: pending[0]!.name, offset: pending[0]!.offset };
  return result;
}

type Word = { getValue(): string; getRange(): { start: { line: number; character: number } } };

/** The JSON strings of an exec-form RUN, or undefined when the brackets hold no valid JSON array. */
function execWords(instruction: Instruction): Word[] | undefined {
  const json = (instruction as unknown as { getJSONStrings?(): Word[] }).getJSONStrings?.();
  return Array.isArray(json) && json.length > 0 ? json : undefined;
}
