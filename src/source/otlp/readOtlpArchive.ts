import { basename } from 'node:path';
import type { PointChunk, PointChunkBuilder } from '../pointChunk.js';
import { readBytes } from '../readBytes.js';
import { emptyStats, malformed, type SourceFileStats, type SourceOptions } from '../sourceTypes.js';
import { otlpMessages } from './framing.js';
import { decodeExportRequest } from './otlpProto.js';
import { otlpToPoints } from './otlpToPoints.js';

/**
 * Streams one OTLP archive (file exporter JSON Lines or length-prefixed protobuf, an S3 exporter
 * object; plain, gzip or zstd) into points, one message at a time, handing full chunks to `emit`.
 */
export async function readOtlpArchive(
  path: string, opts: SourceOptions, out: PointChunkBuilder, emit: (c: PointChunk) => Promise<void>,
): Promise<SourceFileStats> {
  const stats = emptyStats(path);
  const name = basename(path);
  try {
    for await (const m of otlpMessages(readBytes(path))) {
      const where = `${m.where} of ${name}`;
      if (m.kind === 'bad') {
        malformed(stats, opts.strict, `export: ${where} ${m.problem}`);
        continue;
      }
      let request: unknown;
      try {
        request = m.kind === 'json' ? JSON.parse(m.text) : decodeExportRequest(m.bytes);
      } catch (cause) {
        const what = m.kind === 'json' ? 'is not valid JSON' : 'is not a protobuf ExportMetricsServiceRequest';
        malformed(stats, opts.strict, `export: ${where} ${what} (${(cause as Error).message})`);
        continue;
      }
      otlpToPoints(request, where, opts, out, stats);
      await out.drain(emit);
    }
  } catch (cause) {
    const e = cause as NodeJS.ErrnoException;
    if (e.message?.startsWith('export: ')) throw e;
    throw new Error(`export: cannot read ${path}: ${e.code ?? e.message}`, { cause });
  }
  return stats;
}
