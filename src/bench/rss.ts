/**
 * Peak resident memory, measured two ways.
 *
 * - In this process (`egress-anomaly bench`): process.memoryUsage().rss sampled on a timer. Worker
 *   threads share the process, so this covers the pool and its wasm heaps. It is a sampled peak
 *   over an interval we choose (one setting), unlike resourceUsage().maxRSS, which is the peak
 *   over the whole process lifetime and so never goes down between settings.
 * - Of a child process (benchmarks/bench.ts): /proc/<pid>/status, where VmHWM is the kernel's own
 *   high-water mark of the process's RSS (the figure getrusage / `time -f %M` report at exit).
 *   Polling it every 20 ms misses only growth in the last 20 ms before exit.
 */
import { readFileSync } from 'node:fs';

export const SAMPLE_MS = 20;

export interface PeakSampler {
  /** stops sampling and returns the peak in bytes */
  stop(): number;
  peak(): number;
}

/** Samples this process's RSS every `intervalMs` until stop(). */
export function sampleOwnRss(intervalMs = SAMPLE_MS): PeakSampler {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    const r = process.memoryUsage.rss();
    if (r > peak) peak = r;
  }, intervalMs);
  timer.unref();
  return {
    peak: () => Math.max(peak, process.memoryUsage.rss()),
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return peak;
    },
  };
}

/** VmHWM and VmRSS of a process in bytes, or undefined once it is gone (or off Linux). */
export function procMemory(pid: number): { hwm: number; rss: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
}

/** Polls another process's peak RSS every `intervalMs` until stop(). */
export function sampleChildRss(pid: number, intervalMs = SAMPLE_MS): PeakSampler {
  let peak = 0;
  const poll = () => {
    const m = procMemory(pid);
    if (m) peak = Math.max(peak, m.hwm, m.rss);
  };
  poll();
  const timer = setInterval(poll, intervalMs);
  timer.unref();
  return {
    peak: () => peak,
    stop: () => {
      poll();
      clearInterval(timer);
      return peak;
    },
  };
}
