import type { MessagePort } from 'node:worker_threads';
import { chunkBuffers, type PointChunk } from '../src/source/pointChunk.js';
import { readInput, type ReadInputTask } from '../src/source/readInput.js';
import type { SourceFileStats } from '../src/source/sourceTypes.js';

/** Chunks a reader may have sent before the main thread acknowledges one. */
const IN_FLIGHT = 2;

/** Reads one input file, streaming its points to the main thread through `port`. */
export default async function sourceWorker(task: ReadInputTask & { port: MessagePort }): Promise<SourceFileStats> {
  const { port, ...input } = task;
  let inFlight = 0;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    inFlight--;
    const w = wake;
    wake = undefined;
    w?.();
  });
  const emit = async (c: PointChunk): Promise<void> => {
    while (inFlight >= IN_FLIGHT) await new Promise<void>((r) => { wake = r; });
    inFlight++;
    port.postMessage(c, chunkBuffers(c));
  };
  try {
    const stats = await readInput(input, emit);
    while (inFlight > 0) await new Promise<void>((r) => { wake = r; });
    return stats;
  } finally {
    port.close();
  }
}
