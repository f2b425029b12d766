/**
 * Opt-in start-up timing of a worker thread (EGRESS_ANOMALY_TIMING=1): epoch milliseconds, so the
 * main thread can set them against its own clock (performance.timeOrigin + performance.now()).
 */
export interface WorkerTiming {
  threadId: number;
  /** the worker file's modules were read and linked, and their evaluation began */
  started: number;
  /** the worker file and everything it imports evaluated */
  loaded: number;
  /** this task began; `firstTask` says whether it is the thread's first */
  taskStart: number;
  taskEnd: number;
  firstTask: boolean;
}

export const TIMING_ENV = 'EGRESS_ANOMALY_TIMING';

export function timingEnabled(): boolean {
  return process.env[TIMING_ENV] === '1';
}

export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
