/**
 * The rule as a nodejs-polars lazy query: one scan, the recent buckets and the baseline moments as
 * two group-bys over it, an inner join on (workload, process), the threshold test as a filter.
 * Only candidate buckets come back to JS for the messages (shared with the DuckDB port).
 */
import { findingsOf, isMetricName, parquetGlob, type CandidateRow, type Finding, type RuleSettings } from './ruleFindings.js';

// nodejs-polars is not a dependency (its native package is linux-x64-glibc only and wants Node 22):
// `npm run bench` installs nothing, and leaves Polars out unless it is installed by hand.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Expr = any;
let pl: any;

export const POLARS_INSTALL = 'npm i --no-save nodejs-polars@0.25.2 nodejs-polars-linux-x64-gnu@0.25.2';

/** Whether nodejs-polars can be loaded here. */
export async function polarsAvailable(): Promise<boolean> {
  try {
    const name = 'nodejs-polars';
    pl ??= ((await import(name)) as { default: unknown }).default;
    return true;
  } catch {
    return false;
  }
}

const NUMERIC = /\b(U?Int(8|16|32|64)|Float(32|64)|Decimal)\b/;

function clamp(mean: Expr, mn: Expr, mx: Expr): Expr {
  return pl.when(mn.eq(mx)).then(mn).otherwise(pl.minHorizontal([mx, pl.maxHorizontal([mn, mean])]));
}

export async function polarsDetect(data: string, s: RuleSettings): Promise<{ findings: Finding[]; metrics: string[] }> {
  if (!(await polarsAvailable())) throw new Error(`polars: nodejs-polars is not installed (${POLARS_INSTALL})`);
  const scan = pl.scanParquet(parquetGlob(data));
  const schema = scan.limit(0).collectSync().schema as Record<string, unknown>;
  const metrics = Object.entries(schema).filter(([n, t]) => isMetricName(n) && NUMERIC.test(String(t))).map(([n]) => n)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const tsType = String(schema.timestamp ?? '');
  if (!tsType) throw new Error(`polars: ${data} has no timestamp column`);
  const ts = /Datetime/.test(tsType) ? pl.col('timestamp').dt.timestamp() /* epoch ms */ : pl.col('timestamp').cast(pl.Int64);
  const j = metrics.map((_, k) => k);
  const lo = s.atMs - s.baselineMs;
  const recentLo = s.atMs - s.windowMs;

  const src = scan
    .select(
      ts.alias('ts'),
      pl.col('k8s.cluster.name').cast(pl.Utf8).alias('c'),
      pl.col('source.workload.name').cast(pl.Utf8).alias('w'),
      pl.col('source.process.name').cast(pl.Utf8).alias('p'),
      ...metrics.map((name, k) => {
        const v = pl.col(name).cast(pl.Float64);
        return pl.when(v.isFinite().and(v.gtEq(0))).then(v).otherwise(pl.lit(null)).alias(`m${k}`);
      }),
    )
    .filter(pl.col('ts').gtEq(lo).and(pl.col('ts').lt(s.atMs))
      .and(pl.col('c').isNotNull()).and(pl.col('w').isNotNull()).and(pl.col('p').isNotNull()));

  const recent = src
    .filter(pl.col('ts').gtEq(recentLo))
    .withColumn(pl.col('ts').sub(pl.col('ts').modulo(s.spanMs)).alias('bucket'))
    .groupBy(['c', 'w', 'p', 'bucket'])
    .agg(...j.flatMap((k) => [
      pl.col(`m${k}`).mean().alias(`v${k}`), pl.col(`m${k}`).min().alias(`vn${k}`), pl.col(`m${k}`).max().alias(`vx${k}`),
    ]));
  const base = src
    .filter(pl.col('ts').lt(recentLo))
    .groupBy(['w', 'p'])
    .agg(...j.flatMap((k) => [
      pl.col(`m${k}`).mean().alias(`a${k}`), pl.col(`m${k}`).min().alias(`an${k}`), pl.col(`m${k}`).max().alias(`ax${k}`),
      pl.col(`m${k}`).std() /* ddof 1 */.alias(`s${k}`),
    ]));
  const anomalous = j.map((k) => clamp(pl.col(`v${k}`), pl.col(`vn${k}`), pl.col(`vx${k}`))
    .gt(clamp(pl.col(`a${k}`), pl.col(`an${k}`), pl.col(`ax${k}`)).add(pl.col(`s${k}`).mul(s.sigma))).fillNull(false));
  const joined = recent.join(base, { on: ['w', 'p'], how: 'inner' })
    .filter(anomalous.length ? pl.anyHorizontal(anomalous) : pl.lit(false));
  const df = await joined.collect();
  const records = df.toRecords() as Record<string, unknown>[];
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const candidates: CandidateRow[] = records.map((r) => ({
    cluster: String(r.c), workload: String(r.w), process: String(r.p),
    metrics: j.map((k) => ({
      value: n(r[`v${k}`]), vmin: n(r[`vn${k}`]), vmax: n(r[`vx${k}`]),
      avg: n(r[`a${k}`]), amin: n(r[`an${k}`]), amax: n(r[`ax${k}`]), stdev: n(r[`s${k}`]),
    })),
  }));
  return { findings: findingsOf(candidates, metrics, s), metrics };
}
