import { ImageLayersError } from '@image-layers/manifest/errors';
import type { JsonSource } from '@image-layers/manifest/json-source';
import {
  optionTextProblem,
  PACKAGE_NAMES,
  type LayerOption,
  type OptionValue,
} from '@image-layers/manifest/schema';
import type { ParsedFragment } from './fragment';

/** How an option's value is written as the default of its ARG. */
export function renderOptionValue(value: OptionValue): string {
  const text = Array.isArray(value) ? value.join(' ') : String(value);
  if (text === '') return '';
  return /^[A-Za-z0-9_.,:/@+=%-]+$/.test(text) ? text : `"${text.replace(/(["\\$])/g, '\\$1')}"`;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'a list' : typeof value;
}

function typeMatches(option: LayerOption, value: OptionValue): boolean {
  if (option.type === 'string-list') return Array.isArray(value);
  return typeof value === option.type;
}

/**
 * What is wrong with a value of the right type, if anything: a control character (it would end the ARG's line and
 * start an instruction), a list item that is not one word, or, for an option that collects packages, an item that
 * is not a package name (`--index-url …`, `-o APT::…` would change where and how the step installs).
 */
function valueProblem(
  option: LayerOption,
  value: OptionValue,
): { message: string; fix: string; index?: number } | undefined {
  if (typeof value === 'string') {
    const problem = optionTextProblem(value, false);
    return problem === undefined
      ? undefined
      : { message: problem, fix: 'write the value on one line, without control characters' };
  }
  if (!Array.isArray(value) || option.type !== 'string-list') return undefined;
  for (const [index, item] of value.entries()) {
    const problem = optionTextProblem(item, true);
    if (problem)
      return { index, message: `item ${index + 1} ${problem}`, fix: 'give one word per list item' };
    const names = option.collects && PACKAGE_NAMES[option.collects];
    if (names && !names.pattern.test(item))
      return {
        index,
        message: `item ${index + 1} "${item}" is not ${names.says}`,
        fix: `list package names only; declare the image's packages in "${option.collects}" instead of setting the option`,
      };
  }
  return undefined;
}

/**
 * The value of each of a layer's options for one image: the image's setting when it has one
 * (checked against the option's type and pattern, at its line in image.json), else the default.
 */
export function resolveOptions(args: {
  layer: string;
  declared: Record<string, LayerOption>;
  given: Record<string, OptionValue>;
  imageSource: JsonSource;
  optionsPath: (string | number)[];
}): { values: Map<string, OptionValue>; errors: ImageLayersError[] } {
  const values = new Map<string, OptionValue>();
  const errors: ImageLayersError[] = [];
  for (const [name, value] of Object.entries(args.given)) {
    const option = args.declared[name];
    // Pointing into image.json parses its JSON tree, which a valid image never needs.
    const location = () => args.imageSource.locate([...args.optionsPath, name]);
    if (!option) {
      const known = Object.keys(args.declared);
      errors.push(
        new ImageLayersError({
          code: 'unknown-option',
          unit: args.layer,
          location: location(),
          message: `layer "${args.layer}" has no option "${name}"`,
          fix: known.length
            ? `use one of: ${known.join(', ')}`
            : `remove it: "${args.layer}" takes no options`,
        }),
      );
      continue;
    }
    const expected = option.type === 'string-list' ? 'a list of strings' : `a ${option.type}`;
    if (!typeMatches(option, value)) {
      errors.push(
        new ImageLayersError({
          code: 'invalid-option',
          unit: args.layer,
          location: location(),
          message: `option ${name} of "${args.layer}" is ${describe(value)}, not ${expected}`,
          fix: `give ${name} ${expected} (${option.description})`,
        }),
      );
      continue;
    }
    const itemProblem = valueProblem(option, value);
    if (itemProblem) {
      errors.push(
        new ImageLayersError({
          code: 'invalid-option',
          unit: args.layer,
          location:
            itemProblem.index === undefined
              ? location()
              : args.imageSource.locate([...args.optionsPath, name, itemProblem.index]),
          message: `option ${name} of "${args.layer}" ${itemProblem.message}`,
          fix: itemProblem.fix,
        }),
      );
      continue;
    }
    if (
      option.type === 'string' &&
      option.pattern &&
      !new RegExp(`^(?:${option.pattern})$`).test(value as string)
    ) {
      errors.push(
        new ImageLayersError({
          code: 'invalid-option',
          unit: args.layer,
          location: location(),
          message: `option ${name} of "${args.layer}" is "${String(value)}", which does not match ${option.pattern}`,
          fix: `give ${name} a value matching ${option.pattern} (${option.description})`,
        }),
      );
      continue;
    }
    values.set(name, value);
  }
  for (const [name, option] of Object.entries(args.declared)) {
    if (!values.has(name)) values.set(name, option.default);
  }
  return { values, errors };
}

