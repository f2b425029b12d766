import { readFile } from 'node:fs/promises';
import { scoreFindings } from '../evaluate/scoreFindings.js';
import { parseFindings, parseLabels, type ScoredLabel } from '../evaluate/scoreInputs.js';
import { OUTBOUND_RULE_ID } from '../rule/builtinRules.js';
import { ruleCatalogOf } from './selectRule.js';
import { formatScore } from '../evaluate/scoreTable.js';
import { parseDuration } from './parseOptions.js';

export interface ScoreArgs {
  findings: string;
  labels: string;
  format: 'table' | 'json';
  rule?: string[];
  window: string;
  'any-time': boolean;
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
  const windowMs = a['any-time'] ? Infinity : parseDuration('window', a.window);
  // a rule named by --rule must exist, but labels and findings may name site rules too
  const picked = a.rule?.map((r) => {
    const hit = ruleCatalogOf([]).find(r);
    return hit ? hit.id : r;
  });
  const [findingsText, labelsText] = await Promise.all([readText(a.findings, 'findings'), readText(a.labels, 'labels')]);
  const findings = parseFindings(findingsText, a.findings);
  const labels = parseLabels(labelsText, a.labels);
  // the findings file does not say which rules ran: by default the rules it holds findings of, and the outbound rule
  const scope = new Set(picked ?? [OUTBOUND_RULE_ID, ...findings.map((f) => f.rule_id)]);
  const ruleOf = (l: ScoredLabel) => l.rule ?? OUTBOUND_RULE_ID;
  const skipped = [...new Set(labels.filter((l) => !scope.has(ruleOf(l))).map(ruleOf))];
  const report = scoreFindings(findings.filter((f) => scope.has(f.rule_id)), labels.filter((l) => scope.has(ruleOf(l))), windowMs);
  const note = skipped.length === 0 ? '' : `Not scored: the labels of ${skipped.join(', ')}, a rule with no finding in ${a.findings} ` +
    `(run it, or name it with --rule to count its labels as missed).\n`;
  process.stdout.write(a.format === 'json' ? `${JSON.stringify({ ...report, rules: [...scope], unscoredRules: skipped }, null, 2)}\n` : formatScore(report) + note);
}
