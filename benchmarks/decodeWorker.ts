/** Piscina worker for the decode-only floor (compiled to dist/benchmarks/decodeWorker.js). */
import { decodeOnlyTask, type DecodeOnlyResult } from './decodeOnly.js';
import type { ScanTask } from '../src/plan/scanTask.js';

export default function decodeWorker(task: ScanTask): Promise<DecodeOnlyResult> {
  return decodeOnlyTask(task);
}
