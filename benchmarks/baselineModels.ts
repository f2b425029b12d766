/**
 * Baseline models against labelled scenarios:
 * `npm run bench:models [-- --seeds 4 --busy-hours 3 --weekly-batches 3 --slow-drips 3]`.
 *
 * For each seed, the generator's default fleet (3 clusters, 20 workloads, 30 days ending on a
 * Saturday) with --busy-hours daily batches and --weekly-batches Saturday batches (both must not
 * fire) and --slow-drips sustained small exfiltrations (should fire) besides its usual scenarios;
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
/** each model's name and its detect options */
const MODEL_ARGS: Record<string, string[]> = {
  flat: ['--baseline-model', 'flat'],
  'hour-of-day': ['--baseline-model', 'hour-of-day'],
  'hour-of-day --weekday-split': ['--baseline-model', 'hour-of-day', '--weekday-split'],
  robust: ['--baseline-model', 'robust'],
};
const MODELS = Object.keys(MODEL_ARGS);
/** the final day, 2026-01-31, is a Saturday: the weekly batches run on Saturdays */
const END = '2026-02-01T00:00:00Z';

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
  const { values: v } = parseArgs({
    options: {
      seeds: { type: 'string', default: '4' }, 'busy-hours': { type: 'string', default: '3' },
      'weekly-batches': { type: 'string', default: '3' }, 'slow-drips': { type: 'string', default: '3' }, workers: { type: 'string', default: '2' },
    },
  });
  const seeds = Number(v.seeds);
  const busy = v['busy-hours']!;
  const weekly = v['weekly-batches']!;
  const drips = v['slow-drips']!;
  const extra = ['--busy-hours', busy, '--weekly-batches', weekly, '--slow-drips', drips];
  const perScenario = new Map<string, Map<string, Counts>>(MODELS.map((m) => [m, new Map()]));
  const totals = new Map<string, Counts & { unlabelled: number }>(MODELS.map((m) => [m, { ...zero(), unlabelled: 0 }]));
  const expected = new Map<string, string>();
  for (let seed = 1; seed <= seeds; seed++) {
    const data = join(ROOT, 'data', 'bench-models', `seed-${seed}-b${busy}-w${weekly}-d${drips}`);
    if (!existsSync(join(data, '_export.json'))) {
      process.stderr.write(`bench:models: generating seed ${seed} into ${data} (once)\n`);
      await runNode([CLI, 'export', '--out', data, '--days', '30', '--seed', String(seed), '--clusters', '3', '--workloads', '20',
        ...extra, '--end', END, '--workers', v.workers!, '--force', '--quiet'], ROOT, 'bench:models');
    }
    for (const model of MODELS) {
      const out = join(data, `findings-${model.replace(/[^a-z-]+/g, '_')}.ndjson`);
      await runNode([CLI, 'detect', '--data', data, '--workers', v.workers!, ...MODEL_ARGS[model]!, '--format', 'ndjson', '--out', out, '--quiet'], ROOT, 'bench:models');
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
  const recall = (t: Counts) => ratio(t.truePositives, t.truePositives + t.falseNegatives);
  const lines = [
    '# Baseline models against labelled scenarios',
    '',
    `Measured ${new Date().toISOString()} at commit ${commitOf(ROOT)}. Command: \`npm run bench:models -- --seeds ${seeds} ${extra.join(' ')}\`.`,
    '',
    `Data: for each seed 1..${seeds}, \`egress-anomaly export --days 30 --seed SEED --clusters 3 --workloads 20 ${extra.join(' ')} --end ${END}\` ` +
      '(the generator\'s scenarios for the outbound rule, plus daily batches at the same hour every day, labelled busy-hour, and Saturday batches at the same hour, ' +
      'labelled weekly-batch, which must not fire, and sustained small exfiltrations below 3 sigma per bucket, labelled slow-drip, which should). ' +
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
    ...MODELS.filter((m) => m !== 'flat').map((m) => {
      const t = totals.get(m)!;
      return `- ${m}: recall ${recall(t)} (flat ${recall(flat)}); false positives ${m} / flat: ${ratio(t.falsePositives, flat.falsePositives)} (target: at most 0.5 at equal recall).`;
    }),
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
