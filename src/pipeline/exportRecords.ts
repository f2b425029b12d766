import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import { createPool } from '../pool/createPool.js';
import { sweepTempFilesOnExit } from '../io/tempFiles.js';
import { writeRecordsParquet } from '../export/writeRecords.js';
import type { RecordColumns } from '../source/recordColumns.js';
import { writeAtomic } from '../io/writeAtomic.js';
import { listInputs, type InputFile } from '../source/listInputs.js';
import { PointBuffer, DEFAULT_BUFFER_POINTS } from '../source/pointBuffer.js';
import type { PointChunk } from '../source/pointChunk.js';
import { readInput, type ReadInputTask } from '../source/readInput.js';
import { SOURCE_MANIFEST, manifestInput, readSourceManifest, type SourceManifest } from '../source/sourceManifest.js';
import type { SourceFileStats, SourceKind, SourceOptions } from '../source/sourceTypes.js';
import { prepareOutDir } from './exportData.js';

export interface ExportRecordsOptions extends SourceOptions {
  kind: SourceKind;
  inputs: string[];
  outDir: string;
  /** 0: read in this thread (tests); otherwise worker threads, one input file per task */
  workers: number;
  /** replace whatever --out holds instead of appending */
  force: boolean;
  bufferPoints?: number;
  onProgress?: (filesDone: number, filesTotal: number, points: number) => void;
  /** notes for stderr */
  note?: (message: string) => void;
}

export interface ExportRecordsSummary {
  inputs: number;
  skippedInputs: number;
  points: number;
  rows: number;
  files: number;
  bytes: number;
  malformed: number;
  otherAggregation: number;
}

/** Decides what to read: everything (fresh or --force), or only inputs the manifest lacks. */
async function plan(o: ExportRecordsOptions, files: InputFile[]): Promise<{ manifest: SourceManifest; fresh: InputFile[] }> {
  let old = o.force ? undefined : await readSourceManifest(o.outDir);
  if (old === 'foreign' || (old && (old.source !== o.kind || old.aggregation !== o.aggregation))) {
    const what = old === 'foreign' ? 'another export' : `--source ${old.source} --aggregation ${old.aggregation}`;
    throw new Error(`export: --out ${o.outDir} holds data from ${what}; pass --force to replace it`);
  }
  if (!old) {
    await prepareOutDir(o.outDir, o.force);
    old = { generator: 'egress-anomaly export', source: o.kind, aggregation: o.aggregation, nextPart: 0, inputs: [], files: [] };
  }
  const seen = new Map(old.inputs.map((i) => [i.path, i]));
  const fresh: InputFile[] = [];
  for (const f of files) {
    const prev = seen.get(f.path);
    if (!prev) fresh.push(f);
    else if (prev.size !== f.size || prev.mtimeMs !== f.mtimeMs) {
      throw new Error(`export: ${f.path} changed since it was exported (size ${prev.size} -> ${f.size}); pass --force to rebuild --out from all inputs`);
    }
  }
  return { manifest: old, fresh };
}

/**
 * `export --source otlp|splunk-csv`: reads the inputs (on the pool, one file per task), buffers a
 * bounded number of points, and writes sorted day=YYYY-MM-DD/part-N.parquet files in the canonical
 * layout. A later run over the same --out reads only inputs it has not read, and adds part files.
 */
