import type { ScanTask } from '../src/plan/scanTask.js';
import { scanTask } from '../src/scan/scanTask.js';
import { movable } from '../src/pool/movable.js';

export default async function scan(task: ScanTask): Promise<unknown> {
  return movable(await scanTask(task));
}
