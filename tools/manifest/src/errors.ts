import { relative } from 'node:path';

/** Where a problem is: a file and, when known, a 1-based line and column. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

/**
 * A problem in a user's layer or image, as a value: a stable code, where it is, what is wrong and
 * what to do about it. The CLI and the Nx executors turn it into text and an exit code in one place.
 */
export class ImageLayersError extends Error {
  readonly code: string;
  readonly location: SourceLocation;
  readonly fix: string;
  /** The layer (or image) the problem belongs to, when there is one. */
  readonly unit?: string;

  constructor(details: {
    code: string;
    location: SourceLocation;
    message: string;
    fix: string;
    unit?: string;
  }) {
    super(details.message);
    this.name = 'ImageLayersError';
    this.code = details.code;
    this.location = details.location;
    this.fix = details.fix;
    this.unit = details.unit;
  }

  /** `file:line:column: error CODE [unit] message\n  fix: ...`, paths relative to `cwd`. */
  format(cwd = process.cwd()): string {
    const { file, line, column } = this.location;
    const where = [relative(cwd, file) || file, line, line !== undefined ? (column ?? 1) : undefined]
      .filter((part) => part !== undefined)
      .join(':');
    const unit = this.unit ? ` [${this.unit}]` : '';
    return `${where}: error ${this.code}${unit} ${this.message}\n  fix: ${this.fix}`;
  }
}

/** Several problems found in one pass, reported together so a user fixes them in one round. */
export class ImageLayersErrors extends Error {
  constructor(readonly errors: ImageLayersError[]) {
    super(errors.map((error) => error.message).join('\n'));
    this.name = 'ImageLayersErrors';
  }

  format(cwd = process.cwd()): string {
    return this.errors.map((error) => error.format(cwd)).join('\n');
  }
}

/** Throws all collected problems at once, or nothing when there are none. */
export function throwIfAny(errors: ImageLayersError[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ImageLayersErrors(errors);
}
