import { KEY_SEP, type PointChunkBuilder } from '../pointChunk.js';
import { malformed, type SourceFileStats, type SourceOptions } from '../sourceTypes.js';

/* The request as OTLP JSON spells it; protobufjs's decoded messages have the same field names. */
interface AnyValue { stringValue?: string; intValue?: unknown; doubleValue?: unknown; boolValue?: boolean }
interface KeyValue { key?: string; value?: AnyValue | null }
interface NumberDataPoint {
  attributes?: KeyValue[]; startTimeUnixNano?: unknown; timeUnixNano?: unknown;
  asDouble?: unknown; asInt?: unknown; flags?: number;
}
interface Sum { dataPoints?: NumberDataPoint[]; aggregationTemporality?: number | string; isMonotonic?: boolean }
interface Metric {
  name?: string; sum?: Sum | null; gauge?: { dataPoints?: NumberDataPoint[] } | null;
  histogram?: unknown; exponentialHistogram?: unknown; summary?: unknown;
}
interface ScopeMetrics { metrics?: Metric[] }
interface ResourceMetrics {
  resource?: { attributes?: KeyValue[] } | null;
  scopeMetrics?: ScopeMetrics[]; instrumentationLibraryMetrics?: ScopeMetrics[];
}
interface Long { low: number; high: number; unsigned?: boolean }

const AGGREGATION = 'aggregation';
const DELTA = 1;
const CUMULATIVE = 2;
const NO_RECORDED_VALUE = 1;

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function isLong(v: unknown): v is Long {
  return typeof v === 'object' && v !== null && typeof (v as Long).low === 'number' && typeof (v as Long).high === 'number';
}

/** Unix nanoseconds (decimal string, number or Long) to epoch ms, floored, exactly; NaN if absent. */
export function nanosToMs(v: unknown): number {
  if (typeof v === 'string') {
    if (!/^\d+$/.test(v)) return NaN;
    return v.length <= 6 ? 0 : Number(v.slice(0, -6));
  }
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.floor(v / 1e6) : NaN;
  if (isLong(v)) {
    // hi * 2^32 + lo = hi * 4294 * 1e6 + (hi * 967296 + lo), each part exact in a double
    const hi = v.high >>> 0;
    const rest = hi * 967_296 + (v.low >>> 0);
    let q = Math.floor(rest / 1e6);
    if (q * 1e6 > rest) q--;
    return hi * 4294 + q;
  }
  return NaN;
}

function intValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (isLong(v)) return v.unsigned ? (v.high >>> 0) * 4294967296 + (v.low >>> 0) : v.high * 4294967296 + (v.low >>> 0);
  return NaN;
}

function doubleValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : Number(v);
  return NaN;
}

/** An attribute as a column value; undefined for arrays, maps and bytes, which are not columns. */
function attributeText(v: AnyValue | null | undefined): string | undefined {
  if (!v) return undefined;
  if (has(v, 'stringValue') && typeof v.stringValue === 'string') return v.stringValue;
  if (has(v, 'intValue')) return String(intValue(v.intValue));
  if (has(v, 'boolValue')) return v.boolValue ? 'true' : 'false';
  if (has(v, 'doubleValue')) return String(doubleValue(v.doubleValue));
  return undefined;
}

function clean(s: string): string {
  return s.includes(KEY_SEP) ? s.replaceAll(KEY_SEP, '') : s;
}

function temporalityOf(t: unknown): number {
  if (t === 'AGGREGATION_TEMPORALITY_DELTA') return DELTA;
  if (t === 'AGGREGATION_TEMPORALITY_CUMULATIVE') return CUMULATIVE;
  return typeof t === 'number' ? t : 0;
}

/**
 * Turns one export request into points: resource and point attributes name the series (the
 * `aggregation` attribute filters instead), metric names become columns, delta Sums and Gauges
 * give their value at timeUnixNano, cumulative monotonic Sums are marked for the buffer to turn
 * into deltas. `where` names the message (file and line or byte offset) in messages.
 */
export function otlpToPoints(
  request: unknown, where: string, opts: SourceOptions, out: PointChunkBuilder, stats: SourceFileStats,
): void {
  const rms = (request as { resourceMetrics?: ResourceMetrics[] } | null)?.resourceMetrics;
  if (!Array.isArray(rms)) {
    malformed(stats, opts.strict, `export: ${where} is not an OTLP metrics export request (no resourceMetrics)`);
    return;
  }
  for (const rm of rms) {
    let resourceKey = '';
    for (const kv of rm.resource?.attributes ?? []) {
      const text = attributeText(kv.value);
      if (kv.key && text !== undefined) resourceKey += (resourceKey ? KEY_SEP : '') + clean(kv.key) + KEY_SEP + clean(text);
    }
    for (const sm of rm.scopeMetrics ?? rm.instrumentationLibraryMetrics ?? []) {
      for (const metric of sm.metrics ?? []) {
        const name = metric.name;
        let points: NumberDataPoint[] | undefined;
        let cumulative = false;
        if (metric.sum) {
          points = metric.sum.dataPoints;
          const t = temporalityOf(metric.sum.aggregationTemporality);
          // A non-monotonic cumulative Sum (an up-down counter) is a level, read like a gauge.
          cumulative = t === CUMULATIVE && metric.sum.isMonotonic === true;
        } else if (metric.gauge) {
          points = metric.gauge.dataPoints;
        } else {
          if (metric.histogram || metric.exponentialHistogram || metric.summary) stats.unsupported++;
          else malformed(stats, opts.strict, `export: ${where} has a metric "${name ?? ''}" with no data`);
          continue;
        }
        if (!name) {
          malformed(stats, opts.strict, `export: ${where} has a metric without a name`);
          continue;
        }
        for (const p of points ?? []) {
          if (((p.flags ?? 0) & NO_RECORDED_VALUE) !== 0) continue;
          let key = resourceKey;
          let keep = true;
          for (const kv of p.attributes ?? []) {
            const text = attributeText(kv.value);
            if (!kv.key || text === undefined) continue;
            if (kv.key === AGGREGATION) {
              if (text !== opts.aggregation) keep = false;
              continue;
            }
            key += (key ? KEY_SEP : '') + clean(kv.key) + KEY_SEP + clean(text);
          }
          if (!keep) {
            stats.otherAggregation++;
            continue;
          }
          const ts = nanosToMs(p.timeUnixNano);
          const value = has(p, 'asInt') && p.asInt !== undefined ? intValue(p.asInt) : doubleValue(p.asDouble);
          if (!(ts > 0) || Number.isNaN(value)) {
            const what = !(ts > 0) ? `timeUnixNano ${JSON.stringify(String(p.timeUnixNano))}` : 'value';
            malformed(stats, opts.strict, `export: ${where} has a point of "${name}" with an invalid ${what}`);
            continue;
          }
          let startMs = 0;
          if (cumulative) {
            const s = nanosToMs(p.startTimeUnixNano);
            startMs = s > 0 ? s : 0;
            stats.cumulative++;
          }
          out.add(key, name, ts, value, cumulative, startMs);
          stats.points++;
        }
      }
    }
  }
}
