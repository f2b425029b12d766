/** Reads a findings Parquet file back (parquet-wasm + apache-arrow) as plain objects. */
import { tableFromIPC, type Table } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';

export function parquetTable(bytes: Uint8Array): Table {
  return tableFromIPC(readParquet(bytes).intoIPCStream());
}

/** Rows as objects in schema order; list cells become string arrays. */
export function readFindingsParquet(bytes: Uint8Array): Record<string, unknown>[] {
  const t = parquetTable(bytes);
  const names = t.schema.fields.map((f) => f.name);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < t.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (const n of names) {
      const v = t.getChild(n)!.get(i) as unknown;
      row[n] = v !== null && typeof v === 'object' && 'toArray' in (v as object)
        ? [...(v as Iterable<unknown>)]
        : typeof v === 'bigint' ? Number(v) : v;
    }
    out.push(row);
  }
  return out;
}
