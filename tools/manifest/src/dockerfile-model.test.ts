import { describe, expect, test } from 'vitest';
import { buildkitOnlyUses } from './buildkit-syntax';
import { parseDockerfile } from './dockerfile-model';

const text = [
  'ARG BASE_IMAGE=debian:12',
  'FROM --platform=linux/amd64 ${BASE_IMAGE} AS build',
  'COPY --chown=agent --chmod=755 a.sh /usr/local/bin/',
  'run set -e && \\',
  '  # a comment inside the continuation',
  '  cat > /x <<-"EOF"',
  '\tbody <<NOT',
  '\tEOF',
  'ONBUILD RUN <<EOF',
  'make',
  'EOF',
  'FROM debian:12',
  'copy --from=build /out /out',
].join('\n');

describe('the Dockerfile model', () => {
  const model = parseDockerfile(text);

  test('instructions with upper-case keywords, 0-based spans, stages and the stage each is in', () => {
    expect(model.instructions.map((i) => `${i.keyword}@${i.line}-${i.endLine}:${i.stage}`)).toEqual([
      'ARG@0-0:-1',
      'FROM@1-1:0',
      'COPY@2-2:0',
      'RUN@3-7:0',
      'ONBUILD@8-10:0',
      'FROM@11-11:1',
      'COPY@12-12:1',
    ]);
    expect(model.stages.map((stage) => [stage.alias, stage.instruction.line])).toEqual([
      ['build', 1],
      [undefined, 11],
    ]);
    expect(model.all('copy').map((i) => i.line)).toEqual([2, 12]);
  });

  test('flags with names, values and spans; arguments after them', () => {
    const copy = model.instructions[2]!;
    expect(copy.flags.map((f) => [f.name, f.value, f.span.line, f.span.column])).toEqual([
      ['chown', 'agent', 2, 5],
      ['chmod', '755', 2, 19],
    ]);
    expect(copy.args.map((a) => a.value)).toEqual(['a.sh', '/usr/local/bin/']);
    expect(model.instructions[1]!.flags.map((f) => f.name)).toEqual(['platform']);
  });

  test('heredocs are read on the command lines (continuations, past comments), not in bodies', () => {
    expect(model.instructions[3]!.heredocs).toEqual([{ name: 'EOF', strip: true, line: 5, column: 11 }]);
    expect(model.instructions[0]!.heredocs).toEqual([]);
  });

  test("an ONBUILD's trigger is an instruction of its own, at its column, pointing back", () => {
    const onbuild = model.instructions[4]!;
    expect(onbuild.trigger).toMatchObject({ keyword: 'RUN', line: 8, column: 8, index: 4 });
    expect(onbuild.trigger!.heredocs.map((h) => h.name)).toEqual(['EOF']);
    expect(onbuild.trigger!.onbuild).toBe(onbuild);
    expect(model.withTriggers().map((i) => i.keyword)).toEqual([
      'ARG',
      'FROM',
      'COPY',
      'RUN',
      'ONBUILD',
      'RUN',
      'FROM',
      'COPY',
    ]);
  });

  test('BuildKit-only uses: COPY --chmod, heredocs in RUN and in a trigger; --chown, --from, --platform are legacy', () => {
    expect(buildkitOnlyUses(model).map((use) => `${use.construct}@${use.line}:${use.column}`)).toEqual([
      '--chmod@2:19',
      'heredoc@5:11',
      'heredoc@8:12',
    ]);
  });
});

test('the split of arguments made once per instruction: each call gets its own objects, so asking again answers the same', () => {
  // dockerfile-ast moves the range of the argument it gets back (From's getImageNameRange) and shifts flags off the
  // list: were they shared, FROM debian:12 would lose its tag on the second ask.
  const [, from, copy] = parseDockerfile(text).instructions.map((i) => i.node);
  const image = from as unknown as { getImageName(): string; getImageTag(): string | null };
  for (let ask = 0; ask < 3; ask++) {
    expect([image.getImageName(), image.getImageTag()]).toEqual(['${BASE_IMAGE}', null]);
    expect(copy!.getArguments().map((arg) => arg.getValue())).toEqual(['a.sh', '/usr/local/bin/']);
  }
  const debian = parseDockerfile('FROM debian:12\n').instructions[0]!.node as unknown as typeof image;
  for (let ask = 0; ask < 3; ask++)
    expect([debian.getImageName(), debian.getImageTag()]).toEqual(['debian', '12']);
  // The same instruction's text elsewhere (as the validator's parse with a FROM first) is split at its own place.
  const spans = (source: string) =>
    parseDockerfile(source)
      .all('RUN')
      .flatMap((run) => run.args.map((arg) => [arg.value, arg.span]));
  const run = 'RUN a \\\n  b';
  expect(spans(run)).toEqual([
    ['a', { line: 0, column: 4, endLine: 0, endColumn: 5 }],
    ['b', { line: 1, column: 2, endLine: 1, endColumn: 3 }],
  ]);
  expect(spans(`FROM scratch\n\n${run}`)).toEqual([
    ['a', { line: 2, column: 4, endLine: 2, endColumn: 5 }],
    ['b', { line: 3, column: 2, endLine: 3, endColumn: 3 }],
  ]);
  const trigger = parseDockerfile(`ONBUILD ${run}`).instructions[0]!.trigger!;
  expect(trigger.args.map((arg) => [arg.value, arg.span])).toEqual([
    ['a', { line: 0, column: 12, endLine: 0, endColumn: 13 }],
    ['b', { line: 1, column: 2, endLine: 1, endColumn: 3 }],
  ]);
  expect(copy!.getArguments()).not.toBe(copy!.getArguments());
  expect(copy!.getArguments()[0]!.getRange()).not.toBe(copy!.getArguments()[0]!.getRange());
});
