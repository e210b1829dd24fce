import * as z from 'zod';

// The contract between a layer, the images that use it and the composer. layer.schema.json and
// image.schema.json (for editors, through "$schema") are generated from these definitions.

/** Option names are the names of the ARG instructions they set in the fragment. */
export const optionNamePattern = /^[A-Z][A-Z0-9_]*$/;

/** Each kind of package a unit declares, the one shape its names must have, and how to say it. */
export const PACKAGE_NAMES = {
  aptPackages: {
    pattern: /^[a-z0-9][a-z0-9+.-]*(=[^\s]+)?$/,
    says: 'a Debian package name, optionally pinned as name=version',
  },
  // A pip requirement without spaces (it is passed as one word of a list): name[extras] and version specifiers.
  // Never an option (--index-url, -e): those would change where pip installs from.
  pythonPackages: {
    pattern:
      /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9._,-]+\])?((===?|!=|~=|<=?|>=?)[A-Za-z0-9.*+!_-]+)*(,(===?|!=|~=|<=?|>=?)[A-Za-z0-9.*+!_-]+)*$/,
    says: 'a pip requirement without spaces, such as claude-agent-sdk>=0.1.58',
  },
} as const;
export type PackageKind = keyof typeof PACKAGE_NAMES;

/**
 * Control characters (line breaks, a lone carriage return, NUL, NEL, U+2028/9) in a value written into the
 * Dockerfile would end its line and start an instruction of their own: no option value may hold one.
 */
export const CONTROL_CHARACTER = /[\p{Cc}\u2028\u2029]/u;

/** Why a string cannot be an option value (or a list item of one), or undefined when it can. */
export function optionTextProblem(text: string, listItem: boolean): string | undefined {
  const control = CONTROL_CHARACTER.exec(text);
  if (control) {
    const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `holds the control character U+${code} at position ${control.index + 1}: a value is one line of text`;
  }
  // List items are joined with spaces into one ARG: a space inside one would make it two items.
  if (listItem && (text === '' || /\s/.test(text)))
    return 'is empty or holds white space: a list item is one word';
  return undefined;
}

