/**
 * What a source reader hands on: single metric points, columnar, in chunks whose typed arrays can be
 * transferred between threads. A series is named by a key string (`name\0value\0name\0value...`);
 * the main thread interns keys and joins points of one series and timestamp into rows.
 */
export interface PointChunk {
  n: number;
  /** index into seriesKeys */
  series: Uint32Array;
  /** index into metricNames */
  metric: Uint16Array;
  /** epoch ms */
  ts: Float64Array;
  value: Float64Array;
  /** 1: a cumulative Sum's running total, turned into deltas by the buffer; 0: the value itself */
  cumulative: Uint8Array;
  /** cumulative points: their start time (epoch ms, 0 when absent) */
  start: Float64Array;
  seriesKeys: string[];
  metricNames: string[];
}

export const KEY_SEP = '\u0000';
export const CHUNK_POINTS = 65_536;

export function chunkBuffers(c: PointChunk): ArrayBuffer[] {
  return [c.series.buffer, c.metric.buffer, c.ts.buffer, c.value.buffer, c.cumulative.buffer, c.start.buffer] as ArrayBuffer[];
}

/** Collects points into chunks; full chunks wait in `ready` until the reader drains them. */
export class PointChunkBuilder {
  readonly ready: PointChunk[] = [];
  points = 0;
  private cur!: PointChunk;
  private seriesIds = new Map<string, number>();
  private metricIds = new Map<string, number>();

  constructor(private readonly capacity = CHUNK_POINTS) {
    this.reset();
  }

  private reset(): void {
    const c = this.capacity;
    this.cur = {
      n: 0, series: new Uint32Array(c), metric: new Uint16Array(c), ts: new Float64Array(c), value: new Float64Array(c),
      cumulative: new Uint8Array(c), start: new Float64Array(c), seriesKeys: [], metricNames: [],
    };
    this.seriesIds.clear();
    this.metricIds.clear();
  }

  add(seriesKey: string, metricName: string, ts: number, value: number, cumulative: boolean, startMs: number): void {
    const c = this.cur;
    let s = this.seriesIds.get(seriesKey);
    if (s === undefined) {
      s = c.seriesKeys.length;
      c.seriesKeys.push(seriesKey);
      this.seriesIds.set(seriesKey, s);
    }
    let m = this.metricIds.get(metricName);
    if (m === undefined) {
      m = c.metricNames.length;
      c.metricNames.push(metricName);
      this.metricIds.set(metricName, m);
    }
    const i = c.n++;
    c.series[i] = s;
    c.metric[i] = m;
    c.ts[i] = ts;
    c.value[i] = value;
    c.cumulative[i] = cumulative ? 1 : 0;
    c.start[i] = startMs;
    this.points++;
    if (c.n === this.capacity || c.metricNames.length === 65_535) this.seal();
  }

  /** Moves the current chunk, if it holds anything, to `ready`. */
  seal(): void {
    const c = this.cur;
    if (c.n === 0) return;
    const n = c.n;
    this.ready.push(n === this.capacity ? c : {
      ...c, series: c.series.slice(0, n), metric: c.metric.slice(0, n), ts: c.ts.slice(0, n),
      value: c.value.slice(0, n), cumulative: c.cumulative.slice(0, n), start: c.start.slice(0, n),
    });
    this.reset();
  }

  /** Hands every ready chunk to `emit`, one at a time (emit's promise is the back-pressure). */
  async drain(emit: (c: PointChunk) => Promise<void>, final = false): Promise<void> {
    if (final) this.seal();
    while (this.ready.length > 0) await emit(this.ready.shift()!);
  }
}
