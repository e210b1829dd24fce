import { defineRule, hit } from '../rule';
import { findSecrets } from '../secrets';

export const IL1007 = defineRule({
  code: 'IL1007',
  severity: 'error',
  doc: 'No credential-shaped literal (ghp_/ghs_/github_pat_ tokens, AKIA keys, private keys, Authorization headers, *_TOKEN/*_PASSWORD values).',
  message: 'A credential-shaped literal',
  *check({ doc }) {
    for (const secret of findSecrets(doc.text)) {
      yield hit(
        { line: secret.line, column: secret.column },
        `This looks like ${secret.kind}: a credential written here ships in the image and its history; pass it at run time (or as a build secret)`,
      );
    }
  },
});
