import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Rule } from 'eslint';

// The workspace's module-boundary rule (what Nx's @nx/enforce-module-boundaries does with depConstraints; that
// rule's @nx/eslint-plugin has no release matching this workspace's Nx 23.3.1, so this is it until it has).
// It lives beside the Nx plugin because both speak of the same thing: the projects Nx sees and their tags. The
// plugin infers the layer and image projects (tagged with the tags below), tools/*/package.json tags the
// machinery (`nx.tags`), and this rule holds every import between them to the table, in `eslint tools packages
// apps`, which the image-layers project's `lint` target runs (so a back-edge fails `npm test`).

/** The tag the Nx plugin gives every layer package (a folder with a layer.json). */
export const LAYER_TAG = 'type:image-layer';
/** The tag the Nx plugin gives every image app (a folder with an image.json). */
export const IMAGE_TAG = 'type:image';
/** The dev-only test helpers (@image-layers/testing). */
export const TEST_TAG = 'type:test';

/**
 * Which tags a project may import, by its own tag: `production` for every file, `tests` in addition for its test
 * files (what nx.json's `production` input leaves out: *.test.ts, *test-kit.ts, test/, bench/). The direction is
 * manifest / support -> compose -> docs, lint, image-test -> the CLI and Nx plugin; nothing upward, nothing
 * sideways between the features, and only tests reach the test helpers. Test files keep the direction too: Nx's
 * graph is one of projects, so an upward import from a test is an upward edge (and a cycle) all the same.
 */
export const ALLOWED: Readonly<Record<string, { production: string[]; tests: string[] }>> = {
  // The model every tool reads (layer.json, image.json, image-test.json) and the errors they all report: the
  // bottom, knowing nothing of how manifests are composed, linted or run.
  'layer:manifest': { production: [], tests: [TEST_TAG] },
  // Processes, temporary folders, host tools, a git server, the file walker: the other bottom, knowing no
  // manifest, so the harness and the tests can run on it without the model.
  'layer:support': { production: [], tests: [TEST_TAG] },
  // The test runner (npm test, and each project's test target) counts results and installs the host tools the
  // tests need, from support's one map of them; the harness reports through it.
  'layer:runner': { production: ['layer:support'], tests: [TEST_TAG] },
  // The composer joins what the manifests say, on the processes and folders support gives it.
  'layer:compose': { production: ['layer:manifest', 'layer:support'], tests: [TEST_TAG] },
  // docs, lint and image-test each read what the composer makes; siblings, so none imports another (what two
  // of them share belongs in compose or below).
  'layer:feature': {
    production: ['layer:manifest', 'layer:support', 'layer:runner', 'layer:compose'],
    tests: [TEST_TAG],
  },
  // explain judges the composer's output with the linter's model of a step (its parsed shell, its kind): above
  // the features it reads, below the CLI that runs it.
  'layer:analysis': {
    production: ['layer:manifest', 'layer:support', 'layer:runner', 'layer:compose', 'layer:feature'],
    tests: [TEST_TAG],
  },
  // The CLI and the Nx plugin: the top, wiring every feature to a command or a target.
  'layer:entry': {
    production: [
      'layer:manifest',
      'layer:support',
      'layer:runner',
      'layer:compose',
      'layer:feature',
      'layer:analysis',
    ],
    tests: [TEST_TAG],
  },
  // The test helpers run on the bottom only: helpers importing compose would make compose's own tests a cycle.
  [TEST_TAG]: { production: ['layer:manifest', 'layer:support'], tests: [] },
  // A layer is its manifest, fragment and files; its proofs run them for real through the test helpers, and
  // the machinery it is built with has its own tests.
  // Some build it for real through the image-test harness (python-runtime's pip step against a local index).
  [LAYER_TAG]: { production: [], tests: [TEST_TAG, 'layer:compose', 'layer:feature'] },
  // An image's tests also compose and lint it in process (seed-equivalence: the composed Dockerfile against the
  // seed; seed-lint: what the linter finds in the seed).
  [IMAGE_TAG]: { production: [], tests: [TEST_TAG, 'layer:compose', 'layer:feature'] },
};