/** A string that compiles as the full-match regular expression the composer applies to option values. */
export function optionPatternProblem(pattern: string): string | undefined {
  try {
    new RegExp(`^(?:${pattern})$`);
    return undefined;
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message})`;
  }
}

// Values are checked against each option's declared type by the composer, which knows the layer and
// can say which types it accepts; the schema only says they are JSON values.
type OptionValueType = string | boolean | string[];

/**
 * The manifests' schemas, made on first use: constructing them was a start's largest cost of zod (~4 ms), and
 * a start whose manifests are remembered valid (load.ts, remembered.ts) checks none.
 */
function buildSchemas() {
  const kebabName = z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, 'use lower-case letters, digits and dashes, starting with a letter');

  /** A capability is `kind:value` (user:agent, command:git, workdir:/app) or a bare layer name. */
  const capability = z
    .string()
    .regex(/^[a-z][a-z0-9-]*(:\S+)?$/, 'write a capability as kind:value (user:agent) or a layer name');

  const optionName = z
    .string()
    .regex(optionNamePattern, 'an option is named after its ARG: upper case, digits, _');

  const aptPackageName = z.string().regex(PACKAGE_NAMES.aptPackages.pattern, PACKAGE_NAMES.aptPackages.says);
  const pythonRequirement = z
    .string()
    .regex(PACKAGE_NAMES.pythonPackages.pattern, PACKAGE_NAMES.pythonPackages.says);

  const optionText = z.string().superRefine((text, context) => {
    const problem = optionTextProblem(text, false);
    if (problem) context.addIssue({ code: 'custom', message: `the value ${problem}` });
  });
  const optionListItem = z.string().superRefine((text, context) => {
    const problem = optionTextProblem(text, true);
    if (problem) context.addIssue({ code: 'custom', message: `the item ${problem}` });
  });

  const description = z.string().min(1, 'say in a sentence what this is for');

  const stringOption = z
    .strictObject({
      type: z.literal('string'),
      default: optionText,
      description,
      /** A regular expression every value must match in full. */
      pattern: z
        .string()
        .superRefine((pattern, context) => {
          const problem = optionPatternProblem(pattern);
          if (problem) context.addIssue({ code: 'custom', message: `the pattern ${problem}` });
        })
        .optional(),
    })
    .superRefine((option, context) => {
      if (option.pattern && !optionPatternProblem(option.pattern)) {
        if (!new RegExp(`^(?:${option.pattern})$`).test(option.default))
          context.addIssue({
            code: 'custom',
            path: ['default'],
            message: `the default "${option.default}" does not match the option's own pattern ${option.pattern}`,
          });
      }
    });
  const booleanOption = z.strictObject({ type: z.literal('boolean'), default: z.boolean(), description });
  const stringListOption = z
    .strictObject({
      type: z.literal('string-list'),
      default: z.array(optionListItem),
      description,
      /**
       * The composer adds every listed unit's declarations of this kind to the value: the base layer collects
       * aptPackages (one apt step for the image), a Python layer pythonPackages (one pip step).
       */
      collects: z.enum(['aptPackages', 'pythonPackages']).optional(),
    })
    .superRefine((option, context) => {
      if (!option.collects) return;
      const { pattern, says } = PACKAGE_NAMES[option.collects];
      option.default.forEach((item, index) => {
        if (!pattern.test(item))
          context.addIssue({ code: 'custom', path: ['default', index], message: `"${item}" is not ${says}` });
      });
    });
  const layerOption = z.discriminatedUnion('type', [stringOption, booleanOption, stringListOption]);

  /** Hosts a build reaches, so a test can say by name which step it cannot run offline. */
  const networkSteps = z
    .array(
      z.strictObject({
        host: z.string().min(1),
        step: z.string().min(1),
        /** The boolean option that turns this step off, when there is one. */
        option: optionName.optional(),
      }),
    )
    .default([]);

  const layerManifestSchema = z
    .strictObject({
      $schema: z.string().optional(),
      name: kebabName,
      version: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'use a semantic version such as 1.0.0'),
      description,
      /** The base layer holds the image's only FROM; exactly one listed layer is the base. */
      base: z.boolean().default(false),
      /**
       * The entrypoint layer: its fragment alone may set ENTRYPOINT (once), and then the image's fragment may not.
       * At most one listed layer has it; without one, ENTRYPOINT and CMD are the image fragment's alone.
       */
      entrypoint: z.boolean().default(false),
      /** Capabilities that layers listed earlier (or this image's packages) must provide. */
      requires: z.array(capability).default([]),
      /** Capabilities this layer adds to the image; its own name is always provided. */
      provides: z.array(capability).default([]),
      /** Debian packages this layer needs; the base layer installs them all in one apt step. */
      aptPackages: z.array(aptPackageName).default([]),
      /**
       * Debian packages this layer needs only while one of its options has a value for the image (its default, or
       * what image.json sets): node-runtime needs Debian's nodejs and npm only while INSTALL_NODESOURCE is false, so
       * an image on NodeSource's Node never installs them. They join the base layer's apt step like aptPackages.
       */
      aptPackagesWhen: z
        .array(
          z.strictObject({
            option: optionName,
            is: z.union([z.boolean(), z.string()]),
            packages: z.array(aptPackageName).min(1),
          }),
        )
        .default([]),
      /** pip requirements this layer's files need; the layer whose option collects them installs them in its pip step. */
      pythonPackages: z.array(pythonRequirement).default([]),
      /** Typed build options, each bound to the fragment's ARG of the same name. */
      options: z.record(optionName, layerOption).default({}),
      /** Hosts the build reaches, so a test can say by name which step it cannot run offline. */
      network: networkSteps,
      /** Privileges this layer grants on purpose, each with its reason, so none is granted silently. */
      grants: z
        .array(
          z.strictObject({
            privilege: z.enum(['sudo', 'docker-group', 'setuid', 'capabilities']),
            why: description,
          }),
        )
        .default([]),
    })
    .superRefine((manifest, context) => {
      manifest.aptPackagesWhen.forEach((condition, index) => {
        const option = manifest.options[condition.option];
        if (!option)
          context.addIssue({
            code: 'custom',
            path: ['aptPackagesWhen', index, 'option'],
            message: `no option ${condition.option} in "options": declare it, or name one of ${Object.keys(manifest.options).join(', ') || '(none)'}`,
          });
        else if (option.type === 'string-list' || typeof condition.is !== option.type)
          context.addIssue({
            code: 'custom',
            path: ['aptPackagesWhen', index, 'is'],
            message: `${condition.option} is a ${option.type} option: "is" must be a ${option.type === 'string-list' ? "string or boolean option's value (a list cannot be compared)" : option.type}`,
          });
      });
    });

  // Values are checked against each option's declared type by the composer, which knows the layer and
  // can say which types it accepts; the schema only says they are JSON values.
  const anyOptionValue = z
    .unknown()
    .describe(
      'a string, a boolean or a list of strings, as the layer declares the option',
    ) as unknown as z.ZodType<OptionValueType>;

  const layerReference = z.union([
    kebabName,
    z.strictObject({ layer: kebabName, options: z.record(optionName, anyOptionValue).default({}) }),
  ]);

  const imageManifestSchema = z.strictObject({
    $schema: z.string().optional(),
    name: kebabName,
    description,
    /** The layers of the image, in build order: stable layers first, churny ones last. */
    layers: z.array(layerReference).min(1, 'list at least the base layer'),
    /**
     * The image's own fragment, relative to image.json; it alone may set CMD, and ENTRYPOINT unless a listed layer
     * has "entrypoint": true.
     */
    fragment: z.string().default('image.Dockerfile'),
    /** What the image's own fragment needs from its layers. */
    requires: z.array(capability).default([]),
    /** Debian packages the image's own fragment needs, merged into the base layer's apt step. */
    aptPackages: z.array(aptPackageName).default([]),
    /** pip requirements the image's own files need, merged into the collecting layer's pip step. */
    pythonPackages: z.array(pythonRequirement).default([]),
    /**
     * Hosts the image's build reaches beyond what its layers declare: its own fragment's, or a layer's step that
     * needs a host only in this image (openclaw-image: agent-cli running openclaw needs NodeSource's Node 22). There
     * "option" may name a boolean option of any listed layer: it is a build argument of the whole Dockerfile.
     */
    network: networkSteps,
    /** Tags `nx run <image>:image` gives the built image. */
    tags: z.array(z.string().min(1)).default([]),
  });
  return { layerOption, layerManifestSchema, imageManifestSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;
let schemas: Schemas | undefined;
/** The layer and image manifests' zod schemas (and a layer option's), the same objects on every call. */
export const manifestSchemas = (): Schemas => (schemas ??= buildSchemas());

export type LayerManifest = z.infer<Schemas['layerManifestSchema']>;
export type LayerOption = z.infer<Schemas['layerOption']>;
export type ImageManifest = z.infer<Schemas['imageManifestSchema']>;
export type OptionValue = OptionValueType;
