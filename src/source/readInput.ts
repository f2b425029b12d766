import { readOtlpArchive } from './otlp/readOtlpArchive.js';
import { PointChunkBuilder, type PointChunk } from './pointChunk.js';
import { readSplunkCsv } from './splunkCsv/readSplunkCsv.js';
import type { SourceFileStats, SourceKind, SourceOptions } from './sourceTypes.js';

export interface ReadInputTask {
  kind: SourceKind;
  path: string;
  opts: SourceOptions;
}

/** Reads one input file of either source, handing its points to `emit` chunk by chunk. */
export async function readInput(task: ReadInputTask, emit: (c: PointChunk) => Promise<void>): Promise<SourceFileStats> {
  const out = new PointChunkBuilder();
  const read = task.kind === 'otlp' ? readOtlpArchive : readSplunkCsv;
  const stats = await read(task.path, task.opts, out, emit);
  await out.drain(emit, true);
  return stats;
}
