import { describe, expect, test } from 'vitest';
import { run, spots } from './rule-test-kit';

describe('IL1001 install failures are not swallowed', () => {
  test("the seed's `npm install -g ... 2>/dev/null || true` is reported at npm", async () => {
    const found = await run(
      'IL1001',
      'FROM node:20\nRUN npm install -g @anthropic-ai/claude-code 2>/dev/null || true\n',
    );
    expect(found.map((f) => f.at)).toEqual(['2:5']);
    expect(found[0]!.message).toContain('|| true');
  });
  test('apt-get, pip and curl steps swallowed by || :, || exit 0 or || echo are reported', async () => {
    const text =
      'FROM debian:12\nRUN apt-get install -y x || :\nRUN pip install a==1 || exit 0\nRUN curl -fsSLo /k https://x || echo failed\n';
    expect(await spots('IL1001', text)).toEqual(['2:5', '3:5', '4:5']);
  });
  test('a fallback that is another install, or a non-install step swallowed, passes', async () => {
    expect(
      await spots(
        'IL1001',
        'FROM debian:12\nRUN pip install a==1 || pip install a==0.9\nRUN rm /tmp/x || true\nRUN grep -q x /f || true\n',
      ),
    ).toEqual([]);
  });
});
