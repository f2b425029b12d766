/** The report's sections on the DuckDB anchor and on correctness. */
import type { BenchResults } from './bench.js';
import { ENGINE_NAMES, LAYOUT_NAMES, esc, table } from './reportNames.js';

/** What "DuckDB" means in every ratio, with the SQL as it ran. */
export function anchorSection(r: BenchResults): string {
  const layout = r.options.layouts.find((l) => r.plainSql[l]);
  const exact = r.measurements.some((m) => m.engine === 'duckdb-exact');
  return [
    'Every "ours/DuckDB" ratio is against **DuckDB running the rule as plain SQL** ' +
      '([benchmarks/duckdbPlainRule.ts](duckdbPlainRule.ts)): `avg` per metric over the recent 10 s buckets grouped by ' +
      '(cluster, workload, process, bucket), `avg` and `stddev_samp` per metric over the baseline grouped by (workload, process), ' +
      'one join, the threshold and `count > 5` in SQL; only the messages are formatted in JS. Its sums are plain float sums, ' +
      'so its numbers may differ from ours in the last digits (see Correctness).' +
      (exact ? ' The "DuckDB exact variant" row ([benchmarks/duckdbRule.ts](duckdbRule.ts)) adds `favg`, `min` and `max` of every ' +
        'metric in both windows and a `CASE` per value so that its means equal ours exactly (its `stddev_samp` still differs in ' +
        'the last digits): about three times the aggregates, shown for the record and never used in a ratio.' : ''),
    '',
    ...(layout ? [`The query as it ran on the ${LAYOUT_NAMES[layout]} layout (the other layouts differ only in the path):`, '',
      '```sql', r.plainSql[layout]!, '```', ''] : []),
  ].join('\n');
}

export function correctnessSection(r: BenchResults): string {
  const c = r.correctness;
  const names = [...new Set(r.measurements.map((m) => m.engine))].filter((e) => e !== 'ours' && e !== 'floor').map((e) => ENGINE_NAMES[e]);
  const others = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names.join('');
  const head = `Every run of egress-anomaly and of ${others} on every layout reported the same ${c.findings} findings ` +
    `(host, workload, process, count), checked ${c.comparisons} times; the harness stops at the first difference.`;
  if (c.messages.length === 0) return head;
  const rows = c.messages.map((m) => [m.engine === 'ours' ? `${ENGINE_NAMES.ours} (against its first run)` : ENGINE_NAMES[m.engine], LAYOUT_NAMES[m.layout],
    String(m.messages), String(m.identical), String(m.withinTolerance),
    m.beyond ? `**${m.beyond}**: ${m.example ? esc(m.example.join(' / ')) : ''}` : '0']);
  return [head, '',
    'Anomaly messages against ours, one by one (first run of each engine and layout): byte-identical; not byte-identical but ' +
    'the same metric and printed z with value, avg and stdev within 1e-9 relative (engines sum in other orders, so the last ' +
    'digits of a mean or standard deviation can differ; benchmarks/compareFindings.ts); or beyond that, which fails the run:', '',
    table(['engine', 'layout', 'messages', 'byte-identical', 'not identical, within 1e-9', 'beyond'], rows, ['---', '---', '---:', '---:', '---:', '---'])].join('\n');
}
