/**
 * What the exact baseline sums cost per value, single-threaded: the scan's accumulateBaseline on
 * runs of one key (the exporter's layout, 15 keys per 131,072-row batch, as in its row groups)
 * against the cheapest loop that could replace it, plain float64 sums with the same validity test
 * and min/max. The values are integers up to 1e7, like the exporter's byte counts; both loops see
 * the same batch, taking turns.
 *
 *   node dist/benchmarks/momentLoops.js [--passes N]
 */
import { parseArgs } from 'node:util';
import { Float64, makeData } from 'apache-arrow';
import { accumulateBaseline } from '../src/scan/accumulateBaseline.js';
import { MOMENT_STRIDE, newMoments } from '../src/state/moments.js';

const ROWS = 131_072;
const KEYS = 15;
const METRICS = 5;

/** The replacement candidate: plain sums per run, flushed like the real loop flushes its runs. */
function plainRuns(v: Float64Array, slotOf: Int32Array, n: number, a: Float64Array, mo: number): number {
  let invalid = 0;
  let i = 0;
  while (i < n) {
    const slot = slotOf[i];
    let j = i + 1;
    while (j < n && slotOf[j] === slot) j++;
    let cnt = 0, s = 0, q = 0, mn = Infinity, mx = -Infinity;
    for (let k = i; k < j; k++) {
      const x = v[k];
      if (!(x >= 0 && x < Infinity)) { invalid++; continue; }
      cnt++;
      s += x;
      q += x * x;
      mn = x < mn ? x : mn;
      mx = x > mx ? x : mx;
    }
    const o = slot + mo;
    a[o] += cnt; a[o + 1] += s; a[o + 3] += q;
    if (mn < a[o + 5]) a[o + 5] = mn;
    if (mx > a[o + 6]) a[o + 6] = mx;
    i = j;
  }
  return invalid;
}

function main(): void {
  const { values } = parseArgs({ options: { passes: { type: 'string', default: '200' } } });
  const passes = Number(values.passes);
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const v = new Float64Array(ROWS);
  for (let i = 0; i < ROWS; i++) v[i] = Math.floor(random() * 1e7);
  const col = makeData({ type: new Float64(), length: ROWS, data: v, nullCount: 0 });
  const slotOf = new Int32Array(ROWS);
  for (let i = 0; i < ROWS; i++) slotOf[i] = Math.floor((i * KEYS) / ROWS) * METRICS * MOMENT_STRIDE;
  const loops: [string, (a: Float64Array, j: number) => void][] = [
    ['accumulateBaseline (compensated, the scan\'s)', (a, j) => { accumulateBaseline(col, slotOf, ROWS, a, j * MOMENT_STRIDE, true); }],
    ['plain float64 sums, same test and min/max', (a, j) => { plainRuns(v, slotOf, ROWS, a, j * MOMENT_STRIDE); }],
  ];
  const best = loops.map(() => Infinity);
  for (let round = 0; round < 5; round++) {
    loops.forEach(([, f], k) => {
      const a = newMoments(KEYS * METRICS);
      const t0 = performance.now();
      for (let p = 0; p < passes; p++) for (let j = 0; j < METRICS; j++) f(a, j);
      const ns = ((performance.now() - t0) * 1e6) / (passes * METRICS * ROWS);
      if (round > 0) best[k] = Math.min(best[k], ns);
    });
  }
  process.stdout.write(`per value, best of 4 rounds of ${passes} passes over ${ROWS} rows x ${METRICS} metrics (${KEYS} key runs):\n`);
  loops.forEach(([name], k) => process.stdout.write(`  ${name.padEnd(46)} ${best[k].toFixed(2)} ns\n`));
  process.stdout.write(`  ratio compensated / plain                      ${(best[0] / best[1]).toFixed(2)}x\n`);
}

main();
