import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { LAYOUT_KEY, parseLayout, type FileLayout } from '../export/fileLayout.js';
import { readExactly, type ParquetFooter } from '../parquet/parquetFooter.js';

const layouts = new WeakMap<ParquetFooter, FileLayout | null>();

/**
 * Before the scan takes the exporter's layout for columns it does not decode (timestamps, cluster,
 * keys), it checks that those column chunks are the bytes the layout was written with: the
 * planner matched byte ranges, this matches CRC-32s. A mismatch is an error, never a guess.
 */
export async function checkSkippedChunks(fh: FileHandle, footer: ParquetFooter, rowGroup: number, columns: readonly string[]): Promise<void> {
  let layout = layouts.get(footer);
  if (layout === undefined) {
    layout = parseLayout(footer.keyValueMetadata.get(LAYOUT_KEY)) ?? null;
    layouts.set(footer, layout);
  }
  if (!layout) return;
  const chunks = layout.rowGroups[rowGroup]?.chunks ?? [];
  for (const name of columns) {
    const p = chunks.find((c) => c[0] === name);
    if (!p) throw new Error(`scan: the egress-anomaly.layout metadata of ${footer.path} has no column "${name}" in row group ${rowGroup}`);
    const buf = new Uint8Array(p[2] - p[1]);
    await readExactly(fh, buf, p[1], buf.length, footer.path);
    if (crc32(buf) !== p[3]) {
      throw new Error(`scan: column "${name}" of row group ${rowGroup} in ${footer.path} is not the data its egress-anomaly.layout metadata describes (CRC-32 differs): the file was changed in place; re-export it or strip that metadata`);
    }
  }
}
