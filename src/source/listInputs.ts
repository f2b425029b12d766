import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceKind } from './sourceTypes.js';

export interface InputFile {
  path: string;
  size: number;
  mtimeMs: number;
}

const OTLP = /\.(json|jsonl|ndjson|binpb|pb|proto|otlp)(\.(gz|zst|zstd))?$/i;
const CSV = /\.(csv|txt)(\.(gz|zst|zstd))?$/i;

/**
 * The files named by --in: a file as given, or every archive below a folder (the S3 exporter's
 * year=/month=/day=/hour=/minute= tree included), in code-unit order of path. Hidden files are
 * skipped.
 */
export async function listInputs(kind: SourceKind, paths: string[]): Promise<InputFile[]> {
  const pattern = kind === 'otlp' ? OTLP : CSV;
  const out = new Map<string, InputFile>();
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      const st = await stat(p).catch(() => undefined);
      if (st?.isDirectory()) await walk(p);
      else if (st?.isFile() && pattern.test(e.name)) out.set(p, { path: p, size: st.size, mtimeMs: st.mtimeMs });
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch (cause) {
      throw new Error(`export: cannot read --in ${p}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
    }
    if (st.isDirectory()) {
      const before = out.size;
      await walk(p);
      if (out.size === before) throw new Error(`export: no ${kind === 'otlp' ? 'OTLP archives (*.json, *.jsonl, *.binpb, optionally .gz or .zst)' : 'CSV files (*.csv, optionally .gz)'} found under --in ${p}`);
    } else out.set(p, { path: p, size: st.size, mtimeMs: st.mtimeMs });
  }
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
