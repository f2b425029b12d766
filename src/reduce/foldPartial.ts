import type { BaselineCells } from '../state/baselineCells.js';
import type { PartialState } from '../state/partialState.js';
import type { KeyedCells } from './keyedCells.js';
import type { KeyTable } from './keyTable.js';

/**
 * Gives a partial's keys and series their global ids and merges its baseline cells (its cell c
 * landing on global cell shift + c). The reducers then merge its buckets through `seriesMap`.
 */
export function foldPartial(
  keys: KeyTable, cells: KeyedCells, p: BaselineCells | PartialState, shift: number,
): { keyMap: Int32Array; seriesMap: Int32Array } {
  const keyMap = new Int32Array(p.workloads.length);
  for (let k = 0; k < keyMap.length; k++) {
    const g = keys.key(p.workloads[k], p.processes[k]);
    keyMap[k] = g;
    cells.add(g, p, k, shift);
  }
  if (!('seriesCluster' in p)) return { keyMap, seriesMap: new Int32Array(0) };
  const seriesMap = new Int32Array(p.seriesCluster.length);
  for (let s = 0; s < seriesMap.length; s++) seriesMap[s] = keys.series(p.clusters[p.seriesCluster[s]], keyMap[p.seriesKey[s]]);
  return { keyMap, seriesMap };
}
