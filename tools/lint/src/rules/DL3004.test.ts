import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL3004 no sudo', () => {
  test('sudo as a command is reported, also inside $(...)', async () => {
    expect(await spots('DL3004', 'FROM debian:12\nRUN sudo apt-get update\nRUN x=$(sudo id -u)\n')).toEqual([
      '2:5',
      '3:9',
    ]);
  });
  test('installing the sudo package or mentioning sudo in a string passes', async () => {
    expect(await spots('DL3004', 'FROM debian:12\nRUN apt-get install -y sudo && echo "use sudo"\n')).toEqual(
      [],
    );
  });
});
