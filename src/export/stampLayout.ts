import { crc32 } from 'node:zlib';
import { MAGIC } from '../parquet/magic.js';
import { chunkByteRange, readFooter } from '../parquet/parquetFooter.js';
import { stringBytes, T, TStruct } from '../parquet/thriftCompact.js';
import { encodeStruct } from '../parquet/thriftEncode.js';
import { LAYOUT_KEY, type FileLayout, type LayoutRowGroup } from './fileLayout.js';

/**
 * Writes the layout into a Parquet file the exporter has just written, with each row group's
 * column chunks (byte ranges and CRC-32) taken from the bytes themselves: only the footer changes,
 * so the ranges stay true.
 */
export function stampLayout(file: Uint8Array, sortedBy: string[], groups: Omit<LayoutRowGroup, 'chunks'>[], path: string): Uint8Array {
  const footer = readFooter(file, path);
  if (footer.rowGroups.length !== groups.length) {
    throw new Error(`export: ${path} came out with ${footer.rowGroups.length} row groups, expected ${groups.length}`);
  }
  const layout: FileLayout = {
    version: 3,
    sortedBy,
    rowGroups: groups.map((g, i) => {
      const rg = footer.rowGroups[i];
      if (rg.numRows !== g.rows) throw new Error(`export: row group ${i} of ${path} has ${rg.numRows} rows, expected ${g.rows}`);
      return {
        ...g,
        chunks: rg.columns.map((c) => {
          const [start, end] = chunkByteRange(c);
          return [c.column.name, start, end, crc32(file.subarray(start, end))];
        }),
      };
    }),
  };
  const kv = (footer.raw.structs(5) ?? []).filter((e: TStruct) => e.str(1) !== LAYOUT_KEY);
  kv.push(new TStruct().set(1, T.BINARY, stringBytes(LAYOUT_KEY)).set(2, T.BINARY, stringBytes(JSON.stringify(layout))));
  const meta = encodeStruct(footer.raw.clone().set(5, T.LIST, { elemType: T.STRUCT, items: kv }));
  const oldLen = new DataView(file.buffer, file.byteOffset + file.length - 8, 4).getUint32(0, true);
  const body = file.length - 8 - oldLen;
  const out = new Uint8Array(body + meta.length + 8);
  out.set(file.subarray(0, body), 0);
  out.set(meta, body);
  new DataView(out.buffer).setUint32(body + meta.length, meta.length, true);
  out.set(MAGIC, body + meta.length + 4);
  return out;
}
