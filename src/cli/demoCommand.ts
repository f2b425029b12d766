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
import { OUTBOUND_RULE_ID } from '../rule/builtinRules.js';
import { DEFAULT_PARAMS } from '../rule/rule.js';

export { DEMO_DATA } from './demoData.js';

/** The quick start: export the default dataset once, detect on it, check the labelled scenarios. */
export async function demoCommand(a: { data: string; workers?: string; quiet: boolean }): Promise<void> {
  const workers = a.workers ?? String(defaultWorkers());
  if (!existsSync(join(a.data, EXPORT_MANIFEST))) {
    log(a.quiet, `demo: no dataset in ${a.data} yet; generating the default one (30 days, about 15 M rows)`);
    await exportCommand({ out: a.data, days: '30', seed: '1', clusters: '3', workloads: '20', workers, force: true, quiet: a.quiet });
  }
  const findingsFile = join(a.data, '..', 'findings.ndjson');
  const common = {
    data: a.data, workers, sigma: String(DEFAULT_PARAMS.sigma), 'min-count': String(DEFAULT_PARAMS.minCount),
    window: '1h', span: '10s', baseline: '30d', metrics: DEFAULT_PARAMS.metricPatterns.join(','),
    'splunk-parity': false, strict: false,
  };
  const found = await detectCommand({ ...common, format: 'table', quiet: a.quiet }, [{ format: 'ndjson', out: findingsFile }]);
  // the demo runs the outbound rule; labels about its siblings (a `rule` field) wait for theirs
  const labels = (JSON.parse(await readFile(join(a.data, LABELS_FILE), 'utf8')) as ScenarioLabel[])
    .filter((l) => (l.rule ?? OUTBOUND_RULE_ID) === OUTBOUND_RULE_ID);
  log(a.quiet, '\nLabelled scenarios in the final hour:');
  for (const l of labels) {
    const hit = isReported(l, found);
    const verdict = hit === l.expectedFinding ? 'as expected' : 'UNEXPECTED';
    log(a.quiet, `  ${l.scenario.padEnd(19)} ${l.cluster}/${l.workload}/${l.process}: ${hit ? 'reported' : 'not reported'} (${verdict})`);
  }
  log(a.quiet, `Findings as NDJSON: ${findingsFile}`);
}
