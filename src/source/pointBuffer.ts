import { SCHEMA_METRICS } from '../rule/rule.js';
import type { RecordColumns } from './recordColumns.js';
import { CumulativeDeltas } from './cumulativeDeltas.js';
import type { PointChunk } from './pointChunk.js';
import { LEADING_DIMS, SeriesCatalog } from './seriesCatalog.js';

const DAY_MS = 86_400_000;
export const DEFAULT_BUFFER_POINTS = 2_000_000;

export type WriteDay = (dayStartMs: number, rows: RecordColumns) => Promise<void>;

/**
 * Holds up to `capacity` points; when full (and at the end) sorts them by series and time, joins
 * the points of one series and timestamp into a row, and hands each UTC day's rows to `writeDay`.
 * Memory is bounded by the capacity, the series catalog and the rows of one flush.
 */
export class PointBuffer {
  readonly catalog = new SeriesCatalog();
  readonly cumulative = new CumulativeDeltas();
  readonly metricNames: string[] = [...SCHEMA_METRICS];
  private readonly metricIds = new Map<string, number>(SCHEMA_METRICS.map((m, i) => [m, i]));
  private n = 0;
  private readonly series: Uint32Array;
  private readonly metric: Uint16Array;
  private readonly ts: Float64Array;
  private readonly value: Float64Array;
  private readonly cum: Uint8Array;
  private readonly start: Float64Array;
  /** same series, timestamp and metric as an earlier point: the first is kept */
  duplicates = 0;
  rowsWritten = 0;

  constructor(private readonly writeDay: WriteDay, private readonly capacity = DEFAULT_BUFFER_POINTS) {
    this.series = new Uint32Array(capacity);
    this.metric = new Uint16Array(capacity);
    this.ts = new Float64Array(capacity);
    this.value = new Float64Array(capacity);
    this.cum = new Uint8Array(capacity);
    this.start = new Float64Array(capacity);
  }

  async append(c: PointChunk): Promise<void> {
    const sMap = new Uint32Array(c.seriesKeys.length);
    c.seriesKeys.forEach((k, i) => { sMap[i] = this.catalog.idOf(k); });
    const mMap = new Uint16Array(c.metricNames.length);
    c.metricNames.forEach((name, i) => {
      let id = this.metricIds.get(name);
      if (id === undefined) {
        id = this.metricNames.length;
        if (id >= 65_535) throw new Error(`export: more than 65535 distinct metric names (at "${name}")`);
        this.metricNames.push(name);
        this.metricIds.set(name, id);
      }
      mMap[i] = id;
    });
    for (let i = 0; i < c.n; i++) {
      if (this.n === this.capacity) await this.flush();
      const j = this.n++;
      this.series[j] = sMap[c.series[i]];
      this.metric[j] = mMap[c.metric[i]];
      this.ts[j] = c.ts[i];
      this.value[j] = c.value[i];
      this.cum[j] = c.cumulative[i];
      this.start[j] = c.start[i];
    }
  }

  /** Point indexes ordered by (series rank, timestamp, arrival). */
  private order(): Uint32Array {
    const n = this.n;
    const rank = this.catalog.ranks();
    const count = new Uint32Array(rank.length + 1);
    for (let i = 0; i < n; i++) count[rank[this.series[i]] + 1]++;
    for (let r = 1; r < count.length; r++) count[r] += count[r - 1];
    const bounds = count.slice();
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[count[rank[this.series[i]]]++] = i;
    const ts = this.ts;
    for (let r = 0; r + 1 < bounds.length; r++) {
      const lo = bounds[r];
      const hi = bounds[r + 1];
      let sorted = true;
      for (let k = lo + 1; k < hi && sorted; k++) if (ts[order[k]] < ts[order[k - 1]]) sorted = false;
      if (!sorted) order.subarray(lo, hi).sort((a, b) => ts[a] - ts[b] || a - b);
    }
    return order;
  }

  async flush(): Promise<void> {
    const n = this.n;
    if (n === 0) return;
    const order = this.order();
    const { series, metric, ts, value, cum, start } = this;
    // pass 1: cumulative totals to deltas (in time order per series), and the row count
    let rows = 0;
    let prevS = -1;
    let prevT = NaN;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      if (cum[i] === 1) value[i] = this.cumulative.delta(series[i], metric[i], ts[i], value[i], start[i]);
      if (Number.isNaN(value[i])) continue;
      if (series[i] !== prevS || ts[i] !== prevT) rows++;
      prevS = series[i];
      prevT = ts[i];
    }
    // pass 2: rows, then a stable split by UTC day
    const m = this.metricNames.length;
    const rowSeries = new Uint32Array(rows);
    const rowTs = new Float64Array(rows);
    const cells = new Float64Array(rows * m).fill(NaN);
    let r = -1;
    prevS = -1;
    prevT = NaN;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      const v = value[i];
      if (Number.isNaN(v)) continue;
      if (series[i] !== prevS || ts[i] !== prevT) {
        r++;
        rowSeries[r] = prevS = series[i];
        rowTs[r] = prevT = ts[i];
      }
      const c = r * m + metric[i];
      if (Number.isNaN(cells[c])) cells[c] = v;
      else this.duplicates++;
    }
    this.n = 0;
    const byDay = new Map<number, number[]>();
    for (let q = 0; q < rows; q++) {
      const day = Math.floor(rowTs[q] / DAY_MS) * DAY_MS;
      let list = byDay.get(day);
      if (!list) byDay.set(day, (list = []));
      list.push(q);
    }
    for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
      await this.writeDay(day, this.columnsOf(byDay.get(day)!, rowSeries, rowTs, cells, m));
      this.rowsWritten += byDay.get(day)!.length;
    }
  }

  private columnsOf(idx: number[], rowSeries: Uint32Array, rowTs: Float64Array, cells: Float64Array, m: number): RecordColumns {
    const len = idx.length;
    const timestamp = new Float64Array(len);
    for (let q = 0; q < len; q++) timestamp[q] = rowTs[idx[q]];
    const dims = this.catalog.columnOrder().map((d) => {
      const ids = new Int32Array(len);
      for (let q = 0; q < len; q++) ids[q] = d.bySeries[rowSeries[idx[q]]];
      return { name: d.name, ids, names: d.names };
    }).filter((d, i) => i < LEADING_DIMS.length || d.ids.some((v) => v >= 0));
    const used = this.metricNames.map((name, j) => ({ name, j }))
      .filter(({ j }) => j < SCHEMA_METRICS.length || idx.some((q) => !Number.isNaN(cells[q * m + j])));
    const extra = used.slice(SCHEMA_METRICS.length).sort((a, b) => (a.name < b.name ? -1 : 1));
    const metrics = [...used.slice(0, SCHEMA_METRICS.length), ...extra].map(({ name, j }) => {
      const values = new Float64Array(len);
      for (let q = 0; q < len; q++) values[q] = cells[idx[q] * m + j];
      return { name, values };
    });
    return { length: len, timestamp, dims, metrics };
  }
}