export async function exportRecords(o: ExportRecordsOptions): Promise<ExportRecordsSummary> {
  const files = await listInputs(o.kind, o.inputs.map((p) => resolve(p)));
  const { manifest, fresh } = await plan(o, files);
  // part files are written by worker threads, whose temporary files this thread cannot track
  sweepTempFilesOnExit(o.outDir);
  const summary: ExportRecordsSummary = {
    inputs: fresh.length, skippedInputs: files.length - fresh.length, points: 0, rows: 0, files: 0, bytes: 0, malformed: 0, otherAggregation: 0,
  };
  if (fresh.length === 0) return summary;
  const written: string[] = [];
  const writeDay = async (dayMs: number, rows: RecordColumns): Promise<void> => {
    const rel = join(`day=${new Date(dayMs).toISOString().slice(0, 10)}`, `part-${manifest.nextPart++}.parquet`);
    const path = join(o.outDir, rel);
    const bytes = writeRecordsParquet(rows);
    await mkdir(join(path, '..'), { recursive: true });
    written.push(path);
    await writeAtomic(path, bytes);
    manifest.files.push({ path: rel, rows: rows.length, bytes: bytes.length });
    summary.files++;
    summary.bytes += bytes.length;
  };
  const buffer = new PointBuffer(writeDay, o.bufferPoints ?? DEFAULT_BUFFER_POINTS);
  const opts: SourceOptions = { aggregation: o.aggregation, strict: o.strict };
  const stats: SourceFileStats[] = [];
  let done = 0;
  // Chunks from every reader go through one queue, so the buffer sees one append at a time.
  let queue: Promise<void> = Promise.resolve();
  let failed = false;
  const append = (c: PointChunk): Promise<void> => (queue = queue.then(() => (failed ? undefined : buffer.append(c))));
  const finished = (s: SourceFileStats) => {
    stats.push(s);
    summary.points += s.points;
    o.onProgress?.(++done, fresh.length, summary.points);
  };
  o.onProgress?.(0, fresh.length, 0);
  let pool: Piscina | undefined;
  try {
    if (o.workers === 0) {
      for (const f of fresh) finished(await readInput({ kind: o.kind, path: f.path, opts }, append));
    } else {
      pool = createPool('source', o.workers, fresh.length);
      const p = pool;
      // A failed append (a write error) fails the run at once: its reader would wait for an ack forever.
      let fail!: (e: unknown) => void;
      const failure = new Promise<never>((_, reject) => { fail = reject; });
      failure.catch(() => undefined);
      await Promise.all(fresh.map(async (f) => {
        const { port1, port2 } = new MessageChannel();
        port1.on('message', (c: PointChunk) => { append(c).then(() => port1.postMessage(0), fail); });
        try {
          const task: ReadInputTask & { port: unknown } = { kind: o.kind, path: f.path, opts, port: port2 };
          const s = (await Promise.race([p.run(task, { transferList: [port2] as never }), failure])) as SourceFileStats;
          await queue;
          finished(s);
        } finally {
          port1.close();
        }
      }));
    }
    await queue;
    await buffer.flush();
  } catch (err) {
    // A failed run leaves no files of its own behind (the old days and manifest stay as they were).
    failed = true;
    await pool?.destroy();
    await queue.catch(() => undefined);
    for (const path of written) await rm(path, { force: true });
    throw err;
  }
  await pool?.destroy();
  summary.rows = buffer.rowsWritten;
  const byPath = new Map(fresh.map((f) => [f.path, f]));
  for (const s of stats) {
    summary.malformed += s.malformed;
    summary.otherAggregation += s.otherAggregation;
    const f = byPath.get(s.path)!;
    manifest.inputs.push(manifestInput(f.size, f.mtimeMs, s));
    if (s.malformed > 0) o.note?.(`export: skipped ${s.malformed} malformed record(s) in ${s.path}, e.g. ${s.examples.join('; ')}`);
    if (s.unsupported > 0) o.note?.(`export: ${s.path}: ${s.unsupported} histogram or summary metric(s) not exported`);
  }
  manifest.inputs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (summary.otherAggregation > 0) {
    o.note?.(`export: dropped ${summary.otherAggregation} point(s) whose aggregation attribute is not ${o.aggregation} (they would count traffic twice)`);
  }
  const cum = buffer.cumulative;
  const cumulativePoints = stats.reduce((a, s) => a + s.cumulative, 0);
  if (cumulativePoints > 0) {
    o.note?.(`export: turned ${cumulativePoints} cumulative Sum point(s) into deltas per series (${cum.firstPoints} first point(s) only set a base, ` +
      `${cum.resets} reset(s)${cum.late > 0 ? `, ${cum.late} point(s) older than their series' last converted one dropped` : ''})`);
  }
  if (buffer.duplicates > 0) o.note?.(`export: ${buffer.duplicates} duplicate point(s) (same series, timestamp and metric) dropped; the first was kept`);
  await writeAtomic(join(o.outDir, SOURCE_MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return summary;
}
