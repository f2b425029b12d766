/**
 * Baseline models against labelled scenarios: `npm run bench:models [-- --seeds 4 --busy-hours 3]`.
 *
 * For each seed, the generator's default fleet (3 clusters, 20 workloads, 30 days) with
 * --busy-hours daily batches (labelled busy-hour, must not fire) besides its usual scenarios;
 * detect at the end of the data with the outbound rule under each --baseline-model; `score`
 * against the labels. Precision and recall are summed over the seeds. It measures detection
 * quality, not time.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runNode } from './childRun.js';
import { commitOf } from './commitOf.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const MODELS = ['flat', 'hour-of-day'] as const;
const END = '2026-01-31T00:00:00Z';

interface Counts { labels: number; truePositives: number; falsePositives: number; falseNegatives: number }
interface Report {
  scenarios: (Counts & { scenario: string; expected: string })[];
  unlabelled: { falsePositives: number };
  total: Counts;
}

const add = (a: Counts, b: Counts): Counts => ({
  labels: a.labels + b.labels, truePositives: a.truePositives + b.truePositives,
  falsePositives: a.falsePositives + b.falsePositives, falseNegatives: a.falseNegatives + b.falseNegatives,
});
const zero = (): Counts => ({ labels: 0, truePositives: 0, falsePositives: 0, falseNegatives: 0 });
const ratio = (a: number, b: number) => (b === 0 ? '-' : (a / b).toFixed(3));

async function main(): Promise<void> {
  const { values: v } = parseArgs({ options: { seeds: { type: 'string', default: '4' }, 'busy-hours': { type: 'string', default: '3' }, workers: { type: 'string', default: '2' } } });
  const seeds = Number(v.seeds);
  const busy = v['busy-hours']!;
  const perScenario = new Map<string, Map<string, Counts>>(MODELS.map((m) => [m, new Map()]));
  const totals = new Map<string, Counts & { unlabelled: number }>(MODELS.map((m) => [m, { ...zero(), unlabelled: 0 }]));
  const expected = new Map<string, string>();
  for (let seed = 1; seed <= seeds; seed++) {
    const data = join(ROOT, 'data', 'bench-models', `seed-${seed}`);
    if (!existsSync(join(data, '_export.json'))) {
      process.stderr.write(`bench:models: generating seed ${seed} into ${data} (once)\n`);
      await runNode([CLI, 'export', '--out', data, '--days', '30', '--seed', String(seed), '--clusters', '3', '--workloads', '20',
        '--busy-hours', busy, '--end', END, '--workers', v.workers!, '--force', '--quiet'], ROOT, 'bench:models');
    }
    for (const model of MODELS) {
      const out = join(data, `findings-${model}.ndjson`);
      await runNode([CLI, 'detect', '--data', data, '--workers', v.workers!, '--baseline-model', model, '--format', 'ndjson', '--out', out, '--quiet'], ROOT, 'bench:models');
      const r = JSON.parse((await runNode([CLI, 'score', '--findings', out, '--labels', join(data, 'labels.json'), '--format', 'json', '--rule', 'dd6afee6'], ROOT, 'bench:models')).stdout) as Report;
      const byScenario = perScenario.get(model)!;
      for (const s of r.scenarios) {
        byScenario.set(s.scenario, add(byScenario.get(s.scenario) ?? zero(), s));
        expected.set(s.scenario, s.expected);
      }
      const t = totals.get(model)!;
      totals.set(model, { ...add(t, r.total), unlabelled: t.unlabelled + r.unlabelled.falsePositives });
      process.stderr.write(`bench:models: seed ${seed}, ${model}: TP ${r.total.truePositives}, FP ${r.total.falsePositives}, FN ${r.total.falseNegatives}\n`);
    }
  }
  const scenarios = [...expected.keys()];
  const flat = totals.get('flat')!;
  const hod = totals.get('hour-of-day')!;
  const lines = [
    '# Baseline models against labelled scenarios',
    '',
    `Measured ${new Date().toISOString()} at commit ${commitOf(ROOT)}. Command: \`npm run bench:models -- --seeds ${seeds} --busy-hours ${busy}\`.`,
    '',
    `Data: for each seed 1..${seeds}, \`egress-anomaly export --days 30 --seed SEED --clusters 3 --workloads 20 --busy-hours ${busy} --end ${END}\` ` +
      '(the generator\'s scenarios for the outbound rule, plus daily batches at the same hour every day, labelled busy-hour, which must not fire). ' +
      'detect at the end of the data with the outbound rule and each --baseline-model, scored with `egress-anomaly score --rule dd6afee6`; ' +
      'counts are keys (cluster, workload, process) summed over the seeds; a reported key no label names is a false positive.',
    '',
    `| scenario | expected | ${MODELS.map((m) => `${m} TP / FP / FN`).join(' | ')} |`,
    `| --- | --- | ${MODELS.map(() => '---:').join(' | ')} |`,
    ...scenarios.map((s) => `| ${s} | ${expected.get(s)} | ${MODELS.map((m) => {
      const c = perScenario.get(m)!.get(s) ?? zero();
      return `${c.truePositives} / ${c.falsePositives} / ${c.falseNegatives}`;
    }).join(' | ')} |`),
    `| (unlabelled) | must not fire | ${MODELS.map((m) => `0 / ${totals.get(m)!.unlabelled} / 0`).join(' | ')} |`,
    '',
    '| model | true positives | false positives | false negatives | precision | recall |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...MODELS.map((m) => {
      const t = totals.get(m)!;
      return `| ${m} | ${t.truePositives} | ${t.falsePositives} | ${t.falseNegatives} | ${ratio(t.truePositives, t.truePositives + t.falsePositives)} | ${ratio(t.truePositives, t.truePositives + t.falseNegatives)} |`;
    }),
    '',
    `Recall: flat ${ratio(flat.truePositives, flat.truePositives + flat.falseNegatives)}, hour-of-day ${ratio(hod.truePositives, hod.truePositives + hod.falseNegatives)}; ` +
      `false positives hour-of-day / flat: ${ratio(hod.falsePositives, flat.falsePositives)} (target: at most 0.5 at equal recall).`,
    '',
  ];
  const file = join(ROOT, 'benchmarks', 'RESULTS-models.md');
  writeFileSync(file, lines.join('\n'));
  process.stdout.write(lines.join('\n'));
  process.stderr.write(`bench:models: wrote ${file}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
