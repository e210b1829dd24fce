import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve, sep } from 'node:path';
import { composeImage, type ComposedImage } from '@image-layers/compose/compose';
import { ImageLayersError, ImageLayersErrors } from '@image-layers/manifest/errors';
import { listImageDirs } from '@image-layers/manifest/layout';
import { loadShellParser } from '@image-layers/lint/shell';
import type { StepKind } from '@image-layers/lint/step-kind';
import { composedSteps, type Step } from './steps';

// `image-layers explain`: for each image a change reaches, the first step of its composed Dockerfile whose cache
// the change invalidates, and every step Docker re-runs after it.
//
// - `--since <ref>` is exact: each image is composed from the files at <ref> (git archive into a temporary
//   folder) and from the working tree, and the two step lists are compared the way Docker's cache compares them
//   (steps.ts). Both are composed by today's composer; when tools/ changed too, the report says so.
// - `--files <paths>` answers "if I edit these": a file an image COPYs invalidates that COPY (its content is in
//   the cache key); a fragment may change any of its steps, so from the unit's first step; a layer.json sets
//   its layer's option defaults and may add packages the collecting layer installs, so from the earlier of
//   the two; an image.json sets every option, so from its first step. A file no image reads reaches none.

export interface ImageExplanation {
  image: string;
  /** The image app folder, relative to the workspace root. */
  dir: string;
  /** The first step re-run, or undefined when the change leaves every step cached. */
  first?: Step;
  /** Why that step is re-run. */
  because?: string;
  /** The steps after it, all re-run. */
  after: Step[];
  /** How many of the re-run steps (the first included) are of each kind. */
  counts: Record<StepKind, number>;
  /** Steps of the image in all. */
  steps: number;
}

export interface Explanation {
  /** The change: the files named, or the files git reports changed since the ref. */
  changed: string[];
  since?: string;
  notes: string[];
  images: ImageExplanation[];
}

const KINDS: StepKind[] = ['package-install', 'network-install', 'run', 'copy', 'metadata'];

function explained(image: ComposedImage, root: string, steps: Step[], first?: number, because?: string) {
  const rerun = first === undefined ? [] : steps.slice(first);
  const counts = Object.fromEntries(KINDS.map((kind) => [kind, 0])) as Record<StepKind, number>;
  for (const step of rerun) counts[step.kind]++;
  return {
    image: image.image.name,
    dir: relative(root, image.image.dir),
    first: rerun[0],
    because: rerun[0] ? because : undefined,
    after: rerun.slice(1),
    counts,
    steps: steps.length,
  };
}

/** The image app folders named (by name or folder), or every image of the workspace. */
export function selectImages(root: string, names: string[]): string[] {
  const all = listImageDirs(root);
  if (names.length === 0) return all;
  return names.map((name) => {
    const dir = [resolve(name), join(root, 'apps', name)].find((candidate) => all.includes(candidate));
    if (dir) return dir;
    throw new ImageLayersError({
      code: 'explain-unknown-image',
      location: { file: join(root, 'apps') },
      message: `"${name}" is no image app of this workspace`,
      fix: `name one of: ${all.map((candidate) => basename(candidate)).join(', ')} (or leave the images out for all)`,
    });
  });
}

const isUnder = (file: string, folder: string) => file === folder || file.startsWith(folder + sep);

/** A named path, resolved and checked: it must exist inside the workspace (links resolved). */
function workspacePath(root: string, path: string, cwd: string): string {
  const absolute = resolve(cwd, path);
  const real = existsSync(absolute) ? realpathSync(absolute) : undefined;
  if (!real || !isUnder(real, realpathSync(root)))
    throw new ImageLayersError({
      code: 'explain-bad-path',
      location: { file: absolute },
      message: real
        ? `${path} is outside the workspace (${root})`
        : `${path} does not exist: --files explains an edit of a file that is there`,
      fix: real
        ? 'name files of the workspace'
        : 'check the path; for a file you added or deleted, commit or keep the change and use --since <ref>',
    });
  return relative(realpathSync(root), real);
}

/** Which steps of one image an edit of `file` (relative to the root) may change, and why. */
function reachedSteps(
  composed: ComposedImage,
  root: string,
  steps: Step[],
  file: string,
  isFolder: boolean,
): { index: number; because: string }[] {
  const firstOf = (unit: string, why: string) => {
    const index = steps.findIndex((step) => step.unit === unit);
    return index >= 0 ? [{ index, because: why }] : [];
  };
  const reached: { index: number; because: string }[] = [];
  steps.forEach((step, index) => {
    const copied = step.copies.filter((copy) => (isFolder ? isUnder(copy, file) : copy === file));
    if (copied.length > 0)
      reached.push({ index, because: `it copies ${copied.join(', ')}, whose content is in its cache key` });
  });
  const imageDir = relative(root, composed.image.dir);
  if (file === relative(root, composed.image.fragmentFile) || (isFolder && isUnder(imageDir, file)))
    reached.push(
      ...firstOf(
        composed.image.name,
        `${file} is the image's own fragment: an edit may change any of its steps`,
      ),
    );
  if (file === relative(root, composed.image.source.file))
    reached.push({ index: 0, because: `${file} sets every layer's options and their order` });
  for (const layer of composed.layers) {
    const layerDir = relative(root, layer.dir);
    if (file === relative(root, layer.fragmentFile) || (isFolder && isUnder(layerDir, file)))
      reached.push(
        ...firstOf(
          layer.name,
          `${file} is layer ${layer.name}'s fragment: an edit may change any of its steps`,
        ),
      );
    if (file !== relative(root, layer.source.file)) continue;
    reached.push(...firstOf(layer.name, `${file} sets the defaults of ${layer.name}'s options`));
    // Packages a layer declares are installed by the layer whose option collects them (base-os's apt step).
    const { aptPackages, aptPackagesWhen, pythonPackages } = layer.manifest;
    const kinds = [
      ...(aptPackages.length + aptPackagesWhen.length > 0 ? ['aptPackages'] : []),
      ...(pythonPackages.length > 0 ? ['pythonPackages'] : []),
    ];
    for (const collector of composed.layers)
      for (const kind of kinds)
        if (
          Object.values(collector.manifest.options).some(
            (option) => 'collects' in option && option.collects === kind,
          )
        )
          reached.push(
            ...firstOf(collector.name, `${file} declares ${kind} that ${collector.name} installs`),
          );
  }
  return reached;
}

