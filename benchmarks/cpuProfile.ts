/**
 * Summarises V8 .cpuprofile files (node --cpu-prof) by self time per function.
 *
 * Node writes one profile per thread, named CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile;
 * thread 0 is the main thread, the others are the pool's workers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

export interface FunctionTime {
  /** function name and where it lives (file basename:line, or the wasm module) */
  name: string;
  selfMs: number;
  /** share of the busy (non-idle) samples of the profiles summarised */
  share: number;
}

/** the WebAssembly modules a worker may run: ours (page codecs, index decoding), zstddec's, parquet-wasm's */
const WASM_LABEL = 'WebAssembly (our codecs, zstddec, parquet-wasm)';

export interface CategoryTime {
  /** where the code lives: WebAssembly, a package, a folder of ours, node internals, GC */
  category: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  profiles: number;
  threadIds: number[];
  /** sampled wall time of all profiles summed, ms */
  totalMs: number;
  idleMs: number;
  busyMs: number;
  top: FunctionTime[];
  categories: CategoryTime[];
}

export function threadIdOf(file: string): number | undefined {
  const parts = basename(file).split('.');
  if (parts.length < 7 || parts[0] !== 'CPU' || parts[parts.length - 1] !== 'cpuprofile') return undefined;
  const n = Number(parts[parts.length - 3]);
  return Number.isInteger(n) ? n : undefined;
}

/** Piscina's worker parks in Atomics.wait between tasks: waiting, not work. */
function isIdle(f: CallFrame): boolean {
  return f.functionName === '(idle)' || (f.functionName === 'atomicsWaitLoop' && f.url.includes('piscina'));
}

export function categoryOf(f: CallFrame): string {
  const url = f.url;
  if (!url) {
    const n = f.functionName;
    if (n === '(garbage collector)') return 'garbage collector';
    if (n.startsWith('wasm-')) return WASM_LABEL;
    if (n === 'Module' || n === 'Instance' || n === 'compile' || n === 'instantiate') return 'wasm compile and instantiate';
    if (n === '(program)') return '(program: V8 and Node native code)';
    if (/^internal|^open|^read|^close|^fstat|^stat/.test(n)) return 'node internals (module loading, streams, ...)';
    return 'native (V8 builtins)';
  }
  if (url.startsWith('wasm://')) return WASM_LABEL;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1];
  const ours = /\/dist\/(src\/[^/]+|workers|benchmarks)\//.exec(url);
  if (ours) return ours[1];
  if (url.startsWith('node:') || !url.includes('/')) return 'node internals (module loading, streams, ...)';
  return 'other';
}

function labelOf(f: CallFrame): string {
  const name = f.functionName || '(anonymous)';
  if (!f.url) return name;
  const file = f.url.startsWith('wasm://') ? 'wasm' : `${basename(f.url)}:${f.lineNumber + 1}`;
  return `${name} (${file})`;
}

/** Self time per function over the given profiles, busiest first. */
export function summariseProfiles(files: string[], limit = 15): ProfileSummary {
  const self = new Map<string, number>();
  const byCategory = new Map<string, number>();
  let total = 0;
  let idle = 0;
  const threadIds: number[] = [];
  for (const file of files) {
    const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    threadIds.push(threadIdOf(file) ?? -1);
    const node = new Map<number, CallFrame>(p.nodes.map((n) => [n.id, n.callFrame]));
    // sample i lasts until sample i + 1 (the last one until the profile's end)
    let t = p.startTime;
    const stamps = p.timeDeltas.map((d) => (t += d));
    for (let i = 0; i < p.samples.length; i++) {
      const next = i + 1 < stamps.length ? stamps[i + 1] : p.endTime;
      const us = Math.max(0, next - stamps[i]);
      const frame = node.get(p.samples[i]) ?? { functionName: '(unknown)', url: '', lineNumber: 0 };
      total += us;
      if (isIdle(frame)) {
        idle += us;
        continue;
      }
      const name = labelOf(frame);
      self.set(name, (self.get(name) ?? 0) + us);
      const cat = categoryOf(frame);
      byCategory.set(cat, (byCategory.get(cat) ?? 0) + us);
    }
  }
  const busy = total - idle;
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, limit)
    .map(([name, us]) => ({ name, selfMs: us / 1000, share: busy > 0 ? us / busy : 0 }));
  const categories = [...byCategory].sort((a, b) => b[1] - a[1])
    .map(([category, us]) => ({ category, selfMs: us / 1000, share: busy > 0 ? us / busy : 0 }));
  return { profiles: files.length, threadIds, totalMs: total / 1000, idleMs: idle / 1000, busyMs: busy / 1000, top, categories };
}

/** The profiles in `dir`, split into the main thread's and the workers'. */
export function profilesIn(dir: string): { main: string[]; workers: string[] } {
  const all = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f)).sort();
  return { main: all.filter((f) => threadIdOf(f) === 0), workers: all.filter((f) => (threadIdOf(f) ?? 0) !== 0) };
}
