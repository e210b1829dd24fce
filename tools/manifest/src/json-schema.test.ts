import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { jsonSchemas } from './json-schema';

test('the committed JSON Schema files are the ones the zod schemas generate (run `npx image-layers docs`)', () => {
  for (const [file, text] of Object.entries(jsonSchemas())) {
    expect(readFileSync(join(__dirname, '../../image-layers/schema', file), 'utf8'), file).toBe(text);
  }
});
