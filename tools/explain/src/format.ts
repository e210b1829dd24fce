import type { StepKind } from '@image-layers/lint/step-kind';
import type { Explanation, ImageExplanation } from './explain';
import type { Step } from './steps';

// The report of `image-layers explain`: a table people read (tty), or the same facts as JSON for tools.

const LABEL: Record<StepKind, string> = {
  'package-install': 'package install',
  'network-install': 'network install',
  run: 'run',
  copy: 'copy',
  metadata: 'metadata',
};

const clip = (text: string, width = 100) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

function stepLine(step: Step): string {
  const from = step.source ? `${step.source.file}:${step.source.line}` : 'written by the composer';
  return `  ${String(step.line + 1).padStart(4)}  ${LABEL[step.kind].padEnd(15)}  ${step.unit.padEnd(18)}  ${clip(step.text, 72)}  (${from})`;
}

function imageReport(image: ImageExplanation): string[] {
  if (!image.first) return [`${image.image}: nothing re-runs (all ${image.steps} steps cached)`];
  const installs = image.counts['package-install'] + image.counts['network-install'];
  const kinds = (Object.keys(LABEL) as StepKind[])
    .filter((kind) => image.counts[kind] > 0)
    .map((kind) => `${image.counts[kind]} ${LABEL[kind]}`)
    .join(', ');
  return [
    `${image.image}: ${image.after.length + 1} of ${image.steps} steps re-run (${kinds})${installs === 0 ? '; no install' : ''}`,
    `  first invalidated, because ${image.because}:`,
    stepLine(image.first),
    ...(image.after.length > 0 ? ['  then re-run:', ...image.after.map(stepLine)] : []),
  ];
}

export function formatTty(explanation: Explanation): string {
  const change = explanation.since
    ? `${explanation.changed.length} file(s) changed since ${explanation.since}`
    : `an edit of ${explanation.changed.join(', ')}`;
  const reached = explanation.images.filter((image) => image.first);
  const untouched = explanation.images.filter((image) => !image.first).map((image) => image.image);
  const lines = [`${change} reaches ${reached.length} of ${explanation.images.length} image(s)`];
  for (const note of explanation.notes) lines.push(`note: ${note}`);
  for (const image of reached) lines.push('', ...imageReport(image));
  if (untouched.length > 0) lines.push('', `not reached (every step cached): ${untouched.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

const stepJson = (step: Step) => ({
  line: step.line + 1,
  instruction: step.text,
  keyword: step.keyword,
  kind: step.kind,
  unit: step.unit,
  unitKind: step.unitKind,
  part: step.part,
  source: step.source ?? null,
  copies: step.copies,
});

export function formatJson(explanation: Explanation): string {
  return `${JSON.stringify(
    {
      changed: explanation.changed,
      since: explanation.since ?? null,
      notes: explanation.notes,
      images: explanation.images.map((image) => ({
        image: image.image,
        dir: image.dir,
        reached: image.first !== undefined,
        steps: image.steps,
        firstInvalidated: image.first ? { ...stepJson(image.first), because: image.because } : null,
        reRunAfter: image.after.map(stepJson),
        counts: image.counts,
      })),
    },
    null,
    2,
  )}\n`;
}
