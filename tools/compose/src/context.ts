import { join, relative } from 'node:path';
import { ImageLayersError, type SourceLocation } from '@image-layers/manifest/errors';
import type { CopySource, ParsedFragment } from './fragment';
import { firstCrlfLine, listShippedFiles, readHead, type UnshippableFile } from './shipped-files';

/** A file of the build context: where it comes from, where it goes in the context, its mode. */
export interface ContextFile {
  /** Path inside the build context, as the fragment's COPY names it. */
  contextPath: string;
  /** Its path under the unit's files/ (a link there is followed, and stays inside files/). */
  sourceFile: string;
  mode: number;
  unit: string;
  /** Where the image puts it. */
  destination: string;
  location: SourceLocation;
}

/** The folder a unit's COPY sources are relative to. */
export const FILES_FOLDER = 'files';

/** The composer's source map beside the Dockerfile, read by the linter. */
export const PROVENANCE_FILE = 'image-layers.provenance.json';
/** The provenance file's format: 3 maps blocks that are part of a fragment (cache order; 2 had whole fragments, 1 1-based lines). A reader refuses others. */
export const PROVENANCE_FORMAT = 3;

/**
 * Names at the top of the build context that the composer writes (or that docker build reads as settings):
 * a unit file there would replace the composed Dockerfile or what the build ignores. Compared lower-cased,
 * for case-insensitive file systems.
 */
export const RESERVED_CONTEXT_NAMES = [
  'dockerfile',
  '.dockerignore',
  // BuildKit reads <Dockerfile>.dockerignore before .dockerignore.
  'dockerfile.dockerignore',
  PROVENANCE_FILE,
];

function unshippableError(
  problem: UnshippableFile,
  source: CopySource,
  unit: string,
  filesDir: string,
): ImageLayersError {
  const where = relative(process.cwd(), join(filesDir, problem.path)) || problem.path;
  const details: Record<UnshippableFile['problem'], { code: string; message: string; fix: string }> = {
    missing: {
      code: 'missing-copy-source',
      message: `COPY source "${source.path}" is not in ${relative(process.cwd(), filesDir) || filesDir}`,
      fix: `add ${join(FILES_FOLDER, source.path)} to the ${unit} folder, or correct the path in the COPY`,
    },
    'link-outside': {
      code: 'copy-source-link-outside',
      message: `${where} is a symbolic link that leads out of ${unit}'s ${FILES_FOLDER}/ folder (to ${problem.target}): the image would ship a file the layer does not own`,
      fix: `replace the link with the file itself, committed under ${FILES_FOLDER}/ (or a link to a file inside ${FILES_FOLDER}/)`,
    },
    'dangling-link': {
      code: 'copy-source-dangling-link',
      message: `${where} is a symbolic link to nothing`,
      fix: `remove the link, or point it at a file inside the same ${FILES_FOLDER}/ folder`,
    },
    'not-regular': {
      code: 'copy-source-not-regular',
      message: `${where} is not a regular file or folder (a FIFO, socket or device)`,
      fix: `keep only regular files and folders under ${FILES_FOLDER}/`,
    },
  };
  return new ImageLayersError({ unit, location: source.location, ...details[problem.problem] });
}

function filesOfSource(
  unitDir: string,
  source: CopySource,
  unit: string,
): { files: ContextFile[]; errors: ImageLayersError[] } {
  const filesDir = join(unitDir, FILES_FOLDER);
  const listed = listShippedFiles(filesDir, source.path);
  const errors = listed.unshippable.map((problem) => unshippableError(problem, source, unit, filesDir));
  const files: ContextFile[] = [];
  for (const file of listed.files) {
    if (RESERVED_CONTEXT_NAMES.includes(file.path.toLowerCase())) {
      errors.push(
        new ImageLayersError({
          code: 'reserved-context-name',
          unit,
          location: source.location,
          message: `${FILES_FOLDER}/${file.path} would be staged as the build context's ${file.path}, which the composer writes (the composed Dockerfile, its ignore file or its source map)`,
          fix: `move it into a folder under ${FILES_FOLDER}/ (e.g. ${FILES_FOLDER}/${unit}/${file.path}) and change the COPY`,
        }),
      );
      continue;
    }
    const inside = relative(source.path, file.path);
    files.push({
      contextPath: file.path,
      sourceFile: join(filesDir, file.path),
      // Git records only "executable or not"; normalising to 0755/0644 keeps that and makes the
      // context independent of the umask a clone was made with (a 0600 file would be unreadable by agent).
      mode: file.executable ? 0o755 : 0o644,
      unit,
      destination: inside ? `${source.destination.replace(/\/$/, '')}/${inside}` : source.destination,
      location: source.location,
    });
  }
  return { files, errors };
}

function scriptErrors(file: ContextFile): ImageLayersError[] {
  // Only the first bytes say whether it is a script: a context file may be gigabytes.
  if (readHead(file.sourceFile, 2).toString() !== '#!') return [];
  const errors: ImageLayersError[] = [];
  const line = firstCrlfLine(file.sourceFile);
  if (line !== undefined) {
    errors.push(
      new ImageLayersError({
        code: 'crlf-script',
        unit: file.unit,
        location: { file: file.sourceFile, line, column: 1 },
        message:
          'the script has CRLF line endings: its shebang line ends in \\r and the kernel cannot find the interpreter',
        fix: `convert it to LF line endings (sed -i 's/\\r$//' ${file.sourceFile})`,
      }),
    );
  }
  // The mode git records is the one way a script becomes executable: the composer copies it into the context
  // (0755), so the COPY needs no chmod RUN after it (which would store the file twice; lint's IL1002 says so).
  if ((file.mode & 0o111) === 0) {
    errors.push(
      new ImageLayersError({
        code: 'script-not-executable',
        unit: file.unit,
        location: file.location,
        message: `${file.contextPath} is a script (it starts with #!) but is not executable: the image would ship ${file.destination} with mode 0644`,
        fix: `chmod +x ${file.sourceFile} (git keeps the bit: git add --chmod=+x); a chmod RUN after the COPY is not the way, the mode in git is`,
      }),
    );
  }
  return errors;
}

/**
 * The build-context files of every unit, each at the path its COPY names, with the checks that catch
 * the classic incidents: a missing source, two units shipping one path, a CRLF or non-executable script.
 */
export function collectContextFiles(units: { dir: string; fragment: ParsedFragment }[]): {
  files: ContextFile[];
  errors: ImageLayersError[];
} {
  const files: ContextFile[] = [];
  const errors: ImageLayersError[] = [];
  const owners = new Map<string, ContextFile>();
  for (const { dir, fragment } of units) {
    const unit = fragment.unit.name;
    for (const source of fragment.copySources) {
      const found = filesOfSource(dir, source, unit);
      errors.push(...found.errors);
      for (const file of found.files) {
        const owner = owners.get(file.contextPath);
        if (owner && owner.unit !== unit) {
          errors.push(
            new ImageLayersError({
              code: 'context-collision',
              unit,
              location: file.location,
              message: `"${unit}" and "${owner.unit}" both ship ${file.contextPath} in the build context`,
              fix: `rename the file in one layer's files/ folder (and its COPY), e.g. under a folder named after the layer`,
            }),
          );
          continue;
        }
        if (owner) continue;
        owners.set(file.contextPath, file);
        files.push(file);
        errors.push(...scriptErrors(file));
      }
    }
  }
  return { files, errors };
}
