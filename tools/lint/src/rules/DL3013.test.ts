import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3013 pinned pip packages', () => {
  test('an unpinned package is reported at its word, also for python -m pip', async () => {
    expect(
      await spots(
        'DL3013',
        'FROM python:3.11\nRUN pip install flask==3.0 requests\nRUN python3 -m pip install --no-cache-dir pyyaml\n',
      ),
    ).toEqual(['2:28', '3:43']);
  });
  test('version specifiers, requirement and constraint files, ., wheels, paths and pinned VCS URLs pass', async () => {
    const text =
      'FROM python:3.11\nRUN pip install "a>=1" b~=2 && pip install -r requirements.txt && pip install . && pip install ./x.whl git+https://h/r@v1\nRUN pip install -c constraints.txt c\n';
    expect(await spots('DL3013', text)).toEqual([]);
  });
  test('an index URL is a flag value, not a package', async () => {
    expect(
      await spots(
        'DL3013',
        'FROM python:3.11\nRUN pip install --index-url https://pypi.example/simple a==1\n',
      ),
    ).toEqual([]);
  });
});
