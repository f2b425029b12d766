import { Float64, Int32, RecordBatch, Schema, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { MOMENT_STRIDE } from '../state/moments.js';
import type { BaselineCells } from '../state/baselineCells.js';

const FIELDS = ['count', 'sum', 'sum_err', 'sum_sq', 'sum_sq_err', 'min', 'max'] as const;
const IDENTITY_KEY = 'egress-anomaly.state';

/**
 * What a day file says of itself, checked on load: a manifest entry pointing at another day's
 * file, or a file built for other inputs or parameters, is refused whatever its hash.
 */
export interface DayIdentity {
  version: 2;
  day: string;
  /** fingerprint of the day's input row groups and the grid */
  fingerprint: string;
  metrics: string[];
  cellMs: number;
  cellOrigin: number;
  cellCount: number;
}

/** Per input file: what the day's rows had to skip, reported again whenever the day is reused. */
export interface DayStats {
  path: string;
  rowsMissingKey: number;
  rowsNullTimestamp: number;
  /** per metric, in the day's metric order */
  invalidValues: number[];
}

/** One day's baseline cells as an Arrow IPC file: a row per (key, cell, metric) that holds data. */
export function encodeDayState(p: BaselineCells, identity: Omit<DayIdentity, 'version' | 'metrics' | 'cellOrigin' | 'cellCount'>, stats: DayStats[]): Uint8Array {
  const m = p.metrics.length;
  const w: string[] = [];
  const pr: string[] = [];
  const cell: number[] = [];
  const metric: number[] = [];
  const cols: number[][] = FIELDS.map(() => []);
  for (let k = 0; k < p.workloads.length; k++) {
    for (let c = 0; c < p.cellCount; c++) {
      for (let j = 0; j < m; j++) {
        const o = ((k * p.cellCount + c) * m + j) * MOMENT_STRIDE;
        if (p.baseline[o] === 0) continue;
        w.push(p.workloads[k]);
        pr.push(p.processes[k]);
        cell.push(c);
        metric.push(j);
        for (let f = 0; f < MOMENT_STRIDE; f++) cols[f].push(p.baseline[o + f]);
      }
    }
  }
  const plain = new Table({
    workload: vectorFromArray(w, new Utf8()),
    process: vectorFromArray(pr, new Utf8()),
    cell: vectorFromArray(cell, new Int32()),
    metric: vectorFromArray(metric, new Int32()),
    ...Object.fromEntries(FIELDS.map((f, i) => [f, vectorFromArray(cols[i], new Float64())])),
  });
  const id: DayIdentity = { version: 2, ...identity, metrics: p.metrics, cellOrigin: p.cellOrigin, cellCount: p.cellCount };
  const schema = new Schema(plain.schema.fields, new Map([[IDENTITY_KEY, JSON.stringify({ ...id, stats })]]));
  return tableToIPC(new Table(schema, plain.batches.map((b) => new RecordBatch(schema, b.data))), 'file');
}

/** Decodes a day file, refusing one that is not the day, inputs and parameters `expected` names. */
export function decodeDayState(bytes: Uint8Array, expected: Omit<DayIdentity, 'version'>): { cells: BaselineCells; stats: DayStats[] } {
  const t = tableFromIPC(bytes);
  let said: (DayIdentity & { stats: DayStats[] }) | undefined;
  try {
    said = JSON.parse(t.schema.metadata.get(IDENTITY_KEY) ?? 'null') as DayIdentity & { stats: DayStats[] };
  } catch {
    said = undefined;
  }
  if (!said || said.version !== 2) throw new Error('it does not say which day it holds (written by another version?)');
  if (said.day !== expected.day) throw new Error(`it holds day ${said.day}, not ${expected.day}`);
  if (said.fingerprint !== expected.fingerprint) throw new Error(`it was built from other inputs than day ${expected.day} has now`);
  if (JSON.stringify(said.metrics) !== JSON.stringify(expected.metrics) || said.cellMs !== expected.cellMs ||
    said.cellOrigin !== expected.cellOrigin || said.cellCount !== expected.cellCount) {
    throw new Error('it was built for other metrics or another cell grid');
  }
  const { metrics, cellOrigin, cellCount } = expected;
  const m = metrics.length;
  const keyIndex = new Map<string, number>();
  const workloads: string[] = [];
  const processes: string[] = [];
  const rows = t.numRows;
  const w = t.getChild('workload')!;
  const pr = t.getChild('process')!;
  const cell = t.getChild('cell')!.toArray() as Int32Array;
  const metric = t.getChild('metric')!.toArray() as Int32Array;
  const cols = FIELDS.map((f) => t.getChild(f)!.toArray() as Float64Array);
  const keyOf = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const id = `${w.get(r)}\0${pr.get(r)}`;
    let k = keyIndex.get(id);
    if (k === undefined) {
      k = workloads.length;
      keyIndex.set(id, k);
      workloads.push(w.get(r) as string);
      processes.push(pr.get(r) as string);
    }
    keyOf[r] = k;
  }
  const baseline = new Float64Array(workloads.length * cellCount * m * MOMENT_STRIDE);
  for (let o = 0; o < baseline.length; o += MOMENT_STRIDE) { baseline[o + 5] = Infinity; baseline[o + 6] = -Infinity; }
  for (let r = 0; r < rows; r++) {
    if (cell[r] < 0 || cell[r] >= cellCount || metric[r] < 0 || metric[r] >= m) throw new Error('state: cell or metric out of range');
    const o = ((keyOf[r] * cellCount + cell[r]) * m + metric[r]) * MOMENT_STRIDE;
    for (let f = 0; f < MOMENT_STRIDE; f++) baseline[o + f] = cols[f][r];
  }
  return { cells: { metrics, workloads, processes, cellOrigin, cellCount, baseline }, stats: Array.isArray(said.stats) ? said.stats : [] };
}
