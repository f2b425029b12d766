import { crc32 } from 'node:zlib';
import { LAYOUT_KEY, parseLayout, type FileLayout } from '../export/fileLayout.js';
import { readAll, type ByteReader, type RangeRequest } from '../parquet/byteReader.js';
import type { ParquetFooter } from '../parquet/parquetFooter.js';

const layouts = new WeakMap<ParquetFooter, FileLayout | null>();

/**
 * Before the scan takes the exporter's layout for columns it does not decode (timestamps, cluster,
 * keys), it checks that those column chunks are the bytes the layout was written with: the
 * planner matched byte ranges, this matches CRC-32s. A mismatch is an error, never a guess.
 */
export async function checkSkippedChunks(fh: ByteReader, footer: ParquetFooter, rowGroup: number, columns: readonly string[]): Promise<void> {
  let layout = layouts.get(footer);
  if (layout === undefined) {
    layout = parseLayout(footer.keyValueMetadata.get(LAYOUT_KEY)) ?? null;
    layouts.set(footer, layout);
  }
  if (!layout) return;
  const chunks = layout.rowGroups[rowGroup]?.chunks ?? [];
  const found = columns.map((name) => {
    const p = chunks.find((c) => c[0] === name);
    if (!p) throw new Error(`scan: the egress-anomaly.layout metadata of ${footer.path} has no column "${name}" in row group ${rowGroup}`);
    return p;
  });
  // one batch, so an object-storage reader fetches these (adjacent) chunks in one request
  const reads: RangeRequest[] = found.map((p) => ({ buffer: new Uint8Array(p[2] - p[1]), offset: 0, length: p[2] - p[1], position: p[1] }));
  await readAll(fh, reads, footer.path);
  for (let i = 0; i < columns.length; i++) {
    const name = columns[i]!;
    const p = found[i]!;
    const buf = reads[i]!.buffer;
    if (crc32(buf) !== p[3]) {
      throw new Error(`scan: column "${name}" of row group ${rowGroup} in ${footer.path} is not the data its egress-anomaly.layout metadata describes (CRC-32 differs): the file was changed in place; re-export it or strip that metadata`);
    }
  }
}
