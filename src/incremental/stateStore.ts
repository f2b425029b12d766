import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomic } from '../io/writeAtomic.js';
import type { BaselineCells } from '../state/baselineCells.js';
import type { DayStats } from './dayState.js';

const MANIFEST = 'manifest.json';

interface DayEntry {
  fingerprint: string;
  file: string;
  sha256: string;
}

interface Manifest {
  version: 1;
  metrics: string[];
  cellMs: number;
  days: Record<string, DayEntry>;
}

const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

export function fingerprint(parts: unknown): string {
  return sha256(JSON.stringify(parts));
}

/**
 * Per-day baseline partials for nightly runs. Every file is written atomically under a name of
 * its own hash, and checked against the manifest's hash and its own identity (day, inputs, grid)
 * when read; anything torn, foreign or stale is reported and rebuilt from the data, never
 * trusted. Only commit() writes the manifest, so a run that fails changes nothing a later run
 * reads; files no manifest names are removed at the next commit.
 */
export class StateStore {
  private constructor(
    private readonly dir: string,
    private readonly manifest: Manifest,
    private readonly warn: (msg: string) => void,
  ) {}

  static async open(dir: string, metrics: string[], cellMs: number, warn: (msg: string) => void): Promise<StateStore> {
    const fresh: Manifest = { version: 1, metrics, cellMs, days: {} };
    try {
      await mkdir(dir, { recursive: true });
    } catch (cause) {
      throw new Error(`state: cannot create --state ${dir}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
    }
    let text: string;
    try {
      text = await readFile(join(dir, MANIFEST), 'utf8');
    } catch {
      return new StateStore(dir, fresh, warn);
    }
    let m: Manifest;
    try {
      m = JSON.parse(text) as Manifest;
      if (m.version !== 1 || typeof m.days !== 'object' || !Array.isArray(m.metrics)) throw new Error('unknown layout');
    } catch (e) {
      warn(`state ${join(dir, MANIFEST)} is unreadable (${(e as Error).message}); rebuilding it from the data`);
      return new StateStore(dir, fresh, warn);
    }
    if (m.cellMs !== cellMs || JSON.stringify(m.metrics) !== JSON.stringify(metrics)) {
      warn(`state in ${dir} was built for other metrics or another cell size (another rule, --metrics or --step); rebuilding it from the data`);
      return new StateStore(dir, fresh, warn);
    }
    return new StateStore(dir, m, warn);
  }

  has(day: string, print: string): boolean {
    return this.manifest.days[day]?.fingerprint === print;
  }

  async load(day: string, print: string, cellOrigin: number, cellCount: number): Promise<{ cells: BaselineCells; stats: DayStats[] } | undefined> {
    const e = this.manifest.days[day];
    if (!e || e.fingerprint !== print) return undefined;
    const path = join(this.dir, e.file);
    try {
      const bytes = await readFile(path);
      if (sha256(bytes) !== e.sha256) throw new Error('its hash does not match the manifest (torn or changed)');
      const { decodeDayState } = await import('./dayState.js');
      return decodeDayState(bytes, { day, fingerprint: print, metrics: this.manifest.metrics, cellMs: this.manifest.cellMs, cellOrigin, cellCount });
    } catch (err) {
      this.warn(`state file ${path} cannot be used: ${(err as Error).message}; rebuilding day ${day} from the data`);
      delete this.manifest.days[day];
      return undefined;
    }
  }

  async save(day: string, print: string, cells: BaselineCells, stats: DayStats[]): Promise<void> {
    const { encodeDayState } = await import('./dayState.js');
    const bytes = encodeDayState(cells, { day, fingerprint: print, cellMs: this.manifest.cellMs }, stats);
    const hash = sha256(bytes);
    const file = `day=${day}.${hash.slice(0, 16)}.arrow`;
    await writeAtomic(join(this.dir, file), bytes);
    this.manifest.days[day] = { fingerprint: print, file, sha256: hash };
  }

  async commit(): Promise<void> {
    await writeAtomic(join(this.dir, MANIFEST), JSON.stringify(this.manifest, null, 1) + '\n');
    const named = new Set(Object.values(this.manifest.days).map((d) => d.file));
    for (const f of await readdir(this.dir)) {
      if (/^day=\d{4}-\d{2}-\d{2}(\.[0-9a-f]{16})?\.arrow$/.test(f) && !named.has(f)) await rm(join(this.dir, f), { force: true });
    }
  }
}
