import { partialsStore } from '../io/partialsStore.js';
import { mergeShards } from '../pipeline/merge.js';
import { deliveryOf, type DeliveryArgs } from './deliveryOptions.js';
import { deliverFindings, emitFindings } from './emit.js';
import { reportWarnings } from './inputs.js';
import { UsageError, isoOf } from './parseOptions.js';
import { log, warn } from './progress.js';
import { outputFormatOf } from './ruleOptions.js';
import { checkPartials } from './shardOptions.js';
import { validateOutput } from './validateOutput.js';

export interface MergeArgs extends DeliveryArgs {
  partials: string;
  format?: string;
  quiet: boolean;
}

/**
 * egress-anomaly merge: the findings of every shard's partial in --partials, as one machine would
 * have written them, in any format and to --out, --report and --hec-url.
 */
export async function mergeCommand(a: MergeArgs): Promise<void> {
  if (a.partials.trim() === '') throw new UsageError('merge: --partials: expected a folder or s3://bucket/prefix/, got ""');
  const format = outputFormatOf(a);
  const delivery = deliveryOf(a, format);
  await checkPartials('merge', a.partials, false);
  await validateOutput('merge', a.out, format);
  const started = performance.now();
  const r = await mergeShards(partialsStore(a.partials));
  const { meta } = r.set;
  reportWarnings(r.warnings, false, 'merge');
  for (const w of r.emptyWindows) warn(`merge: warning: ${w}`);
  if (meta.command === 'hunt' && r.rowsRead === 0) {
    warn(`merge: warning: no rows fall between ${isoOf(meta.fromMs! - meta.params.baselineMs)} and ${isoOf(meta.toMs!)}, the baselines and windows of every T: check --from and --to against the data`);
  }
  await emitFindings(r.findings, format, a.out, { hec: delivery.hecEvent });
  await deliverFindings(r.findings, delivery, r.report, a.quiet, 'merge');
  const what = meta.command === 'detect' ? `detect at T=${isoOf(meta.atMs!)}` : `hunt from ${isoOf(meta.fromMs!)} to ${isoOf(meta.toMs!)} (split by ${meta.split})`;
  const n = r.set.shards.length;
  const secs = ((performance.now() - started) / 1000).toFixed(2);
  log(a.quiet, `merge: ${n} shard${n === 1 ? '' : 's'} of ${what}: ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}; ` +
    `${r.rowsRead} rows read by the shards, ${secs} s`);
}
