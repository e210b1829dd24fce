import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ImageLayersError, type SourceLocation } from '../errors';
import type { CopySource, ParsedFragment } from './fragment';

/** A file of the build context: where it comes from, where it goes in the context, its mode. */
export interface ContextFile {
  /** Path inside the build context, as the fragment's COPY names it. */
  contextPath: string;
  sourceFile: string;
  mode: number;
  unit: string;
  /** Where the image puts it. */
  destination: string;
  location: SourceLocation;
}

/** The folder a unit's COPY sources are relative to. */
export const FILES_FOLDER = 'files';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
}

function filesOfSource(
  unitDir: string,
  source: CopySource,
  unit: string,
): { files: ContextFile[]; error?: ImageLayersError } {
  const filesDir = join(unitDir, FILES_FOLDER);
  const path = join(filesDir, source.path);
  if (!existsSync(path)) {
    return {
      files: [],
      error: new ImageLayersError({
        code: 'missing-copy-source',
        unit,
        location: source.location,
        message: `COPY source "${source.path}" is not in ${relative(process.cwd(), filesDir) || filesDir}`,
        fix: `add ${join(FILES_FOLDER, source.path)} to the ${unit} folder, or correct the path in the COPY`,
      }),
    };
  }
  const stat = lstatSync(path);
  const paths = stat.isDirectory() ? walk(path) : [path];
  return {
    files: paths.map((file) => {
      const inside = relative(path, file);
      return {
        contextPath: relative(filesDir, file),
        sourceFile: file,
        // Git records only "executable or not"; normalising to 0755/0644 keeps that and makes the
        // context independent of the umask a clone was made with (a 0600 file would be unreadable by agent).
        mode: lstatSync(file).mode & 0o111 ? 0o755 : 0o644,
        unit,
        destination: inside ? `${source.destination.replace(/\/$/, '')}/${inside}` : source.destination,
        location: source.location,
      };
    }),
  };
}

/** A chmod mode word that sets an execute bit: +x, a+rx, 755, 0750 ... */
function givesExecute(word: string): boolean {
  return /^[ugoa]*[+=][rwxXst]*x/.test(word) || (/^[0-7]{3,4}$/.test(word) && /[1357]/.test(word.slice(-3)));
}

/** True when some RUN of the unit makes `destination` executable. */
function chmodsExecutable(runBodies: string[], destination: string): boolean {
  return runBodies.some((body) =>
    body
      .split(/&&|\|\||;|\n/)
      .map((segment) => segment.replace(/\\$/, '').trim().split(/\s+/))
      .some(
        (words) => words[0] === 'chmod' && words.includes(destination) && words.slice(1).some(givesExecute),
      ),
  );
}

function scriptErrors(file: ContextFile, runBodies: string[]): ImageLayersError[] {
  const bytes = readFileSync(file.sourceFile);
  if (bytes.subarray(0, 2).toString() !== '#!') return [];
  const errors: ImageLayersError[] = [];
  const crlf = bytes.indexOf('\r\n');
  if (crlf >= 0) {
    const line = bytes.subarray(0, crlf).toString().split('\n').length;
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
  if ((file.mode & 0o111) === 0 && !chmodsExecutable(runBodies, file.destination)) {
    errors.push(
      new ImageLayersError({
        code: 'script-not-executable',
        unit: file.unit,
        location: file.location,
        message: `${file.contextPath} is a script (it starts with #!) but is not executable, and no RUN chmods ${file.destination}`,
        fix: `chmod +x ${file.sourceFile} (git keeps the bit: git add --chmod=+x)`,
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
      if (found.error) errors.push(found.error);
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
        errors.push(...scriptErrors(file, fragment.runBodies));
      }
    }
  }
  return { files, errors };
}
