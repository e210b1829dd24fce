import { describe, expect, test } from 'vitest';
import { composed, run, spots } from './rule-test-kit';

describe('IL1010 no install after a COPY of files it does not read', () => {
  test('pip install after the app is copied re-runs on each edit of the app: reported at pip, with the fix', async () => {
    const found = await run(
      'IL1010',
      'FROM python:3.11-slim\nCOPY app.py /app/\nRUN pip install --no-cache-dir flask==3.0.0\n',
    );
    expect(found).toEqual([
      {
        at: '3:5',
        message:
          '`pip install` re-runs whenever a file of the COPY at line 2 changes (app.py, /app): move this RUN above that COPY, or COPY only the files it reads right before it',
      },
    ]);
  });

  test("a COPY of the install's own input (requirements.txt, as the seed has it) is not a finding; a chmod is no install", async () => {
    expect(
      await spots(
        'IL1010',
        'FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY run.sh /run.sh\nRUN chmod +x /run.sh\n',
      ),
    ).toEqual([]);
  });

  test('a script copied into /tmp/ for a later RUN is part of that install (as the composer keeps it): the installs after it are no findings', async () => {
    expect(
      await spots(
        'IL1010',
        'FROM debian\nCOPY install.sh /tmp/node/install.sh\nRUN sh /tmp/node/install.sh && rm -rf /tmp/node\nRUN npm install -g some-cli@1.0.0\n',
      ),
    ).toEqual([]);
    // Into /tmp/ but read by no RUN: a file like any other.
    expect(
      await spots(
        'IL1010',
        'FROM debian\nCOPY notes.txt /tmp/notes.txt\nRUN npm install -g some-cli@1.0.0\n',
      ),
    ).toEqual(['3:5']);
  });

  test('downloads count (curl, git clone), and a COPY in an earlier stage does not', async () => {
    expect(
      await spots(
        'IL1010',
        [
          'FROM debian AS build',
          'COPY src /src',
          'FROM debian',
          'RUN apt-get update && apt-get install -y --no-install-recommends curl=7',
          'COPY conf /etc/conf',
          'RUN curl -fsSLo /tmp/x https://example.com/x',
          'RUN if true; then git clone https://example.com/r.git /r; fi',
        ].join('\n'),
      ),
    ).toEqual(['6:5', '7:19']);
  });

  test("in a composed image the COPY is named at its fragment's line and the fix is the fragment's order", async () => {
    const found = await run(
      'IL1010',
      composed([
        { name: 'base', text: 'FROM debian' },
        { name: 'git-auth', text: '# askpass\nCOPY scripts/askpass /usr/local/bin/askpass' },
        { name: 'cli', text: 'RUN npm install -g some-cli@1.0.0' },
      ]),
    );
    expect(found).toEqual([
      {
        at: 'cli:1:5',
        message:
          '`npm install` re-runs whenever a file of the COPY at line 2 of layer "git-auth" changes (askpass, /usr/local/bin/askpass): move this RUN above its fragment\'s first COPY (the composer then places it before every fragment\'s files), or COPY only the files it reads right before it',
      },
    ]);
  });
});
