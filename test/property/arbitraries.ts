/**
 * fast-check arbitraries for small random datasets: logical rows around a detection time T (with
 * rows exactly at, and 1 ms or 1 ns either side of, T - baseline, T - window and T), null keys,
 * invalid values, and a physical layout (files, writers, row groups, orders, schema drift).
 */
import fc from 'fast-check';

export const SPAN = 10_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** 2026-01-10T12:00:00Z */
export const T0 = Date.UTC(2026, 0, 10, 12);

/** Metric columns a dataset may hold; tcp.retransmits is not one of the schema's five (it may be a string). */
export const METRICS = ['tcp.bytes', 'tcp.new_sockets', 'tcp.packets', 'udp.bytes', 'udp.packets', 'tcp.retransmits'] as const;

export interface RuleSpec {
  sigma: number;
  minCount: number;
  windowMs: number;
  baselineMs: number;
  splunkParity: boolean;
}

export interface RowSpec {
  /** ms from T; null for a row with a null timestamp */
  offsetMs: number | null;
  /** ns added to the millisecond (used only when every file stores nanoseconds) */
  subNs: number;
  cluster: string | null;
  workload: string | null;
  process: string | null;
  /** one per METRICS entry, before the dataset's offset is added to valid values */
  values: (number | null)[];
  file: number;
}

export type ColumnKind = 'double' | 'float' | 'integer' | 'absent' | 'string';

export interface FileSpec {
  writer: 'duckdb' | 'wasm';
  /** ms, us, ns: TIMESTAMP of that unit; tz: TIMESTAMPTZ; epoch_ms: int64 */
  ts: 'ms' | 'us' | 'ns' | 'tz' | 'epoch_ms';
  /** parquet-wasm only: row group size */
  rowGroupRows: number;
  columnOrder: 'canonical' | 'reversed' | 'shuffled';
  rowOrder: 'given' | 'time' | 'key' | 'shuffled';
  /** one per METRICS entry; integer and string fall back to double where the values do not fit */
  columns: ColumnKind[];
  /** parquet-wasm only: dictionary-encoded dimension columns */
  dictionary: boolean;
  compression: 'uncompressed' | 'snappy' | 'zstd';
  seed: number;
}

export interface HuntSpec {
  /** from = floor(T / span) * span + fromBuckets * span */
  fromBuckets: number;
  stepMs: number;
  times: number;
}

export interface DatasetSpec {
  /** T - T0 in ms (not always on the bucket grid) */
  atOffset: number;
  /** use the default T (end of the last bucket holding data) instead of T */
  defaultAt: boolean;
  rule: RuleSpec;
  /** every file stores ns timestamps and rows carry sub-millisecond offsets */
  nanos: boolean;
  /** added to every valid value: data far from zero */
  valueOffset: number;
  rows: RowSpec[];
  files: FileSpec[];
  hunt: HuntSpec;
  /** also compare with the DuckDB SQL reference */
  duckdb: boolean;
}

const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });

const ruleArb: fc.Arbitrary<RuleSpec> = fc.record({
  sigma: fc.constantFrom(0, 0.5, 1, 3),
  minCount: fc.constantFrom(0, 0, 0, 1, 2, 5),
  windowMs: fc.constantFrom(HOUR, HOUR, 20 * 60_000),
  baselineMs: fc.constantFrom(30 * DAY, DAY, 6 * HOUR),
  splunkParity: fc.constantFrom(false, false, false, true),
});

/** ms from T, for a rule's window and baseline */
function offsetArb(rule: RuleSpec): fc.Arbitrary<number | null> {
  const { windowMs: W, baselineMs: B } = rule;
  const bucketsInWindow = W / SPAN;
  const recentBucket = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: bucketsInWindow - 3, max: bucketsInWindow - 1 }));
  const inBucket = fc.oneof(fc.constantFrom(0, 1, SPAN - 1), fc.integer({ min: 0, max: SPAN - 1 }));
  return fc.oneof(
    w(3, fc.tuple(fc.constantFrom(-B, -W, 0), fc.constantFrom(-1, 0, 1)).map(([a, b]) => a + b)),
    w(8, fc.tuple(recentBucket, inBucket).map(([k, o]) => -W + k * SPAN + o)),
    // a few baseline instants, so that rows share them; and anywhere in the baseline
    w(3, fc.constantFrom(-B + 5 * HOUR, -W - 7 * SPAN - 3, -W - 2 * HOUR)),
    w(3, fc.integer({ min: -B, max: -W - 1 })),
    w(1, fc.oneof(fc.integer({ min: -B - 2 * DAY, max: -B - 1 }), fc.integer({ min: 1, max: 2 * HOUR }))),
    w(1, fc.constant(null)),
  );
}

