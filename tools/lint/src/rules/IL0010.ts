import { defineRule } from '../rule';

/** Reported by the engine (it alone knows what each pragma suppressed); this module names and documents it. */
export const IL0010 = defineRule({
  code: 'IL0010',
  severity: 'warning',
  doc: 'Every `# hadolint ignore=` pragma suppresses a finding; one that suppresses nothing is stale.',
  message: 'This ignore pragma suppresses nothing',
  *check() {},
});
