import { atArgument, defineRule, hit, instructions } from '../rule';

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|gz|bz2|xz|zst|lz|lzma|tlz|z|Z|zip)$/;

export const DL3020 = defineRule({
  code: 'DL3020',
  severity: 'error',
  doc: 'Use COPY, not ADD, for files and folders (ADD is for URLs and archives).',
  message: 'Use COPY instead of ADD for files and folders',
  *check({ doc }) {
    for (const add of instructions(doc, 'ADD')) {
      const sources = add.node.getArguments().slice(0, -1);
      for (const source of sources) {
        const path = source.getValue().replace(/^["']|["']$/g, '');
        if (/^https?:\/\//.test(path) || ARCHIVE.test(path)) continue;
        yield hit(atArgument(source));
      }
    }
  },
});
