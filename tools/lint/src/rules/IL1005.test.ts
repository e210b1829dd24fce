import { describe, expect, test } from 'vitest';
import { composed, run } from './rule-test-kit';

describe('IL1005 ARGs declared where they are used', () => {
  test('a RUN using an ARG another layer declares is reported at the variable', async () => {
    const image = composed([
      { name: 'base', text: 'FROM debian:12\nARG VERSION=1\n' },
      { name: 'app', text: 'RUN pip install "x==${VERSION}"\n' },
    ]);
    const found = await run('IL1005', image);
    expect(found.map((f) => f.at)).toEqual(['app:1:23']);
    expect(found[0]!.message).toContain('"base"');
  });
  test('Docker variables in COPY/ENV are judged too; a fragment that declares the ARG itself passes', async () => {
    const image = composed([
      { name: 'base', text: 'FROM debian:12\nARG DIR=/opt\n' },
      { name: 'a', text: 'COPY x ${DIR}/x\n' },
      { name: 'b', text: 'ARG DIR\nRUN ls "$DIR"\n' },
    ]);
    expect((await run('IL1005', image)).map((f) => f.at)).toEqual(['a:1:10']);
  });
  test('shell variables nobody declares as ARG (HOME, a loop variable) pass', async () => {
    const image = composed([
      { name: 'base', text: 'FROM debian:12\n' },
      { name: 'app', text: 'RUN for f in a b; do echo "$f $HOME"; done\n' },
    ]);
    expect(await run('IL1005', image)).toEqual([]);
  });
});
