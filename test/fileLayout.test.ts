import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYOUT_KEY, verifiedLayout } from '../src/export/fileLayout.js';
import { readFooter } from '../src/parquet/parquetFooter.js';
import { inspectFile } from '../src/plan/inspectFile.js';
import { closeDuckDB, sqlString, writeParquetWithDuckDB } from './helpers/duckdbParquet.js';
import { runCli, runCliOk } from './helpers/cli.js';

const END = '2026-01-31T00:00:00Z';
const parquetFiles = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.parquet')).sort();

describe('the exporter layout is used only where it provably describes the bytes', () => {
  let root: string;
  let ours: string;
  let resorted: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'egress-layout-'));
    ours = join(root, 'ours');
    resorted = join(root, 'resorted');
    runCliOk(['export', '--out', ours, '--days', '3', '--workloads', '5', '--clusters', '2', '--end', END, '--quiet']);
    // what a compaction job keeping key-value metadata does: same rows, other order, same row counts
    for (const f of parquetFiles(ours)) {
      const layout = readFooter(readFileSync(join(ours, f)), f).keyValueMetadata.get(LAYOUT_KEY)!;
      await writeParquetWithDuckDB(join(resorted, f), `SELECT * FROM read_parquet(${sqlString(join(ours, f))}) ORDER BY "timestamp", "source.process.name" DESC`,
        `ROW_GROUP_SIZE 131072, KV_METADATA {${sqlString(LAYOUT_KEY)}: ${sqlString(layout)}}`);
    }
  });
  /** A copy of the exporter's files under `dir`; their paths, relative, in order. */
  function copyOurs(dir: string): string[] {
    const files = parquetFiles(ours);
    for (const f of files) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      copyFileSync(join(ours, f), join(dir, f));
    }
    return files;
  }
  afterAll(() => {
    closeDuckDB();
    rmSync(root, { recursive: true, force: true });
  });

  it('verifies the exporter\'s own files', async () => {
    for (const f of parquetFiles(ours)) {
      const info = await inspectFile(join(ours, f), ['tcp.*', 'udp.*']);
      expect(info.exporterLayout).toBe(true);
      expect(verifiedLayout(info.footer).problem).toBeUndefined();
    }
  });

  it('ignores the layout a rewriter carried over, with a note, and gets the same findings', async () => {
    for (const f of parquetFiles(resorted)) {
      const info = await inspectFile(join(resorted, f), ['tcp.*', 'udp.*']);
      expect(info.footer.keyValueMetadata.has(LAYOUT_KEY)).toBe(true);
      expect(info.footer.rowGroups.map((g) => g.numRows)).toEqual(
        (JSON.parse(info.footer.keyValueMetadata.get(LAYOUT_KEY)!) as { rowGroups: { rows: number }[] }).rowGroups.map((g) => g.rows));
      expect(info.exporterLayout).toBe(false);
    }
    const a = runCliOk(['detect', '--data', ours, '--format', 'ndjson']);
    const b = runCliOk(['detect', '--data', resorted, '--format', 'ndjson']);
    expect(a.stdout.length).toBeGreaterThan(0);
    expect(b.stdout).toBe(a.stdout);
    expect(b.stderr).toMatch(/its egress-anomaly\.layout metadata does not match (the column chunks of )?row group 0 \(rewritten by another tool\?\); reading it without that metadata/);
  });

  it('hunt, whose hourly cells need every row\'s time, takes the keys from the runs and gets what the rewritten copy gives', () => {
    const args = ['--from', '2026-01-30T20:00:00Z', '--to', END, '--format', 'ndjson'];
    const a = runCliOk(['hunt', '--data', ours, ...args]);
    const b = runCliOk(['hunt', '--data', resorted, ...args]);
    expect(a.stdout.length).toBeGreaterThan(0);
    expect(b.stdout).toBe(a.stdout);
  });

  it('fails, naming file and column, when a skipped column chunk was changed in place', () => {
    const dir = join(root, 'tampered');
    const files = copyOurs(dir);
    // the first day lies wholly in the baseline, so its timestamps are never decoded
    const victim = join(dir, files[0]);
    const bytes = readFileSync(victim);
    const ts = readFooter(bytes, victim).rowGroups[0].columns.find((c) => c.column.name === 'timestamp')!;
    bytes[ts.dataPageOffset + Math.floor(ts.totalCompressedSize / 2)] ^= 0xff;
    writeFileSync(victim, bytes);
    const r = runCli(['detect', '--data', dir, '--at', END, '--format', 'ndjson']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/column "timestamp" of row group 0 in .*day=2026-01-28.*\.parquet is not the data its egress-anomaly\.layout metadata describes \(CRC-32 differs\)/);
    expect(r.stdout).toBe('');
  });

  it('hunt fails, naming file and column, when a key column chunk it takes from the runs was changed in place', () => {
    const dir = join(root, 'tampered-keys');
    const files = copyOurs(dir);
    const victim = join(dir, files[files.length - 1]);
    const bytes = readFileSync(victim);
    const p = readFooter(bytes, victim).rowGroups[0].columns.find((c) => c.column.name === 'source.process.name')!;
    bytes[p.dataPageOffset + Math.floor(p.totalCompressedSize / 2)] ^= 0xff;
    writeFileSync(victim, bytes);
    const r = runCli(['hunt', '--data', dir, '--from', '2026-01-30T20:00:00Z', '--to', END, '--format', 'ndjson']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/column "source\.process\.name" of row group 0 in .*day=2026-01-30.*\.parquet is not the data its egress-anomaly\.layout metadata describes \(CRC-32 differs\)/);
    expect(r.stdout).toBe('');
  });
});
