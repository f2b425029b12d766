/**
 * Single-threaded decode of the scan's columns for every row group of a dataset: the built-in
 * column chunk decoder (readColumnChunks + decodeColumnChunk, no slice file) against parquet-wasm
 * as src/scan/scanTask.ts uses it (readRowGroupSlice with the dictionary-strings hint, then
 * decodeParquet). Footers are read once per file, outside the timings.
 *
 *   node dist/benchmarks/decodeCompare.js [--passes N] [--sets main,timestamp,cluster] [--engines ours,wasm] [DIR...]
 *
 * Defaults: data/bench/duckdb-day and data/bench/exporter, every set, both decoders, 3 passes
 * (after a warm-up file), the decoders taking turns so that both see the same machine load.
 */
import { readdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { cachedFooter } from '../src/parquet/footerCache.js';
import { readRowGroupSlice } from '../src/parquet/sliceRowGroup.js';
import { decodeParquet } from '../src/parquet/decodeParquet.js';
import { arrowSchemaUsable } from '../src/parquet/arrowSchema.js';
import { decodeColumnChunk } from '../src/parquet/decodeColumnChunk.js';
import { prepareDecoders } from '../src/parquet/decompressPage.js';
import { readColumnChunks } from '../src/parquet/readColumnChunks.js';
import { unsupportedReason } from '../src/parquet/chunkSupported.js';
import { ColumnBuffers } from '../src/parquet/columnBuffers.js';
import { ReadBuffer } from '../src/parquet/readBuffer.js';
import type { ParquetFooter } from '../src/parquet/parquetFooter.js';

const SETS: Record<string, string[]> = {
  main: ['source.workload.name', 'source.process.name', 'tcp.bytes', 'tcp.new_sockets', 'tcp.packets', 'udp.bytes', 'udp.packets'],
  metrics: ['tcp.bytes', 'tcp.new_sockets', 'tcp.packets', 'udp.bytes', 'udp.packets'],
  timestamp: ['timestamp'],
  cluster: ['k8s.cluster.name'],
};

interface Timing { rows: number; readMs: number; decodeMs: number; bytes: number; unsupported?: string }

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

function parquetFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.parquet')).sort().map((f) => join(dir, f));
}

function leavesOf(footer: ParquetFooter, names: string[]): number[] {
  return names.map((n) => {
    const c = footer.columns.find((col) => col.name === n);
    if (!c) throw new Error(`decodeCompare: ${footer.path} has no column "${n}"`);
    return c.index;
  });
}

async function ours(files: string[], names: string[]): Promise<Timing> {
  const t: Timing = { rows: 0, readMs: 0, decodeMs: 0, bytes: 0 };
  const buffers = names.map(() => new ColumnBuffers());
  const into = new ReadBuffer();
  for (const path of files) {
    const fh = await open(path, 'r');
    try {
      const footer = await cachedFooter(fh, path);
      const leaves = leavesOf(footer, names);
      for (const g of footer.rowGroups) {
        const chunks = leaves.map((l) => g.columns[l]!);
        const why = chunks.map(unsupportedReason).find((r) => r !== undefined);
        if (why) return { ...t, unsupported: why };
        const t0 = performance.now();
        const bytes = await readColumnChunks(fh, footer, chunks, { into });
        const t1 = performance.now();
        for (let j = 0; j < chunks.length; j++) decodeColumnChunk(bytes[j]!, chunks[j]!, g.numRows, { path, rowGroup: g.index }, buffers[j]);
        const t2 = performance.now();
        t.readMs += t1 - t0;
        t.decodeMs += t2 - t1;
        t.rows += g.numRows;
        t.bytes += bytes.reduce((s, b) => s + b.length, 0);
      }
    } finally {
      await fh.close();
    }
  }
  return t;
}

async function wasm(files: string[], names: string[]): Promise<Timing> {
  const t: Timing = { rows: 0, readMs: 0, decodeMs: 0, bytes: 0 };
  for (const path of files) {
    const fh = await open(path, 'r');
    try {
      const footer = await cachedFooter(fh, path);
      const hinted = !arrowSchemaUsable(footer);
      for (const g of footer.rowGroups) {
        const t0 = performance.now();
        const slice = await readRowGroupSlice(fh, footer, g.index, names, { dictionaryStrings: hinted });
        const t1 = performance.now();
        decodeParquet(slice, undefined, (b: RecordBatch) => {
          for (const n of names) if (!b.getChild(n)?.data[0]) throw new Error(`decodeCompare: no column ${n}`);
          t.rows += b.numRows;
        });
        const t2 = performance.now();
        t.readMs += t1 - t0;
        t.decodeMs += t2 - t1;
        t.bytes += slice.length;
      }
    } finally {
      await fh.close();
    }
  }
  return t;
}

async function main(): Promise<void> {
  await prepareDecoders();
  const passes = Number(option('passes') ?? 3);
  const sets = (option('sets') ?? 'main,timestamp,cluster').split(',');
  const engines = (option('engines') ?? 'ours,wasm').split(',');
  const dirs = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  const s = (ms: number) => (ms / 1000).toFixed(2);
  console.log(`single thread, ${passes} passes after a warm-up file, engines interleaved; best (median) seconds`);
  console.log('| dataset | columns | decoder | rows | MB read | read or slice s | decode s | total s |');
  console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const dir of dirs.length ? dirs : ['data/bench/duckdb-day', 'data/bench/exporter']) {
    const files = parquetFiles(dir);
    for (const set of sets) {
      const names = SETS[set] ?? set.split('+');
      const runs = new Map<string, Timing[]>(engines.map((e) => [e, []]));
      for (const engine of engines) await (engine === 'ours' ? ours : wasm)(files.slice(0, 1), names);
      for (let p = 0; p < passes; p++) {
        for (const engine of engines) runs.get(engine)!.push(await (engine === 'ours' ? ours : wasm)(files, names));
      }
      for (const engine of engines) {
        const ts = runs.get(engine)!;
        const t = ts[0]!;
        const stat = (f: (x: Timing) => number) => {
          const v = ts.map(f).sort((x, y) => x - y);
          return `${s(v[0]!)} (${s(v[Math.floor(v.length / 2)]!)})`;
        };
        const row = t.unsupported
          ? `unsupported (${t.unsupported}) | | | | `
          : `${t.rows} | ${(t.bytes / 1e6).toFixed(0)} | ${stat((x) => x.readMs)} | ${stat((x) => x.decodeMs)} | ${stat((x) => x.readMs + x.decodeMs)}`;
        console.log(`| ${dir} | ${set} | ${engine === 'ours' ? 'built-in' : 'parquet-wasm'} | ${row} |`);
      }
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`decodeCompare: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