export interface Project {
  /** Its folder, relative to the workspace root, with forward slashes (tools/compose, packages/git-auth). */
  root: string;
  /** Its package name (@image-layers/compose, image-layers) when it has a package.json. */
  packageName?: string;
  tags: string[];
}

interface Workspace {
  projects: Project[];
  /** Whether a path relative to its project's root is a test file (outside nx.json's `production` input). */
  isTestPath: (pathInProject: string) => boolean;
}

const readJson = (file: string): Record<string, unknown> | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
};

/** The workspace's projects and their tags, as Nx sees them (package.json `nx.tags`; the plugin's unit tags). */
export function readProjects(workspaceRoot: string): Project[] {
  const projects: Project[] = [];
  for (const group of ['tools', 'packages', 'apps']) {
    let entries: string[];
    try {
      entries = readdirSync(join(workspaceRoot, group), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
    } catch {
      continue;
    }
    for (const name of entries) {
      const root = `${group}/${name}`;
      const dir = join(workspaceRoot, root);
      const pkg = readJson(join(dir, 'package.json'));
      const tags = new Set<string>();
      const nx = pkg?.nx as { tags?: unknown } | undefined;
      if (Array.isArray(nx?.tags)) for (const tag of nx.tags) if (typeof tag === 'string') tags.add(tag);
      if (group !== 'tools' && existsSync(join(dir, 'layer.json'))) tags.add(LAYER_TAG);
      if (group !== 'tools' && existsSync(join(dir, 'image.json'))) tags.add(IMAGE_TAG);
      if (!pkg && tags.size === 0) continue; // Not a project.
      projects.push({
        root,
        packageName: typeof pkg?.name === 'string' ? pkg.name : undefined,
        tags: [...tags],
      });
    }
  }
  return projects;
}

/** `{projectRoot}/**\/*.test.ts`-style globs (nx.json's production exclusions) as one test on a path. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    if (glob.startsWith('**/', i)) {
      source += '(?:[^/]*/)*';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (glob[i] === '*') source += '[^/]*';
    else source += glob[i]!.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** nx.json's `production` input: what it leaves out of a project is what counts as test code here. */
export function testPathPatterns(workspaceRoot: string): RegExp[] {
  const production = (readJson(join(workspaceRoot, 'nx.json'))?.namedInputs as { production?: unknown })
    ?.production;
  return (Array.isArray(production) ? production : [])
    .filter((input): input is string => typeof input === 'string' && input.startsWith('!{projectRoot}/'))
    .map((input) => globToRegExp(input.slice('!{projectRoot}/'.length)));
}

const workspaces = new Map<string, Workspace>();
function workspaceAt(workspaceRoot: string): Workspace {
  let workspace = workspaces.get(workspaceRoot);
  if (!workspace) {
    const patterns = testPathPatterns(workspaceRoot);
    workspace = {
      projects: readProjects(workspaceRoot),
      isTestPath: (path) => patterns.some((pattern) => pattern.test(path)),
    };
    workspaces.set(workspaceRoot, workspace);
  }
  return workspace;
}

const toPosix = (path: string) => path.split(sep).join('/');
const projectAt = (projects: Project[], path: string) =>
  projects.find((project) => path === project.root || path.startsWith(`${project.root}/`));
const label = (project: Project) => project.packageName ?? project.root;
const tagList = (tags: string[]) => (tags.length ? tags.join(', ') : 'no tags');
const isTestKit = (specifier: string) => /test-kit(\.ts)?$/.test(specifier);

const rule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Imports between projects follow the tag table (manifest -> compose -> docs/lint/image-test -> CLI, Nx plugin); production code imports no test helpers',
    },
    schema: [
      {
        type: 'object',
        properties: { workspaceRoot: { type: 'string' } },
        additionalProperties: false,
      },
    ],
    messages: {
      backEdge:
        '{{file}} ({{sourceTags}}) imports {{target}} ({{targetTags}}), which {{sourceTag}} may not import: {{sourceTag}} may import {{allowed}}. ' +
        'The direction is manifest/support -> compose -> docs, lint, image-test -> CLI and Nx plugin: move what both need down into a project {{sourceTag}} may import, or move this code up ' +
        '(the table is ALLOWED in tools/image-layers/src/nx/module-boundaries.ts).',
      testHelper:
        '{{file}} is production code ({{sourceTags}}) and imports {{target}} ({{targetTags}}), the dev-only test helpers: only test files may ' +
        "(*.test.ts, *test-kit.ts, test/, bench/: what nx.json's production input leaves out). Move what this code needs into a production project such as @image-layers/support, or this code into a test file.",
      testKit:
        "{{file}} is production code and imports {{specifier}}, a test kit (test-only, outside nx.json's production input). Move what it needs out of the test kit into a production module.",
      untagged:
        '{{file}} belongs to {{project}}, whose tags ({{sourceTags}}) have no row in the dependency table: give it one of {{known}} in its package.json "nx.tags" ' +
        '(or add a row, with why, to ALLOWED in tools/image-layers/src/nx/module-boundaries.ts).',
    },
  },
  create(context) {
    const options = (context.options[0] ?? {}) as { workspaceRoot?: string };
    const workspaceRoot = resolve(options.workspaceRoot ?? context.cwd);
    const { projects, isTestPath } = workspaceAt(workspaceRoot);
    const filename = context.filename;
    const file = toPosix(relative(workspaceRoot, filename));
    const source = projectAt(projects, file);
    if (!source) return {};
    const isTest = isTestPath(file.slice(source.root.length + 1));
    const rows = source.tags.filter((tag) => tag in ALLOWED);

    const check = (node: Rule.Node, specifier: string) => {
      if (!isTest && isTestKit(specifier)) {
        context.report({ node, messageId: 'testKit', data: { file, specifier } });
        return;
      }
      const target = specifier.startsWith('.')
        ? projectAt(projects, toPosix(relative(workspaceRoot, resolve(dirname(filename), specifier))))
        : projects.find(
            ({ packageName }) =>
              packageName && (specifier === packageName || specifier.startsWith(`${packageName}/`)),
          );
      if (!target || target === source) return;
      const data = {
        file,
        project: label(source),
        sourceTags: tagList(source.tags),
        target: label(target),
        targetTags: tagList(target.tags),
      };
      if (rows.length === 0) {
        context.report({
          node,
          messageId: 'untagged',
          data: { ...data, known: Object.keys(ALLOWED).join(', ') },
        });
        return;
      }
      for (const sourceTag of rows) {
        const row = ALLOWED[sourceTag]!;
        const allowed = isTest ? [...row.production, ...row.tests] : row.production;
        if (target.tags.some((tag) => allowed.includes(tag))) continue;
        if (!isTest && target.tags.includes(TEST_TAG)) {
          context.report({ node, messageId: 'testHelper', data });
        } else {
          context.report({
            node,
            messageId: 'backEdge',
            data: {
              ...data,
              sourceTag,
              allowed: allowed.length ? `only ${allowed.join(', ')}` : 'no other project',
            },
          });
        }
        return;
      }
    };
    const checkLiteral = (node: unknown) => {
      const literal = node as { type?: string; value?: unknown } | null | undefined;
      if (literal?.type === 'Literal' && typeof literal.value === 'string')
        check(literal as Rule.Node, literal.value);
    };

    return {
      ImportDeclaration: (node) => checkLiteral(node.source),
      ExportNamedDeclaration: (node) => checkLiteral(node.source),
      ExportAllDeclaration: (node) => checkLiteral(node.source),
      ImportExpression: (node) => checkLiteral(node.source),
      CallExpression(node) {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments.length === 1
        )
          checkLiteral(node.arguments[0]);
      },
      // TypeScript's own forms: `import('x').T` and `import x = require('x')`.
      TSImportType: (node: unknown) => checkLiteral((node as { source?: unknown }).source),
      TSExternalModuleReference: (node: unknown) =>
        checkLiteral((node as { expression?: unknown }).expression),
    } as Rule.RuleListener;
  },
};

/** The ESLint plugin eslint.config.mjs registers as `image-layers`. */
export const plugin = {
  meta: { name: 'image-layers' },
  rules: { 'module-boundaries': rule },
};
