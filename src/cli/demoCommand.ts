import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioLabel } from '../source/generator/generatorTypes.js';
import { EXPORT_MANIFEST, LABELS_FILE } from '../pipeline/exportData.js';
import { isReported } from '../evaluate/matchLabel.js';
import { defaultWorkers } from '../pool/createPool.js';
import { detectCommand } from './detectCommand.js';
import { exportCommand } from './exportCommand.js';
import { log } from './progress.js';
import { OUTBOUND_RULE_ID, builtinRules } from '../rule/builtinRules.js';
import { outboundRule } from '../rule/rule.js';
import { toTable } from '../output/formats.js';

/** the inbound rule's labels name the destination as workload and process */
const INBOUND_ID = '10442d8b-0701-4c25-911d-d67b906e713c';

export { DEMO_DATA } from './demoData.js';

/** The quick start: export the default dataset once, run every built-in rule in one pass, check the labelled scenarios. */
export async function demoCommand(a: { data: string; workers?: string; quiet: boolean }): Promise<void> {
  const workers = a.workers ?? String(defaultWorkers());
  const labelsFile = join(a.data, LABELS_FILE);
  const stale = existsSync(labelsFile) && !(JSON.parse(await readFile(labelsFile, 'utf8')) as ScenarioLabel[]).some((l) => l.rule);
  if (!existsSync(join(a.data, EXPORT_MANIFEST)) || stale) {
    log(a.quiet, stale
      ? `demo: the dataset in ${a.data} was made by an earlier version, without the destination side; generating it again`
      : `demo: no dataset in ${a.data} yet; generating the default one (30 days, about 15 M rows)`);
    await exportCommand({ out: a.data, days: '30', seed: '1', clusters: '3', workloads: '20', workers, force: true, quiet: a.quiet });
  }
  const findingsFile = join(a.data, '..', 'findings.ndjson');
  const rules = builtinRules();
  const found = await detectCommand({
    data: a.data, workers, rule: rules.map((r) => r.id), window: '1h', baseline: '30d',
    'splunk-parity': false, strict: false, format: 'ndjson', out: findingsFile, quiet: a.quiet,
  });
  const outbound = found.filter((f) => f.rule_id === OUTBOUND_RULE_ID);
  log(a.quiet, `\n${outboundRule().name}:\n`);
  log(a.quiet, toTable(outbound).trimEnd());
  log(a.quiet, '\nIts siblings, in the same pass:');
  for (const r of rules.filter((x) => x.id !== OUTBOUND_RULE_ID)) {
    const n = found.filter((f) => f.rule_id === r.id).length;
    log(a.quiet, `  ${r.name} (${r.id.slice(0, 8)}): ${n} finding${n === 1 ? '' : 's'}`);
  }
  const labels = JSON.parse(await readFile(labelsFile, 'utf8')) as ScenarioLabel[];
  log(a.quiet, '\nLabelled scenarios in the final hour:');
  for (const l of labels) {
    const hit = isReported(l, found);
    const verdict = hit === l.expectedFinding ? 'as expected' : 'UNEXPECTED';
    const rule = (l.rule ?? OUTBOUND_RULE_ID).slice(0, 8);
    const dest = l.rule && l['dest.workload.name'] && l.rule !== INBOUND_ID ? ` -> ${l['dest.workload.name']}` : '';
    log(a.quiet, `  ${l.scenario.padEnd(19)} ${rule}  ${l.cluster}/${l.workload}/${l.process}${dest}: ${hit ? 'reported' : 'not reported'} (${verdict})`);
  }
  log(a.quiet, `Findings of all five rules as NDJSON: ${findingsFile}`);
}
