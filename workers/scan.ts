import { workerStart } from '../src/pool/workerStart.js';
import { threadId } from 'node:worker_threads';
import type { ScanTask } from '../src/plan/scanTask.js';
import type { PartialState } from '../src/state/partialState.js';
import { scanTask } from '../src/scan/scanTask.js';
import { movable } from '../src/pool/movable.js';
import { takeTransferCounts } from '../src/io/transferCounters.js';
import { epochNow, timingEnabled, type WorkerTiming } from '../src/pool/workerTiming.js';

const loaded = epochNow();
const timing = timingEnabled();
let tasks = 0;

/** What the task's object-storage reads cost goes back in its stats. */
function withTransfers(state: PartialState): PartialState {
  Object.assign(state.stats, takeTransferCounts());
  return state;
}

export default async function scan(task: ScanTask): Promise<unknown> {
  if (!timing) return movable(withTransfers(await scanTask(task)));
  const taskStart = epochNow();
  const state = withTransfers(await scanTask(task));
  const t: WorkerTiming = { threadId, started: workerStart, loaded, taskStart, taskEnd: epochNow(), firstTask: tasks++ === 0 };
  return movable(Object.assign(state, { timing: t }));
}
