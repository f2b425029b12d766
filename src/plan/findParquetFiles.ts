import { readdir, stat } from 'node:fs/promises';
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
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && e.name.endsWith('.parquet')) out.push(p);
    }
  };
  await walk(path);
  if (out.length === 0) throw new Error(`plan: no Parquet files found under ${path}`);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
