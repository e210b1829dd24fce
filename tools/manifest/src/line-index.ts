// Offsets to lines and back, for every tool that reports a place in a text file (manifests, Dockerfiles).

/**
 * Lines [firstLine, firstLine + lineCount) of a text, 0-based like the Dockerfile model's Position (and like
 * source maps): the one shape of "these lines of the composed Dockerfile came from that fragment".
 */
export interface LineRange {
  firstLine: number;
  lineCount: number;
}

export const rangeHolds = (range: LineRange, line: number): boolean =>
  line >= range.firstLine && line < range.firstLine + range.lineCount;

/** The offset where each line starts (line 0 at offset 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The 0-based line and column of an offset, by binary search over the line starts: cheap for many lookups. */
export function positionIn(starts: number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low, column: offset - starts[low]! };
}

/**
 * Composed lines that came from one stretch of a fragment: `composerLines` the composer wrote first, then the
 * fragment's own lines from its 0-based `sourceLine` on, then `closingLines` of the composer's again (cache order
 * cuts a fragment in two and writes USER and WORKDIR back, see compose/cache-order.ts).
 */
export interface SourceMappedRange extends LineRange {
  sourceLine: number;
  composerLines: number;
  closingLines: number;
}

type MaybeMapped = LineRange & Partial<SourceMappedRange>;

/** The 0-based fragment line that composed `line` came from; a line the composer wrote maps to the nearest. */
export const sourceLineOf = (range: MaybeMapped, line: number): number => {
  const own = range.lineCount - (range.composerLines ?? 0) - (range.closingLines ?? 0);
  const offset = line - range.firstLine - (range.composerLines ?? 0);
  return (range.sourceLine ?? 0) + Math.min(Math.max(0, offset), Math.max(0, own - 1));
};

/** Whether composed `line` is one the composer wrote into the range, not a line of the fragment. */
export const isComposerLine = (range: MaybeMapped, line: number): boolean =>
  line < range.firstLine + (range.composerLines ?? 0) ||
  line >= range.firstLine + range.lineCount - (range.closingLines ?? 0);
