import { describe, expect, test } from 'vitest';
import { composed, run, spots } from './rule-test-kit';

describe("IL1006 layers leave other layers' paths alone", () => {
  test('rm, chmod and chown of a path an earlier layer copied are reported at the path', async () => {
    const image = composed([
      { name: 'base', text: 'FROM debian:12\n' },
      { name: 'git-auth', text: 'COPY helper /usr/local/bin/helper\n', owns: ['/usr/local/bin/helper'] },
      { name: 'app', text: 'RUN chmod 0700 /usr/local/bin/helper && rm -rf /usr/local/bin\n' },
    ]);
    const found = await run('IL1006', image);
    expect(found.map((f) => f.at)).toEqual(['app:1:16', 'app:1:48']);
    expect(found[0]!.message).toContain('"git-auth"');
  });
  test('a layer changing its own files, or unrelated paths, passes', async () => {
    const image = composed([
      { name: 'base', text: 'FROM debian:12\n' },
      {
        name: 't4',
        text: 'COPY s /etc/sudoers.d/s\nRUN chmod 0440 /etc/sudoers.d/s && rm -rf /var/lib/apt/lists/*\n',
        owns: ['/etc/sudoers.d/s'],
      },
    ]);
    expect(await spots('IL1006', image)).toEqual([]);
  });
});
