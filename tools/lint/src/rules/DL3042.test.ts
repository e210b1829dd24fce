import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3042 pip --no-cache-dir', () => {
  test('pip install without --no-cache-dir is reported at pip', async () => {
    expect(await spots('DL3042', 'FROM python:3.11\nRUN pip install -r requirements.txt\n')).toEqual(['2:5']);
  });
  test('--no-cache-dir, PIP_NO_CACHE_DIR in ENV or in the RUN, and pipx pass', async () => {
    expect(
      await spots(
        'DL3042',
        'FROM python:3.11\nRUN pip install --no-cache-dir a==1\nRUN PIP_NO_CACHE_DIR=1 pip install b==1\nRUN pipx install c\n',
      ),
    ).toEqual([]);
    expect(
      await spots('DL3042', 'FROM python:3.11\nENV PIP_NO_CACHE_DIR=true\nRUN pip install a==1\n'),
    ).toEqual([]);
  });
});
