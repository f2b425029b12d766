/** Piscina worker for the decode-only floor (compiled to dist/benchmarks/decodeWorker.js). */
import { decodeOnlyTask, type DecodeOnlyResult } from '../src/bench/decodeOnly.js';
import type { ScanTask } from '../src/scan/scanTask.js';

export default function decodeWorker(task: ScanTask): Promise<DecodeOnlyResult> {
  return decodeOnlyTask(task);
}
