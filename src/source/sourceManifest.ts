import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceFileStats, SourceKind } from './sourceTypes.js';

export const SOURCE_MANIFEST = '_export.json';

export interface ManifestInput {
  path: string;
  size: number;
  mtimeMs: number;
  points: number;
  malformed: number;
}

/** What an export from a source wrote: what it read (to read only new inputs next time) and its files. */
export interface SourceManifest {
  generator: 'egress-anomaly export';
  source: SourceKind;
  aggregation: string;
  /** the next part-N.parquet number */
  nextPart: number;
  inputs: ManifestInput[];
  files: { path: string; rows: number; bytes: number }[];
}

/** The manifest in `outDir`: undefined when there is none; `foreign` when it is another export's. */
export async function readSourceManifest(outDir: string): Promise<SourceManifest | 'foreign' | undefined> {
  let text: string;
  try {
    text = await readFile(join(outDir, SOURCE_MANIFEST), 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`export: cannot read ${join(outDir, SOURCE_MANIFEST)}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
  try {
    const m = JSON.parse(text) as SourceManifest;
    if (typeof m.source === 'string' && Array.isArray(m.inputs) && Array.isArray(m.files) && Number.isInteger(m.nextPart)) return m;
  } catch {
    // a torn or hand-edited manifest: treated as another dataset, replaced only with --force
  }
  return 'foreign';
}

export function manifestInput(size: number, mtimeMs: number, s: SourceFileStats): ManifestInput {
  return { path: s.path, size, mtimeMs, points: s.points, malformed: s.malformed };
}
