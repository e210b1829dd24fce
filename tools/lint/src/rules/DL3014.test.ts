import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3014 apt-get -y', () => {
  test('apt-get install without -y is reported at apt-get', async () => {
    expect(await spots('DL3014', 'FROM debian:12\nRUN apt-get update && apt-get install curl\n')).toEqual([
      '2:23',
    ]);
  });
  test('-y, --yes, --assume-yes, -qq and combined flags like -yq pass', async () => {
    expect(
      await spots(
        'DL3014',
        'FROM debian:12\nRUN apt-get install -y a && apt-get install --yes b && apt-get -qq install c && apt-get install -yq d && apt-get install --assume-yes e\n',
      ),
    ).toEqual([]);
  });
});
