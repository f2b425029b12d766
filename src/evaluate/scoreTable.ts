import type { ScoreCounts, ScoreReport } from './scoreFindings.js';

const share = (x: number | null): string => (x === null ? '-' : x.toFixed(3));

/** The score as a table for people; `score --format json` prints the report itself. */
export function formatScore(r: ScoreReport): string {
  const head = ['scenario', 'expected', 'labels', 'TP', 'FP', 'FN', 'precision', 'recall'];
  const row = (name: string, expected: string, c: ScoreCounts, labels = String(c.labels)) =>
    [name, expected, labels, String(c.truePositives), String(c.falsePositives), String(c.falseNegatives), share(c.precision), share(c.recall)];
  const u = r.unlabelled.falsePositives;
  const rows = [
    ...r.scenarios.map((s) => row(s.scenario, s.expected, s)),
    row('(unlabelled)', 'must not fire', { labels: 0, truePositives: 0, falsePositives: u, falseNegatives: 0, trueNegatives: 0, precision: u ? 0 : null, recall: null }, '-'),
    row('total', '', r.total),
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const fp = [...r.scenarios.flatMap((s) => s.falsePositiveKeys.map((k) => `${k} (${s.scenario})`)), ...r.unlabelled.keys.map((k) => `${k} (unlabelled)`)];
  const fn = r.scenarios.flatMap((s) => s.falseNegativeKeys.map((k) => `${k} (${s.scenario})`));
  return [
    `${r.findings} finding${r.findings === 1 ? '' : 's'}, ${r.keys} distinct key${r.keys === 1 ? '' : 's'} (${r.keyUnit}), against ${r.total.labels} label${r.total.labels === 1 ? '' : 's'}`,
    '',
    line(head),
    ...rows.map(line),
    '',
    `false positives: ${fp.length ? fp.join(', ') : 'none'}`,
    `false negatives: ${fn.length ? fn.join(', ') : 'none'}`,
    '',
    'Counted per key, as the demo checks the scenarios: a key reported at several detection times counts once.',
    r.windowMs === null
      ? "Detection times are not compared with the labels' times (--any-time). A reported key that matches no label counts as a false positive."
      : `A finding at T reports a label when its window [T - ${r.windowMs / 1000} s, T) overlaps the label's from..to; a key with a finding that no label explains counts as a false positive.`,
    '',
  ].join('\n');
}
