import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A Parquet file or every `*.parquet` below a folder, recursively, in code-unit order of path. */
export async function findParquetFiles(path: string): Promise<string[]> {
  let st;
  try {
    st = await stat(path);
  } catch (cause) {
    throw new Error(`plan: cannot read --data ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
  if (st.isFile()) return [path];
  const out: { path: string; real: string }[] = [];
  // Symbolic links are followed (a dataset assembled with `ln -s`); `seen` stops link cycles.
  const seen = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    const real = await realpath(dir);
    if (seen.has(real)) return;
    seen.add(real);
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
      const p = join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        const target = await stat(p).catch(() => undefined); // a dangling link is skipped
        isDir = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      if (isDir) await walk(p);
      else if (isFile && e.name.endsWith('.parquet')) out.push({ path: p, real: await realpath(p) });
    }
  };
  await walk(path);
  if (out.length === 0) throw new Error(`plan: no Parquet files found under ${path}`);
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // A file reached twice (through a link) is read once, under its first path.
  const files = new Set<string>();
  return out.filter((f) => !files.has(f.real) && files.add(f.real)).map((f) => f.path);
}