/** Every declared option must have its ARG in the fragment, with the manifest's default. */
export function optionBindingErrors(
  fragment: ParsedFragment,
  declared: Record<string, LayerOption>,
  manifest: JsonSource,
): ImageLayersError[] {
  const errors: ImageLayersError[] = [];
  for (const [name, option] of Object.entries(declared)) {
    const arg = fragment.args.get(name);
    if (!arg) {
      errors.push(
        new ImageLayersError({
          code: 'option-without-arg',
          unit: fragment.unit.name,
          location: manifest.locate(['options', name]),
          message: `option ${name} has no ARG ${name} in ${fragment.unit.file.split('/').pop()}`,
          fix: `add \`ARG ${name}=${renderOptionValue(option.default)}\` to the fragment where the value is used`,
        }),
      );
      continue;
    }
    if (arg.nameEnd.line !== (arg.valueEnd ?? arg.nameEnd).line) {
      errors.push(
        new ImageLayersError({
          code: 'option-arg-multiline',
          unit: fragment.unit.name,
          location: { file: fragment.unit.file, line: arg.line + 1, column: 1 },
          message: `ARG ${name} spreads its default over several lines, so the composer cannot set it`,
          fix: `write \`ARG ${name}=<default>\` on one line`,
        }),
      );
      continue;
    }
    const inFragment = arg.value;
    const expected = Array.isArray(option.default) ? option.default.join(' ') : String(option.default);
    if (inFragment !== expected) {
      const line = arg.line + 1;
      errors.push(
        new ImageLayersError({
          code: 'option-default-mismatch',
          unit: fragment.unit.name,
          location: { file: fragment.unit.file, line, column: 1 },
          message: `ARG ${name} defaults to ${JSON.stringify(inFragment)} but layer.json says ${JSON.stringify(expected)}`,
          fix: `make them equal: the fragment alone must build like the layer's defaults (\`ARG ${name}=${renderOptionValue(option.default)}\`)`,
        }),
      );
    }
  }
  return errors;
}

/** The fragment's text with each option's ARG default set to the image's value; line count unchanged. */
export function applyOptions(fragment: ParsedFragment, values: Map<string, OptionValue>): string {
  const lines = fragment.unit.text.split('\n');
  // Right to left, so a value set on a line leaves the positions of the names before it on that line as they were.
  const settings = [...values]
    .flatMap(([name, value]) => {
      const arg = fragment.args.get(name);
      return arg ? [{ arg, value }] : [];
    })
    .sort(
      (a, b) => b.arg.nameEnd.line - a.arg.nameEnd.line || b.arg.nameEnd.character - a.arg.nameEnd.character,
    );
  for (const { arg, value } of settings) {
    const nameEnd = arg.nameEnd;
    const valueEnd = arg.valueEnd ?? nameEnd;
    const line = lines[nameEnd.line] ?? '';
    lines[nameEnd.line] =
      `${line.slice(0, nameEnd.character)}=${renderOptionValue(value)}${line.slice(valueEnd.character)}`;
  }
  return lines.join('\n');
}
