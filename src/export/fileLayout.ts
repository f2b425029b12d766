import { chunkByteRange, type ParquetFooter } from '../parquet/parquetFooter.js';

/**
 * The exporter records, in each file's key-value metadata, where row groups sit in time and key
 * space. parquet-wasm shows no statistics, and foreign writers' statistics may be absent; this
 * lets the planner prune row groups and the scan skip columns without decoding them.
 *
 * Metadata outlives the bytes it describes (pyarrow keeps it when rewriting a table, DuckDB with
 * KV_METADATA), so every row group also records its column chunks: name, byte range and CRC-32.
 * The planner uses the layout only where every range matches the footer, and the scan checks the
 * CRC of each chunk it skips before trusting what the layout says about it.
 */
export const LAYOUT_KEY = 'egress-anomaly.layout';

/** A column chunk as written: column name, byte range [start, end) in the file, CRC-32 of those bytes. */
export type ChunkPrint = [column: string, start: number, end: number, crc32: number];

export interface LayoutRowGroup {
  rows: number;
  minTs: number;
  maxTs: number;
  /** runs of rows: (workload, process, row count), in file order */
  keys: [string, string, number][];
  chunks: ChunkPrint[];
}

export interface FileLayout {
  version: 3;
  sortedBy: string[];
  rowGroups: LayoutRowGroup[];
}

export function parseLayout(raw: string | undefined): FileLayout | undefined {
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(raw) as FileLayout;
    if (v && v.version === 3 && Array.isArray(v.rowGroups)) return v;
  } catch {
    // damaged: plan from statistics or by decoding instead
  }
  return undefined;
}

/**
 * The file's layout if it provably belongs to these bytes: every row group's row count and every
 * column chunk's byte range as the footer has them. Otherwise why not, for a note.
 */
export function verifiedLayout(footer: ParquetFooter): { layout?: FileLayout; problem?: string } {
  const raw = footer.keyValueMetadata.get(LAYOUT_KEY);
  if (raw === undefined) return {};
  const layout = parseLayout(raw);
  if (!layout) return { problem: 'its egress-anomaly.layout metadata is from another version or damaged' };
  if (layout.rowGroups.length !== footer.rowGroups.length) {
    return { problem: `its egress-anomaly.layout metadata describes ${layout.rowGroups.length} row groups, the file has ${footer.rowGroups.length}` };
  }
  for (let i = 0; i < layout.rowGroups.length; i++) {
    const g = layout.rowGroups[i];
    const rg = footer.rowGroups[i];
    if (g.rows !== rg.numRows || !Array.isArray(g.chunks) || g.chunks.length !== rg.columns.length) {
      return { problem: `its egress-anomaly.layout metadata does not match row group ${i} (rewritten by another tool?)` };
    }
    for (let j = 0; j < rg.columns.length; j++) {
      const [start, end] = chunkByteRange(rg.columns[j]);
      const p = g.chunks[j];
      if (!p || p[0] !== rg.columns[j].column.name || p[1] !== start || p[2] !== end) {
        return { problem: `its egress-anomaly.layout metadata does not match the column chunks of row group ${i} (rewritten by another tool?)` };
      }
    }
  }
  return { layout };
}
