import { describe, expect, test } from 'vitest';
import { spots } from './rule-test-kit';

describe('DL4000 MAINTAINER is deprecated', () => {
  test('MAINTAINER is reported; LABEL maintainer passes', async () => {
    expect(await spots('DL4000', 'FROM debian:12\nMAINTAINER me\nLABEL maintainer=me\n')).toEqual(['2:1']);
  });
});
