// ESLint for the TypeScript of the workspace: the machinery, the tests, the Nx plugin.
import { createRequire } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The workspace's module-boundary rule, in TypeScript beside the Nx plugin (compiled in memory as the CLI is).
const require = createRequire(import.meta.url);
require('./tools/image-layers/bin/register-typescript.js');
const imageLayers = require('./tools/image-layers/src/nx/module-boundaries.ts');

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.nx/**', '.image-test/**', '**/files/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        __filename: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Dockerfile text is full of ${ARG} references inside ordinary strings.
      'no-template-curly-in-string': 'off',
    },
  },
  {
    // Imports between projects follow the tag table: manifest -> compose -> docs, lint, image-test -> CLI and
    // Nx plugin, nothing upward; production code imports no test helpers.
    plugins: { 'image-layers': imageLayers.plugin },
    rules: { 'image-layers/module-boundaries': ['error', { workspaceRoot: import.meta.dirname }] },
  },
);