/** Values of baseline rows (mostly small), and of recent ones (spikes more often). */
function valueArb(recent: boolean): fc.Arbitrary<number | null> {
  return fc.oneof(
    w(3, fc.constant(null)),
    w(8, fc.integer({ min: 0, max: 20 })),
    w(recent ? 8 : 1, fc.integer({ min: 50, max: 5000 })),
    w(2, fc.constantFrom(0.1, 0.2, 0.3, 1.5, 2.25, 1e-7, 1 / 3)),
    // not below 1e-6: tiny values meet the known bugs of numericLimits.test.ts
    w(1, fc.double({ min: 1e-6, max: 100, noNaN: true })),
    w(2, fc.constantFrom(NaN, -1, -0.5, Infinity, -Infinity)),
  );
}

function rowArb(rule: RuleSpec, files: number): fc.Arbitrary<RowSpec> {
  return offsetArb(rule).chain((offsetMs) => {
    const recent = offsetMs !== null && offsetMs >= -rule.windowMs && offsetMs < 0;
    return fc.record({
      offsetMs: fc.constant(offsetMs),
      subNs: fc.constantFrom(0, 0, -1, 1, 999_999),
      cluster: fc.oneof(w(5, fc.constant('c0')), w(3, fc.constant('c1')), w(1, fc.constant('c-\u00fc')), w(2, fc.constant(null))),
      workload: fc.oneof(w(6, fc.constant('w0')), w(2, fc.constant('w1')), w(1, fc.constant(null))),
      process: fc.oneof(w(6, fc.constant('p0')), w(2, fc.constant('p1')), w(1, fc.constant(null))),
      values: fc.array(valueArb(recent), { minLength: METRICS.length, maxLength: METRICS.length }),
      file: fc.integer({ min: 0, max: files - 1 }),
    });
  });
}

const columnArb: fc.Arbitrary<ColumnKind> = fc.oneof(
  w(6, fc.constant('double' as const)),
  w(1, fc.constant('float' as const)),
  w(2, fc.constant('integer' as const)),
  w(1, fc.constant('absent' as const)),
);

const fileArb: fc.Arbitrary<FileSpec> = fc.record({
  writer: fc.constantFrom('duckdb' as const, 'wasm' as const, 'wasm' as const),
  ts: fc.constantFrom('ms' as const, 'us' as const, 'ns' as const, 'tz' as const, 'epoch_ms' as const),
  rowGroupRows: fc.oneof(w(1, fc.constantFrom(1, 3)), w(2, fc.constantFrom(7, 20)), w(3, fc.constant(1000))),
  columnOrder: fc.constantFrom('canonical' as const, 'reversed' as const, 'shuffled' as const),
  rowOrder: fc.constantFrom('given' as const, 'time' as const, 'key' as const, 'shuffled' as const),
  columns: fc.tuple(
    columnArb, columnArb, columnArb, columnArb, columnArb,
    fc.oneof(columnArb, fc.constant('string' as const)),
  ).map((c) => [...c]),
  dictionary: fc.boolean(),
  compression: fc.constantFrom('uncompressed' as const, 'snappy' as const, 'zstd' as const),
  seed: fc.integer({ min: 1, max: 1 << 30 }),
});

/**
 * A hunt's baseline cells are gcd(step, window, baseline) wide; fine cells over a 30-day baseline
 * are slow (not wrong), so steps finer than 10 minutes come with the short baselines only.
 */
function huntArb(rule: RuleSpec): fc.Arbitrary<HuntSpec> {
  const fine = rule.baselineMs <= DAY;
  const unit = fine ? SPAN : 60 * SPAN;
  return fc.record({
    fromBuckets: fc.integer({ min: -400, max: 30 }),
    stepMs: fc.oneof(fc.constantFrom(1, 3, 6, 60, 360).map((k) => k * unit), fc.integer({ min: 1, max: 400 }).map((k) => k * unit)),
    times: fc.integer({ min: 1, max: 3 }),
  });
}

export const datasetArb: fc.Arbitrary<DatasetSpec> = fc
  .record({ rule: ruleArb, fileCount: fc.integer({ min: 1, max: 3 }) })
  .chain(({ rule, fileCount }) =>
    fc.record({
      atOffset: fc.oneof(w(5, fc.constant(0)), w(2, fc.constantFrom(1, 3500, SPAN - 1, -SPAN))),
      defaultAt: fc.oneof(w(7, fc.constant(false)), w(1, fc.constant(true))),
      rule: fc.constant(rule),
      nanos: fc.oneof(w(4, fc.constant(false)), w(1, fc.constant(true))),
      valueOffset: fc.oneof(w(6, fc.constant(0)), w(1, fc.constantFrom(1e9, 2 ** 33))),
      rows: fc.array(rowArb(rule, fileCount), { minLength: 0, maxLength: 150, size: 'max' }),
      files: fc.array(fileArb, { minLength: fileCount, maxLength: fileCount }),
      hunt: huntArb(rule),
      duckdb: fc.oneof(w(7, fc.constant(false)), w(1, fc.constant(true))),
    }),
  );
