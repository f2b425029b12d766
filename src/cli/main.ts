#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { defaultWorkers } from '../pool/createPool.js';
import type { BenchArgs } from './benchCommand.js';
import type { DetectArgs } from './detectCommand.js';
import type { ExportArgs } from './exportCommand.js';
import type { HuntArgs } from './huntCommand.js';
import type { MergeArgs } from './mergeCommand.js';
import type { RulesArgs } from './rulesCommand.js';
import type { ScoreArgs } from './scoreCommand.js';
import { FORMATS } from '../output/formats.js';
import { withShardOptions } from './shardOptions.js';
import { DEMO_DATA } from './demoData.js';
import { exitOnSignal, signalled } from '../io/exitOnSignal.js';
import { describeErrno } from '../io/describeErrno.js';
import { rejectRepeatedOptions } from './rejectRepeatedOptions.js';
import { UsageError } from './parseOptions.js';
import { timestampUnitOption, withDeliveryOptions, withRuleOptions } from './ruleOptions.js';

const EXIT_RUNTIME = 1;
const EXIT_USAGE = 2;

/** yargs says "Argument: format"; we name options as they are typed, on one line. */
export function usageMessage(msg: string): string {
  return msg
    .replace(/Invalid values:\s*Argument: ([\w-]+), Given: ("[^"]*"|\S+), Choices: (.*)/s, (_m, o, g, c) => `--${o}: expected one of ${c.trim()}, got ${g}`)
    .replace(/Missing required arguments?: (.*)/, (_m, list: string) => `missing required option ${list.split(', ').map((o) => `--${o}`).join(', ')}`)
    .replace(/Unknown arguments?: (.*)/, (_m, list: string) => `unknown option ${list.split(', ').map((o) => (o.startsWith('-') ? o : `--${o}`)).join(', ')}`)
    .replace(/\n\s*/g, ' ');
}

function fail(err: unknown): void {
  // a signal is stopping the workers, whose tasks now fail: its own exit (130 or 143) follows
  if (signalled()) return;
  const e = err as Error;
  process.stderr.write(`egress-anomaly: ${String(e?.message ?? err).replace(/\s*\n\s*/g, ' ')}\n`);
  if (process.env.EGRESS_ANOMALY_DEBUG && e?.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(err instanceof UsageError ? EXIT_USAGE : EXIT_RUNTIME);
}

async function main(): Promise<void> {
  await yargs(hideBin(process.argv))
    .scriptName('egress-anomaly')
    .locale('en') // messages are matched and quoted in English, whatever LANG says
    .middleware(rejectRepeatedOptions, true)
    .usage('$0 <command> [options]\n\nHunts data exfiltration in Kubernetes network metrics stored as Parquet,\nwith Splunk ES rule dd6afee6: anomalous outbound network activity from a process.')
    .command('export', 'write network metrics as Parquet (one folder per day): generated, or from OTLP or Splunk CSV archives', (y) => y
      .option('out', { type: 'string', demandOption: true, describe: 'output folder' })
      .option('source', { type: 'string', choices: ['generator', 'otlp', 'splunk-csv'], default: 'generator', describe: 'where the metrics come from' })
      .option('in', { type: 'string', array: true, describe: 'input files or folders (--source otlp or splunk-csv); a later run reads only new ones' })
      .option('aggregation', { type: 'string', default: 'az_az', describe: 'OTLP: keep points with this aggregation attribute' })
      .option('strict', { type: 'boolean', default: false, describe: 'fail on a malformed input record instead of skipping and counting it' })
      .option('days', { type: 'string', default: '30', describe: 'days of data' })
      .option('end', { type: 'string', describe: 'exclusive end, a midnight UTC [default: today 00:00Z]' })
      .option('seed', { type: 'string', default: '1', describe: 'random seed (same seed, same data)' })
      .option('clusters', { type: 'string', default: '3', describe: 'Kubernetes clusters' })
      .option('workloads', { type: 'string', default: '20', describe: 'workloads (1-3 processes each)' })
      .option('interval', { type: 'string', describe: 'generator: one point per series every INTERVAL, a multiple of 10s (30s is the OpenTelemetry network collector\'s cadence) [default: 10s]' })
      .option('busy-hours', { type: 'string', default: '0', describe: 'generator: N extra batch workloads whose tcp traffic is 8-20x its usual level in the same clock hour every day, the final hour included, labelled busy-hour (the flat baseline fires on them, --baseline-model hour-of-day must not)' })
      .option('weekly-batches', { type: 'string', default: '0', describe: 'generator: N extra batch workloads whose tcp traffic is 8-20x its usual level in the same clock hour once a week, on the final day\'s UTC weekday, the final hour included, labelled weekly-batch (the flat baseline fires on them; with a Saturday final day, --baseline-model hour-of-day --weekday-split must not)' })
      .option('slow-drips', { type: 'string', default: '0', describe: 'generator: N extra agent workloads with spiky traffic whose tcp.bytes and tcp.packets carry an extra 1.5-1.9 sd of their baseline in every 10 s bucket of the final 6 hours, labelled slow-drip (an exfiltration the published 3 sigma rule misses)' })
      .option('workers', { type: 'string', default: String(defaultWorkers()), describe: 'worker threads' })
      .option('force', { type: 'boolean', default: false, describe: 'replace a dataset already in --out' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress or summary on stderr' })
      .example('$0 export --out data/metrics --days 30 --seed 7', '30 days ending today, about 15 M rows')
      .example('$0 export --out data/jan --end 2026-02-01T00:00:00Z --days 31', 'a fixed month')
      .example('$0 export --out data/busy --busy-hours 3', 'with 3 daily batches at 23:00 UTC, to compare --baseline-model flat and hour-of-day')
      .example('$0 export --out data/weekly --weekly-batches 3 --end 2026-02-01T00:00:00Z', 'with 3 batches at 23:00 UTC every Saturday, to compare hour-of-day with and without --weekday-split')
      .example('$0 export --out data/drip --slow-drips 3', 'with 3 slow leaks over the final 6 hours, which the published rule misses: score a more sensitive baseline on them')
      .example('$0 export --source otlp --in /archive/otlp/ --out data/npm', 'Collector file or S3 exporter archives; rerun nightly for new files')
      .example('$0 export --source splunk-csv --in mstats.csv --out data/splunk', 'a Splunk mstats export'),
    async (a) => (await import('./exportCommand.js')).exportCommand(a as unknown as ExportArgs))
    .command('detect', 'run the detection at one time T', (y) => withShardOptions(withRuleOptions(y), false)
      .option('at', { type: 'string', describe: 'detection time T, ISO 8601 or epoch ms [default: end of the last 10 s bucket with data]' })
      .example('$0 detect --data data/metrics', 'findings at the latest data, as a table')
      .example('$0 detect --data data/metrics --at 2026-01-31T12:00:00Z --format json --out findings.json', 'a past hour, to a file')
      .example('$0 detect --data data/metrics --splunk-parity --suppress suppress.txt', 'the published search exactly, with site suppressions')
      .example('$0 detect --data data/metrics --at 2026-01-31T12:00:00Z --shard 2/7 --partials parts/', 'shard 2 of 7 (counting from 0) writes its partial; then: egress-anomaly merge --partials parts/'),
    async (a) => { await (await import('./detectCommand.js')).detectCommand(a as unknown as DetectArgs); })
    .command('hunt', 'run the detection at every T from --from to --to', (y) => withShardOptions(withRuleOptions(y), true)
      .option('from', { type: 'string', demandOption: true, describe: 'first detection time (ISO 8601 or epoch ms)' })
      .option('to', { type: 'string', demandOption: true, describe: 'last detection time, inclusive' })
      .option('step', { type: 'string', default: '1h', describe: 'distance between detection times' })
      .option('state', { type: 'string', describe: 'folder for incremental per-day state (nightly runs); several rules keep one store per keying in it' })
      .example('$0 hunt --data data/metrics --from 2026-01-30T01:00:00Z --to 2026-01-31T00:00:00Z', '24 hourly detections')
      .example('$0 hunt --data data/metrics --from 2025-02-01T00:00:00Z --to 2026-02-01T00:00:00Z --shards 12 --partials parts/', 'a year as a Kubernetes Indexed Job of 12 (JOB_COMPLETION_INDEX); then: egress-anomaly merge --partials parts/'),
    async (a) => (await import('./huntCommand.js')).huntCommand(a as unknown as HuntArgs))
    .command('merge', 'merge the partials of every shard of a detect or hunt into its findings, as one machine would write them', (y) => withDeliveryOptions(y
      .option('partials', { type: 'string', demandOption: true, describe: 'the folder (or s3://bucket/prefix/) the shards wrote to' })
      .option('format', { type: 'string', choices: FORMATS, describe: 'output format [default: table on a terminal, else ndjson; with --out, from its extension]' })
      .option('out', { type: 'string', describe: 'write findings to FILE (atomically) instead of stdout' }))
      .option('quiet', { type: 'boolean', default: false, describe: 'no summary on stderr' })
      .example('$0 merge --partials parts/ --format json --out findings.json', 'every shard present and of one plan, or exit 1 naming the missing and foreign ones'),
    async (a) => (await import('./mergeCommand.js')).mergeCommand(a as unknown as MergeArgs))
    .command('bench', 'measure detect on your own data at several worker counts, to pick --workers', (y) => y
      .option('data', { type: 'string', demandOption: true, describe: 'a Parquet file, or a folder searched recursively for *.parquet; or s3://bucket/prefix/, s3://bucket/key.parquet, https://host/file.parquet' })
      .option('workers', { type: 'string', describe: 'comma-separated worker counts to try [default: 1, 2, 4, ... up to the core count]' })
      .option('runs', { type: 'string', default: '3', describe: 'runs per worker count (the median is reported)' })
      .option('at', { type: 'string', describe: 'detection time T, ISO 8601 or epoch ms [default: as detect]' })
      .option('format', { type: 'string', choices: ['table', 'json'], default: 'table', describe: 'report format' })
      .option('timestamp-unit', timestampUnitOption)
      .option('quiet', { type: 'boolean', default: false, describe: 'no per-run progress on stderr' })
      .example('$0 bench --data data/metrics --workers 1,2,4,8', 'rows/s and peak memory per worker count'),
    async (a) => (await import('./benchCommand.js')).benchCommand(a as unknown as BenchArgs))
    .command('demo', 'the quick start: generate the default dataset once, then detect on it', (y) => y
      .option('data', { type: 'string', default: DEMO_DATA, describe: 'where the default dataset lives' })
      .option('workers', { type: 'string', describe: 'worker threads' })
      .option('quiet', { type: 'boolean', default: false }),
    async (a) => (await import('./demoCommand.js')).demoCommand(a as { data: string; workers?: string; quiet: boolean }))
    .command('rules', 'list the built-in rules and which the scan evaluates today; check a site\'s rule file', (y) => y
      .option('rules', { type: 'string', array: true, describe: "also list a site's own rule file (YAML or JSON); repeatable" })
      .option('check', { type: 'string', array: true, describe: 'validate a rule file (exit 2 naming file, line and field when it is not valid); repeatable' })
      .option('format', { type: 'string', choices: ['table', 'json'], default: 'table', describe: 'output format' })
      .option('schema', { type: 'boolean', default: false, describe: 'print the JSON Schema of rule files (rules/rule.schema.json)' })
      .example('$0 rules', 'id, kind, key, metrics and name of every built-in rule')
      .example('$0 rules --check site-rule.yaml', 'validate a site\'s rule before passing it to detect --rules'),
    async (a) => (await import('./rulesCommand.js')).rulesCommand(a as unknown as RulesArgs))
    .command('score', 'precision and recall of findings against labelled scenarios (the generator\'s labels.json, or your own)', (y) => y
      .option('findings', { type: 'string', demandOption: true, describe: 'findings of detect or hunt, as NDJSON or JSON' })
      .option('labels', { type: 'string', demandOption: true, describe: 'labels.json: [{ scenario, cluster, workload, process, expectedFinding }, ...], as export writes it' })
      .option('format', { type: 'string', choices: ['table', 'json'], default: 'table', describe: 'output format' })
      .option('rule', { type: 'string', array: true, describe: "score the labels of these rules (id, name or 8+ character id prefix) [default: the outbound rule and every rule with a finding in --findings]" })
      .option('window', { type: 'string', default: '1h', describe: "the run's recent window: a finding at T reports a label only if [T - window, T) overlaps the label's from..to (every built-in rule's window is 1h)" })
      .option('any-time', { type: 'boolean', default: false, describe: 'compare keys only, not times: a key reported at any T counts for its labels' })
      .example('$0 detect --data data/metrics --format ndjson --out findings.ndjson && $0 score --findings findings.ndjson --labels data/metrics/labels.json', 'score the default rule on generated data')
      .example('$0 hunt --data data/metrics --from 2026-01-30T00:00:00Z --to 2026-01-31T00:00:00Z --format ndjson --out day.ndjson && $0 score --findings day.ndjson --labels data/metrics/labels.json', 'a day of hourly T: a labelled key that fires outside its span counts as a false positive'),
    async (a) => (await import('./scoreCommand.js')).scoreCommand(a as unknown as ScoreArgs))
    .demandCommand(1, 'name a command: export, detect, hunt, merge, bench, demo, rules or score')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(process.stdout.columns ? Math.min(110, process.stdout.columns) : null)
    .fail((msg, err) => {
      fail(err ?? new UsageError(`${usageMessage(msg)} (see "egress-anomaly --help")`));
    })
    .parseAsync();
}

// A closed pipe (`| head`) ends output, not the run with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  fail(new Error(`output: cannot write stdout: ${describeErrno(err)}`, { cause: err }));
});

exitOnSignal();
main().catch(fail);
