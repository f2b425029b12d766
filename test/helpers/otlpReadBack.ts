/** Reads an exported dataset back as plain rows, to compare what sources wrote. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import * as pq from 'parquet-wasm';

export function partFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.parquet')) out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out.sort();
}

export function readTable(path: string): Table {
  return tableFromIPC(pq.readParquet(readFileSync(path), { batchSize: 1 << 20 }).intoIPCStream());
}

export type Row = Record<string, string | number | null>;

/** Every row of every part file, timestamps as epoch ms, sorted by their JSON text. */
export function readRows(dir: string): Row[] {
  const rows: Row[] = [];
  for (const f of partFiles(dir)) {
    const t = readTable(f);
    const names = t.schema.fields.map((x) => x.name);
    for (const r of t) {
      const o: Row = {};
      for (const n of names) {
        const v = (r as unknown as Record<string, unknown>)[n];
        o[n] = v === null || v === undefined ? null : typeof v === 'bigint' ? Number(v) : (v as string | number);
      }
      rows.push(o);
    }
  }
  return rows.map((r) => [JSON.stringify(r), r] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, r]) => r);
}
