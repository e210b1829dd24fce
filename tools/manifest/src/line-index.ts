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
