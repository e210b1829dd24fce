import { beforeAll, describe, expect, test } from 'vitest';
import { parseDocument } from './document';
import { loadShellParser } from './shell';

beforeAll(loadShellParser);

const runOf = (text: string, index = 1) => parseDocument(text).instructions[index]!.run!;

describe('the script a RUN hands to the shell', () => {
  test('continuations are joined, and comment and blank lines inside them dropped, as Docker does', () => {
    const run = runOf(
      'FROM debian:12\nRUN apt-get update \\\n    # refresh first\n\n    && apt-get install -y curl\n',
    );
    expect(run.body.script).toBe('apt-get update     && apt-get install -y curl\n');
    expect(run.shell.commands.map((c) => c.name)).toEqual(['apt-get', 'apt-get']);
  });
  test('every word maps back to its line and column in the Dockerfile', () => {
    const run = runOf('FROM debian:12\nRUN apt-get update \\\n    # note\n    && apt-get install -y curl\n');
    const curl = run.shell.commands[1]!.args.at(-1)!;
    expect(run.at(curl.start)).toEqual({ line: 3, column: 26 });
  });
  test('a bare heredoc is the script; its body lines map to their own lines', () => {
    const run = runOf('FROM debian:12\nRUN <<EOF\nset -e\ncd /src\nEOF\n');
    expect(run.body.bareHeredoc).toBe(true);
    expect(run.body.script).toBe('set -e\ncd /src\n');
    expect(run.at(run.shell.commands[1]!.word.start)).toEqual({ line: 3, column: 0 });
  });
  test('a heredoc fed to a command stays data: only the command line is shell', () => {
    const run = runOf('FROM debian:12\nRUN cat <<EOF > /etc/motd\nsudo rm -rf / | x\nEOF\n');
    expect(run.shell.commands.map((c) => c.name)).toEqual(['cat']);
    expect(run.shell.pipes).toEqual([]);
  });
  test('a heredoc with a non-shell shebang is not parsed as shell', () => {
    const run = runOf('FROM python:3.11\nRUN <<EOF\n#!/usr/bin/env python3\nprint("a | b")\nEOF\n');
    expect(run.body.notShell).toBe(true);
    expect(run.shell.commands).toEqual([]);
  });
  test('CRLF line endings and the backtick escape directive are understood', () => {
    const crlf = runOf('FROM debian:12\r\nRUN a \\\r\n  && b\r\n');
    expect(crlf.body.script).toBe('a   && b\n');
    const backtick = runOf('# escape=`\nFROM debian:12\nRUN a `\n  && b\n');
    expect(backtick.shell.commands.map((c) => c.name)).toEqual(['a', 'b']);
  });
  test('the exec form is read as its words (each mapped to its place); flags before the command are not part of it', () => {
    const exec = runOf('FROM debian:12\nRUN ["apt-get", "install", "curl"]\n');
    expect(exec.shell.commands.map((c) => [c.name, ...c.args.map((a) => a.value)])).toEqual([
      ['apt-get', 'install', 'curl'],
    ]);
    expect(exec.at(exec.shell.commands[0]!.args[1]!.start)).toEqual({ line: 1, column: 28 });
    expect(
      runOf('FROM debian:12\nRUN --mount=type=cache,target=/root/.cache pip install -r r.txt\n').body.script,
    ).toBe('pip install -r r.txt\n');
  });
});
