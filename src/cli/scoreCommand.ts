import { readFile } from 'node:fs/promises';
import { scoreFindings } from '../evaluate/scoreFindings.js';
import { parseFindings, parseLabels } from '../evaluate/scoreInputs.js';
import { formatScore } from '../evaluate/scoreTable.js';

export interface ScoreArgs {
  findings: string;
  labels: string;
  format: 'table' | 'json';
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new Error(`score: cannot read the ${what} ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
}

/** egress-anomaly score: precision and recall of a detection run against labelled scenarios. */
export async function scoreCommand(a: ScoreArgs): Promise<void> {
  const [findings, labels] = await Promise.all([readText(a.findings, 'findings'), readText(a.labels, 'labels')]);
  const report = scoreFindings(parseFindings(findings, a.findings), parseLabels(labels, a.labels));
  process.stdout.write(a.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatScore(report));
}
