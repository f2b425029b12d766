import { Readable } from 'node:stream';
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import { KEY_SEP, type PointChunk, type PointChunkBuilder } from '../pointChunk.js';
import { readBytes } from '../readBytes.js';
import { emptyStats, malformed, type SourceFileStats, type SourceOptions } from '../sourceTypes.js';
import { parseSplunkTime } from './splunkTime.js';

const TIME = '_time';
const METRIC_NAME = /^(?:metric_name:)?((?:tcp|udp)\..+)$/;
const AGGREGATE = /^[A-Za-z_]+\((.+)\)$/;

interface Header {
  time: number;
  /** per column: metric name, or undefined */
  metrics: (string | undefined)[];
  /** per column: dimension name, or undefined */
  dims: (string | undefined)[];
}

/** `avg(tcp.bytes)` and `tcp.bytes` are metrics, `_time` the time, other `_` fields are Splunk's own. */
export function splunkHeader(fields: string[], where: string): Header {
  const h: Header = { time: -1, metrics: [], dims: [] };
  fields.forEach((raw, i) => {
    const f = raw.trim();
    const agg = AGGREGATE.exec(f);
    const metric = agg ? agg[1].trim() : METRIC_NAME.exec(f)?.[1];
    if (f === TIME) h.time = i;
    else if (metric) h.metrics[i] = metric;
    else if (!f.startsWith('_') && f !== '') h.dims[i] = f;
  });
  if (h.time < 0) throw new Error(`export: ${where} has no _time column (header: ${fields.slice(0, 8).join(',')})`);
  if (!h.metrics.some((m) => m !== undefined)) throw new Error(`export: ${where} has no metric columns such as tcp.bytes or avg(tcp.bytes)`);
  return h;
}

/**
 * Streams a CSV export of `| mstats avg(tcp.*) ... by k8s.cluster.name source.workload.name
 * source.process.name span=10s` (plain or gzip) into points, one per non-empty metric cell.
 */
export async function readSplunkCsv(
  path: string, opts: SourceOptions, out: PointChunkBuilder, emit: (c: PointChunk) => Promise<void>,
): Promise<SourceFileStats> {
  const stats = emptyStats(path);
  const name = basename(path);
  const parser = Readable.from(readBytes(path)).pipe(parse({
    bom: true, info: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_error: true,
  }));
  parser.on('skip', (err: Error & { lines?: number }) => {
    try {
      malformed(stats, opts.strict, `export: line ${err.lines ?? '?'} of ${name} is not valid CSV (${err.message})`);
    } catch (e) {
      parser.destroy(e as Error);
    }
  });
  let header: Header | undefined;
  let width = 0;
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const fields = rec.record;
      if (header === undefined) {
        header = splunkHeader(fields, name);
        width = fields.length;
        continue;
      }
      const line = rec.info.lines;
      if (fields.length !== width) {
        malformed(stats, opts.strict, `export: line ${line} of ${name} has ${fields.length} fields, the header ${width}`);
        continue;
      }
      const ts = parseSplunkTime(fields[header.time]);
      if (Number.isNaN(ts)) {
        malformed(stats, opts.strict, `export: line ${line} of ${name} has an unreadable _time ${JSON.stringify(fields[header.time])}`);
        continue;
      }
      let key = '';
      let bad = -1;
      for (let i = 0; i < width; i++) {
        const d = header.dims[i];
        if (d !== undefined && fields[i] !== '') key += (key ? KEY_SEP : '') + d + KEY_SEP + fields[i].replaceAll(KEY_SEP, '');
        const m = header.metrics[i];
        if (m !== undefined && fields[i].trim() !== '' && !Number.isFinite(Number(fields[i]))) bad = i;
      }
      if (bad >= 0) {
        malformed(stats, opts.strict, `export: line ${line} of ${name} has a non-numeric ${header.metrics[bad]} ${JSON.stringify(fields[bad])}`);
        continue;
      }
      for (let i = 0; i < width; i++) {
        const m = header.metrics[i];
        if (m === undefined || fields[i].trim() === '') continue;
        out.add(key, m, ts, Number(fields[i]), false, 0);
        stats.points++;
      }
      if (out.ready.length > 0) await out.drain(emit);
    }
  } catch (cause) {
    const e = cause as NodeJS.ErrnoException;
    if (e.message?.startsWith('export: ')) throw e;
    throw new Error(`export: cannot read ${path}: ${e.code ?? e.message}`, { cause });
  }
  if (header === undefined) throw new Error(`export: ${name} is empty (no CSV header)`);
  return stats;
}
