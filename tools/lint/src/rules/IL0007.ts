import { defineRule } from '../rule';

/** Reported when a layer or image given to `lint` does not load or compose; the composer's own error says why. */
export const IL0007 = defineRule({
  code: 'IL0007',
  severity: 'error',
  doc: 'A linted layer or image loads and composes: valid manifest, requirements met, fragment well formed.',
  message: 'This layer or image does not compose',
  *check() {},
});