/** What an edit of each of `files` re-runs in each of the images. */
/** `files` are relative to `cwd`. */
export async function explainFiles(
  root: string,
  imageDirs: string[],
  files: string[],
  cwd = process.cwd(),
): Promise<Explanation> {
  // Step kinds are judged from each RUN's parsed shell (lint/step-kind.ts).
  await loadShellParser();
  const changed = files.map((file) => workspacePath(root, file, cwd));
  const images = imageDirs.map((dir) => {
    const composed = composeImage(dir);
    const steps = composedSteps(composed, root);
    const reached = changed.flatMap((file) =>
      reachedSteps(composed, root, steps, file, statSync(join(root, file)).isDirectory()),
    );
    const first = reached.sort((a, b) => a.index - b.index)[0];
    return explained(composed, root, steps, first?.index, first?.because);
  });
  return { changed, notes: [], images };
}

function git(root: string, args: string[], input?: Buffer): Buffer {
  try {
    return execFileSync('git', args, {
      cwd: root,
      input,
      maxBuffer: 1 << 30,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    const { stderr, code } = error as { stderr?: Buffer; code?: string };
    throw new ImageLayersError({
      code: 'explain-git-failed',
      location: { file: root },
      message:
        code === 'ENOENT'
          ? '--since needs git, and git is not installed'
          : `git ${args.join(' ')} failed: ${String(stderr ?? '').trim() || String(error)}`,
      fix:
        code === 'ENOENT'
          ? 'install git (apt-get install git), or name the edited files with --files'
          : 'name a commit, branch or tag of this repository (git log --oneline shows them)',
    });
  }
}

/** Files that differ between `ref` and the working tree, untracked ones included. */
function changedSince(root: string, ref: string): string[] {
  const lines = (buffer: Buffer) => buffer.toString('utf8').split('\n').filter(Boolean);
  return [
    ...new Set([
      ...lines(git(root, ['diff', '--name-only', '--no-renames', '--relative', ref, '--', '.'])),
      ...lines(git(root, ['ls-files', '--others', '--exclude-standard'])),
    ]),
  ].sort();
}

function composeOrError(dir: string): ComposedImage | ImageLayersError | ImageLayersErrors {
  try {
    return composeImage(dir);
  } catch (error) {
    if (error instanceof ImageLayersError || error instanceof ImageLayersErrors) return error;
    throw error;
  }
}

/** What re-runs in each image since `ref`: the images composed from both trees, their steps compared. */
export async function explainSince(root: string, imageDirs: string[], ref: string): Promise<Explanation> {
  await loadShellParser();
  // The ref goes to git as an argument: one that starts with "-" would be read as an option (git diff
  // --output=<file> writes a file), so it is refused before git sees it.
  if (ref.startsWith('-') || ref.trim() === '')
    throw new ImageLayersError({
      code: 'explain-bad-ref',
      location: { file: root },
      message: `--since "${ref}" is not a git ref`,
      fix: 'name a commit, branch or tag of this repository (git log --oneline shows them)',
    });
  git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  const changed = changedSince(root, ref);
  const notes: string[] = [];
  if (changed.some((file) => file.startsWith('tools/')))
    notes.push(
      `tools/ changed since ${ref}: both trees are composed by today's composer, so a change the composer itself makes to the Dockerfile is not shown`,
    );
  const old = mkdtempSync(join(tmpdir(), 'image-layers-explain-'));
  try {
    // The workspace may be a folder of the repository: its tree at the ref is `<ref>:<prefix>`.
    const prefix = git(root, ['rev-parse', '--show-prefix']).toString('utf8').trim();
    execFileSync('tar', ['-x', '-C', old], {
      input: git(root, ['archive', '--format=tar', `${ref}:${prefix}`]),
      maxBuffer: 1 << 30,
    });
    const images = imageDirs.flatMap((dir) => {
      const now = composeImage(dir);
      const steps = composedSteps(now, root);
      const oldDir = join(old, relative(root, dir));
      if (!existsSync(join(oldDir, 'image.json')))
        return [explained(now, root, steps, 0, `the image is new since ${ref}`)];
      const before = composeOrError(oldDir);
      if (before instanceof Error)
        return [
          explained(now, root, steps, 0, `at ${ref} the image did not compose, so nothing of it is cached`),
        ];
      const oldSteps = composedSteps(before, old);
      const index = steps.findIndex((step, i) => oldSteps[i]?.cacheKey !== step.cacheKey);
      if (index < 0) return [explained(now, root, steps)];
      const was = oldSteps[index];
      const step = steps[index]!;
      const because = !was
        ? `a step added since ${ref}`
        : was.text !== step.text
          ? `the step changed since ${ref} (it was line ${was.line + 1}: ${was.text})`
          : `the content or mode of ${step.copies.join(', ')} changed since ${ref}`;
      return [explained(now, root, steps, index, because)];
    });
    return { changed, since: ref, notes, images };
  } finally {
    rmSync(old, { recursive: true, force: true });
  }
}
