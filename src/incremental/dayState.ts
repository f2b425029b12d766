import { Float64, Int32, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { MOMENT_STRIDE } from '../state/moments.js';
import type { BaselineCells } from '../state/baselineCells.js';

const FIELDS = ['count', 'sum', 'sum_err', 'sum_sq', 'sum_sq_err', 'min', 'max'] as const;

/** One day's baseline cells as an Arrow IPC file: a row per (key, cell, metric) that holds data. */
export function encodeDayState(p: BaselineCells): Uint8Array {
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
  const table = new Table({
    workload: vectorFromArray(w, new Utf8()),
    process: vectorFromArray(pr, new Utf8()),
    cell: vectorFromArray(cell, new Int32()),
    metric: vectorFromArray(metric, new Int32()),
    ...Object.fromEntries(FIELDS.map((f, i) => [f, vectorFromArray(cols[i], new Float64())])),
  });
  return tableToIPC(table, 'file');
}

export function decodeDayState(bytes: Uint8Array, metrics: string[], cellOrigin: number, cellCount: number): BaselineCells {
  const t = tableFromIPC(bytes);
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
  return { metrics, workloads, processes, cellOrigin, cellCount, baseline };
}
