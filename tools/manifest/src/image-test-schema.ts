import * as z from 'zod';

// What a layer or an image app really leaves in an image, as data: test/image-test.json beside it, read by one
// harness. The vocabulary follows container-structure-test (files with mode and owner, commands and their output,
// metadata), plus users, groups, processes and containers started through the image's own entrypoint.
// image-test.schema.json (for editors, through "$schema") is generated from these definitions.

const why = z.string().min(1, 'say in a sentence why');
const absolutePath = z.string().regex(/^\//, 'an absolute path inside the image');
/** Octal permission bits as text, e.g. "0440" or "1777". */
const mode = z.string().regex(/^0?[0-7]{3,4}$/, 'octal permission bits, e.g. "0440"');
/** Regular expressions (JavaScript syntax) that must each match somewhere in the text. */
const patterns = z.array(z.string()).default([]);
const environment = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({});

export const fileAssertion = z.strictObject({
  path: absolutePath,
  /** false: the path must not exist. */
  exists: z.boolean().default(true),
  type: z.enum(['file', 'directory', 'symlink']).optional(),
  mode: mode.optional(),
  /** `user:group` by name, e.g. "root:root" or "agent:agent". */
  owner: z
    .string()
    .regex(/^[^:\s]+:[^:\s]+$/, 'write the owner as user:group')
    .optional(),
  /** For a symbolic link: where it points, exactly as stored. */
  target: z.string().optional(),
  /** Patterns the content must match, and patterns it must not. */
  contains: patterns,
  excludes: patterns,
});

export const userAssertion = z.strictObject({
  name: z.string().min(1),
  uid: z.number().int().optional(),
  gid: z.number().int().optional(),
  home: absolutePath.optional(),
  shell: absolutePath.optional(),
  /** Groups the user must be in (besides others). */
  groups: z.array(z.string()).default([]),
});

export const groupAssertion = z.strictObject({
  name: z.string().min(1),
  gid: z.number().int().optional(),
  members: z.array(z.string()).default([]),
});

export const commandAssertion = z.strictObject({
  /** What the command proves, as a test name. */
  name: z.string().min(1),
  /** The argument vector; `{{name}}` is replaced by a value of a host service (see hostServices). */
  run: z.array(z.string()).min(1),
  user: z.string().optional(),
  env: environment,
  workdir: absolutePath.optional(),
  stdin: z.string().optional(),
  exitCode: z.number().int().default(0),
  stdout: patterns,
  stdoutExcludes: patterns,
  stderr: patterns,
  stderrExcludes: patterns,
});

export const processAssertion = z.strictObject({
  /** What the process proves, as a test name. */
  name: z.string().min(1),
  /** A pattern its command line (arguments joined by spaces) must match. */
  commandLine: z.string(),
  pid: z.number().int().optional(),
  uid: z.number().int().optional(),
  gid: z.number().int().optional(),
});

export const metadataAssertion = z.strictObject({
  /** Variables the image's config must set, to exactly these values. */
  env: z.record(z.string(), z.string()).default({}),
  workdir: z.string().optional(),
  user: z.string().optional(),
  entrypoint: z.array(z.string()).optional(),
  cmd: z.array(z.string()).optional(),
});

/** Everything asserted inside one container. */
const checks = {
  files: z.array(fileAssertion).default([]),
  users: z.array(userAssertion).default([]),
  groups: z.array(groupAssertion).default([]),
  commands: z.array(commandAssertion).default([]),
  processes: z.array(processAssertion).default([]),
};

export const mountedFile = z.strictObject({
  /** Relative to the mount's root. */
  path: z.string().regex(/^[^/]/, 'relative to the mount'),
  content: z.string().default(''),
  mode: mode.default('0644'),
});

/** The image started as the platform starts it: its own ENTRYPOINT, arguments, variables and volumes. */
export const containerScenario = z.strictObject({
  name: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: environment,
  /** Folders mounted into the container, root-owned as Docker creates volumes, with the files given. */
  volumes: z
    .array(z.strictObject({ path: absolutePath, files: z.array(mountedFile).default([]) }))
    .default([]),
  /** The container is ready when this path exists inside it (written by what the entrypoint ends in). */
  readyWhen: absolutePath,
  /** Patterns the container's output (standard output and error) must match, and must not. */
  logs: z.strictObject({ contains: patterns, excludes: patterns }).default({ contains: [], excludes: [] }),
  ...checks,
});

export const imageTestSchema = z.strictObject({
  $schema: z.string().optional(),
  /**
   * The layers built before this one, in order, when the ones its `requires` resolve to are not what you
   * want (two layers provide the same capability, say). Default: the base and what `requires` resolves to.
   */
  layers: z.array(z.string()).optional(),
  /**
   * Options of the layer under test for its test build, as an image sets them in image.json, checked the same
   * way: to prove in the engine a variant its defaults leave off (t4-escalation's DOCKER_HOST_GID, say). A
   * layer's image test only: an image's options are in its image.json.
   */
  options: z
    .record(
      z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an option name, e.g. INSTALL_GH_CLI'),
      z.union([z.string(), z.boolean(), z.array(z.string())]),
    )
    .optional(),
  /** How this layer is built where a host its build reaches (layer.json "network") is out of reach. */
  withoutHosts: z
    .array(
      z.strictObject({
        host: z.string().min(1),
        /**
         * The "step" of the network entry this recipe is for, as its manifest spells it: needed only where the
         * unit reaches the host in more than one RUN (hermes-image's plugin install and MCP pre-bake both reach
         * git.moleculesai.app). Without it, the recipe is for every step on the host.
         */
        step: z.string().min(1).optional(),
        /** Text of the one RUN instruction of this layer that reaches the host; the test build leaves it out. */
        leaveOut: z.string().min(1),
        why,
      }),
    )
    .default([]),
  /**
   * Files mounted read-only into every container of the test, never built into the image: stand-ins for what
   * an unreachable host would have installed (the runtime from PyPI, say). Sources are relative to this file.
   */
  standIns: z.array(z.strictObject({ path: absolutePath, source: z.string().min(1), why })).default([]),
  /** Servers the harness runs on the host for the test; their values fill `{{...}}` in commands. */
  hostServices: z
    .strictObject({
      /** A git smart-HTTP server behind HTTP Basic auth: {{gitHttp.repoUrl}}, {{gitHttp.username}}, {{gitHttp.password}}. */
      gitHttp: z.strictObject({ username: z.string().min(1), password: z.string().min(1) }).optional(),
    })
    .default({}),
  metadata: metadataAssertion.optional(),
  ...checks,
  containers: z.array(containerScenario).default([]),
});

export type ImageTestSpec = z.infer<typeof imageTestSchema>;
export type FileAssertion = z.infer<typeof fileAssertion>;
export type UserAssertion = z.infer<typeof userAssertion>;
export type GroupAssertion = z.infer<typeof groupAssertion>;
export type CommandAssertion = z.infer<typeof commandAssertion>;
export type ProcessAssertion = z.infer<typeof processAssertion>;
export type MetadataAssertion = z.infer<typeof metadataAssertion>;
export type ContainerScenario = z.infer<typeof containerScenario>;
/** The checks run inside one container. */
export type ContainerChecks = Pick<ImageTestSpec, 'files' | 'users' | 'groups' | 'commands' | 'processes'>;

/** Where a layer's or image's image test data lives, relative to its folder. */
export { IMAGE_TEST_FILE } from './layout';
