import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir` (recursively), relative to it, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** Temporary files a write left behind (writeAtomic names them `.NAME.PID-THREAD-N.tmp`). */
export function tempFilesUnder(dir: string): string[] {
  return filesUnder(dir).filter((f) => f.endsWith('.tmp'));
}
