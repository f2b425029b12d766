import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVector, type RecordBatch } from 'apache-arrow';
import { decodeParquet } from '../src/parquet/decodeParquet.js';
import { cachedFooter } from '../src/parquet/footerCache.js';
import { readRowGroupSlice } from '../src/parquet/sliceRowGroup.js';
import { decodeRowGroup } from '../src/scan/decodeRowGroup.js';
import { closeDuckDB, validRowsSql, writeParquetWithDuckDB } from './helpers/duckdbParquet.js';

const COLUMNS = ['timestamp', 'source.workload.name', 'tcp.bytes', 'udp.packets'];
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-decode-rg-'));
  const sql = validRowsSql({ startIso: '2026-01-01T00:00:00Z', rows: 300, series: 3, metrics: { 'udp.packets': 'CASE WHEN i % 4 = 0 THEN NULL ELSE (i % 9)::DOUBLE END' } });
  await writeParquetWithDuckDB(join(tmp, 'zstd.parquet'), sql, 'COMPRESSION zstd');
  await writeParquetWithDuckDB(join(tmp, 'lz4.parquet'), sql, 'COMPRESSION lz4_raw');
  await writeParquetWithDuckDB(join(tmp, 'snappy.parquet'), sql, 'COMPRESSION snappy');
  closeDuckDB();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function both(file: string, rg: number) {
  const path = join(tmp, file);
  const fh = await open(path, 'r');
  try {
    const footer = await cachedFooter(fh, path);
    const ours = await decodeRowGroup(fh, footer, rg, COLUMNS);
    let wasm: unknown[][] = [];
    decodeParquet(await readRowGroupSlice(fh, footer, rg, COLUMNS), undefined, (b: RecordBatch) => {
      wasm = COLUMNS.map((c) => [...b.getChild(c)!]);
    });
    return { ours, wasm, numRows: footer.rowGroups[rg].numRows };
  } finally {
    await fh.close();
  }
}

describe('decodeRowGroup', () => {
  it.each(['zstd', 'lz4', 'snappy'])('decodes a %s row group without parquet-wasm, to the values parquet-wasm gives', async (codec) => {
    const { ours, numRows, wasm } = await both(`${codec}.parquet`, 0);
    expect(ours).not.toBeNull();
    expect(ours!.numRows).toBe(numRows);
    expect(ours!.getChild('dest.workload.name')).toBeNull();
    for (let i = 0; i < COLUMNS.length; i++) expect([...makeVector(ours!.getChild(COLUMNS[i])!.data[0])]).toEqual(wasm[i]);
    expect(ours!.getChild('udp.packets')!.data[0].nullCount).toBe(wasm[3].filter((x) => x === null).length);
    expect(wasm[3].filter((x) => x === null).length).toBe(numRows / 4);
  });
});
