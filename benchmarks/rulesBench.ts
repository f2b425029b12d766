/**
 * Several rules in one pass, measured: `npm run bench:rules [-- --runs 3 --workers 2]`.
 *
 * On a cached 30-day dataset (data/bench-rules/), as whole processes with the same worker count,
 * taken in turn within each round (so drift on a noisy machine hits every configuration alike):
 * the outbound rule alone; the three zscore rules (outbound, inbound, edge) in one detect; all five
 * built-ins in one detect; and each of the five alone, whose sum is what N separate runs cost.
 * The one-pass findings must equal the separate runs' findings merged in SPEC order, byte for byte,
 * or the run fails.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runNode } from './childRun.js';
import { commitOf } from './commitOf.js';
import { machineInfo } from './machine.js';
import { formatBytes, formatSeconds, median } from '../src/bench/stats.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const END = Date.UTC(2026, 0, 31);

const RULES = [
  { id: 'dd6afee6-e0a3-4028-a089-f47dd2842c22', name: 'outbound' },
  { id: '10442d8b-0701-4c25-911d-d67b906e713c', name: 'inbound' },
  { id: '886c7e51-2ea1-425d-8705-faaca5a64cc6', name: 'network edge' },
  { id: '13f081d6-7052-428a-bbb0-892c79ca7c65', name: 'new TCP edge' },
  { id: '49b7daca-4e3c-4899-ba15-9a175e056fa9', name: 'new UDP edge' },
];

interface Config { label: string; rules: string[] }

const ruleArgs = (ids: string[]) => ids.flatMap((id) => ['--rule', id]);

/** (detection_time, rule_id, host, key): the order detect writes several rules' findings in. */
function sortKey(line: string): string[] {
  const o = JSON.parse(line) as Record<string, string>;
  const v = Object.values(o);
  return [o.detection_time, o.rule_id, o.host, v[2], v[3]];
}

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

function merged(outputs: string[]): string {
  const lines = outputs.flatMap((o) => o.split('\n').filter(Boolean));
  const keyed = lines.map((l) => [sortKey(l), l] as const);
  keyed.sort((a, b) => compareKeys(a[0], b[0]));
  return keyed.map(([, l]) => `${l}\n`).join('');
}

async function main(): Promise<void> {
  const { values: v } = parseArgs({ options: { runs: { type: 'string', default: '3' }, workers: { type: 'string', default: '2' } } });
  const runs = Number(v.runs);
  const workers = v.workers!;
  const data = join(ROOT, 'data', 'bench-rules', 'exporter');
  const exportArgs = ['export', '--out', data, '--days', '30', '--seed', '11', '--clusters', '4', '--workloads', '34', '--end', new Date(END).toISOString()];
  if (!existsSync(join(data, '_export.json'))) {
    process.stderr.write(`bench:rules: generating 30 days into ${data} (once)\n`);
    await runNode([CLI, ...exportArgs, '--force', '--quiet'], ROOT, 'bench:rules');
  }
  const rows = (JSON.parse(readFileSync(join(data, '_export.json'), 'utf8')) as { files: { rows: number }[] }).files.reduce((s, f) => s + f.rows, 0);
  const configs: Config[] = [
    { label: 'outbound alone', rules: [RULES[0].id] },
    { label: '3 zscore rules, one detect', rules: RULES.slice(0, 3).map((r) => r.id) },
    { label: 'all 5 rules, one detect', rules: RULES.map((r) => r.id) },
    ...RULES.slice(1).map((r) => ({ label: `${r.name} alone`, rules: [r.id] })),
  ];
  const ms = new Map<string, number[]>(configs.map((c) => [c.label, []]));
  const out = new Map<string, string>();
  for (let i = 0; i < runs; i++) {
    for (const c of configs) {
      const r = await runNode([CLI, 'detect', '--data', data, '--at', String(END), '--workers', workers, '--format', 'ndjson', '--quiet', ...ruleArgs(c.rules)], ROOT, 'bench:rules');
      ms.get(c.label)!.push(r.ms);
      out.set(c.label, r.stdout);
      process.stderr.write(`bench:rules: ${c.label} run ${i + 1}/${runs}: ${formatSeconds(r.ms)} s\n`);
    }
  }
  const alone = (id: string) => configs.find((c) => c.rules.length === 1 && c.rules[0] === id)!.label;
  for (const c of configs.filter((x) => x.rules.length > 1)) {
    if (merged(c.rules.map((id) => out.get(alone(id))!)) !== out.get(c.label)) {
      throw new Error(`bench:rules: "${c.label}" found other findings than its rules run one by one`);
    }
  }
  const med = (label: string) => median(ms.get(label)!);
  const one = med(configs[0].label);
  const sumOf = (ids: string[]) => ids.reduce((s, id) => s + med(alone(id)), 0);
  const m = machineInfo();
  const lines = [
    '# Several rules in one pass',
    '',
    `Measured ${new Date().toISOString()} at commit ${commitOf(ROOT)}. Command: \`npm run bench:rules -- --runs ${runs} --workers ${workers}\`.`,
    '',
    `Machine: ${m.cores} cores (${m.cpuModel}), ${formatBytes(m.memoryBytes)}, Node.js ${m.node}. Data: ${rows} rows, 30 days ending ` +
      `${new Date(END).toISOString()} (\`egress-anomaly ${exportArgs.join(' ').replace(data, 'data/bench-rules/exporter')}\`), detect at that T, ` +
      `${workers} workers, every figure a whole process (start-up included), median of ${runs} run${runs === 1 ? '' : 's'}, the configurations taken in turn in each round.`,
    '',
    'One detect decodes every row group once and folds it once per keying its rules use: the outbound rule keys on source workload ' +
      'and process (and uses the exporter\'s key runs), the inbound rule on destination workload and process, the edge rules on source ' +
      'and destination workload (the network-edge zscore rule and both new-edge rules share that keying and so one partial state). ' +
      'The findings of each one-pass run were checked equal, byte for byte, to its rules run one by one and merged in SPEC order.',
    '',
    '| configuration | median s | runs (s) | vs outbound alone |',
    '| --- | ---: | --- | ---: |',
    ...configs.map((c) => `| ${c.label} | ${formatSeconds(med(c.label))} | ${ms.get(c.label)!.map(formatSeconds).join(', ')} | ${(med(c.label) / one).toFixed(2)}x |`),
    '',
    '| rules | one detect | separate runs (sum of medians) | one detect / separate | one detect / one rule |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...configs.filter((c) => c.rules.length > 1).map((c) => {
      const sep = sumOf(c.rules);
      return `| ${c.rules.length} | ${formatSeconds(med(c.label))} | ${formatSeconds(sep)} | ${(med(c.label) / sep).toFixed(2)}x | ${(med(c.label) / one).toFixed(2)}x (goal for 3: 1.50x) |`;
    }),
    '',
  ];
  const file = join(ROOT, 'benchmarks', 'RESULTS-rules.md');
  writeFileSync(file, lines.join('\n'));
  process.stdout.write(lines.join('\n'));
  process.stderr.write(`bench:rules: wrote ${file}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
