import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RegisterCommand } from '../command';

/** A generated document: where it lives and what it must say. */
interface GeneratedFile {
  file: string;
  expected: string;
}

const current = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

export const registerDocs: RegisterCommand = (program, { action }) => {
  program
    .command('docs')
    .description(
      "write every generated document: each layer's README.md, the linter's rules page, the JSON Schemas of the manifests",
    )
    .option('--check', 'write nothing; exit 1 naming each document that is out of date')
    .action(
      action(async (options: { check?: boolean }) => {
        const { findWorkspaceRoot, LAYERS_FOLDER, listLayerNames } =
          await import('@image-layers/manifest/load');
        const { expectedLayerReadme } = await import('@image-layers/docs/layer-readme-check');
        const { jsonSchemas } = await import('@image-layers/manifest/json-schema');
        const { writeFileAtomic } = await import('@image-layers/compose/write');
        const root = findWorkspaceRoot(process.cwd());
        const generated: GeneratedFile[] = listLayerNames(root).map((name) => {
          const readme = expectedLayerReadme(join(root, LAYERS_FOLDER, name));
          return { file: readme.file, expected: readme.expected };
        });
        // The machinery's own documents live in this CLI's workspace: a fixture workspace using it has none.
        const machinery = join(__dirname, '..', '..', '..', '..', '..'); // tools/image-layers/src/cli/commands -> the root
        if (root === machinery) {
          const { RULES_DOC, rulesMarkdown } = await import('@image-layers/lint/rules-doc');
          generated.push({ file: RULES_DOC, expected: rulesMarkdown() });
          const schemas = join(machinery, 'tools', 'image-layers', 'schema');
          for (const [file, text] of Object.entries(jsonSchemas()))
            generated.push({ file: join(schemas, file), expected: text });
        }
        const stale = generated.filter(({ file, expected }) => current(file) !== expected);
        const shown = (file: string) => relative(process.cwd(), file) || file;
        if (options.check) {
          for (const { file } of stale)
            process.stderr.write(
              `${shown(file)}: out of date: run \`npx image-layers docs\` and commit the result\n`,
            );
          return stale.length > 0 ? 1 : 0;
        }
        for (const { file, expected } of stale) {
          writeFileAtomic(file, expected);
          process.stdout.write(`wrote ${shown(file)}\n`);
        }
      }),
    );
};
