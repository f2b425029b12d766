import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findParquetFiles } from '../src/io/findParquetFiles.js';

const tmp = mkdtempSync(join(tmpdir(), 'egress-find-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Creates the files (contents do not matter: nothing is read) and returns the root. */
function tree(name: string, files: string[]): string {
  const root = join(tmp, name);
  mkdirSync(root, { recursive: true });
  for (const f of files) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), 'x');
  }
  return root;
}

describe('findParquetFiles', () => {
  it('finds *.parquet recursively, in code-unit order of path', async () => {
    const root = tree('nested', [
      'day=2026-01-02/part-1.parquet',
      'day=2026-01-02/part-0.parquet',
      'day=2026-01-01/part-0.parquet',
      'B.parquet',
      'a.parquet',
      'deep/er/still/x.parquet',
    ]);
    expect(await findParquetFiles(root)).toEqual(
      ['B.parquet', 'a.parquet', 'day=2026-01-01/part-0.parquet', 'day=2026-01-02/part-0.parquet',
        'day=2026-01-02/part-1.parquet', 'deep/er/still/x.parquet'].map((f) => join(root, f)),
    );
  });

  it('skips entries starting with . or _ (hidden and temporary files, _SUCCESS, _temporary/)', async () => {
    const root = tree('skips', [
      'keep.parquet',
      '.hidden.parquet',
      '_tmp.parquet',
      '.staging/x.parquet',
      '_temporary/0/part.parquet',
      '_SUCCESS',
      'sub/keep2.parquet',
      'sub/.x.parquet.crc',
    ]);
    expect(await findParquetFiles(root)).toEqual([join(root, 'keep.parquet'), join(root, 'sub', 'keep2.parquet')]);
  });

  it('ignores files that do not end in .parquet', async () => {
    const root = tree('others', ['a.parquet', 'b.csv', 'c.parquet.bak', 'manifest.json', 'parquet']);
    expect(await findParquetFiles(root)).toEqual([join(root, 'a.parquet')]);
  });

  it('returns a file path given directly, whatever its name', async () => {
    const root = tree('direct', ['data.bin', '_x.parquet']);
    expect(await findParquetFiles(join(root, 'data.bin'))).toEqual([join(root, 'data.bin')]);
    expect(await findParquetFiles(join(root, '_x.parquet'))).toEqual([join(root, '_x.parquet')]);
  });

  it('accepts a root folder whose own name starts with . or _', async () => {
    const root = tree('_root/.inner', ['a.parquet']);
    expect(await findParquetFiles(root)).toEqual([join(root, 'a.parquet')]);
  });

  it('follows symbolic links to files and folders, and does not loop', async () => {
    const target = tree('link-target', ['t.parquet']);
    const other = tree('link-other', ['u.parquet']);
    const root = tree('links', ['own.parquet']);
    symlinkSync(join(other, 'u.parquet'), join(root, 'linked.parquet'));
    symlinkSync(target, join(root, 'linked-dir'));
    symlinkSync(root, join(root, 'loop')); // a cycle
    symlinkSync(join(tmp, 'nowhere.parquet'), join(root, 'dangling.parquet'));
    expect(await findParquetFiles(root)).toEqual([
      join(root, 'linked-dir', 't.parquet'),
      join(root, 'linked.parquet'),
      join(root, 'own.parquet'),
    ]);
  });

  it('lists a file reached twice through links once, under its first path', async () => {
    const root = tree('dupes', ['b/data.parquet']);
    symlinkSync(join(root, 'b', 'data.parquet'), join(root, 'a.parquet'));
    symlinkSync(join(root, 'b'), join(root, 'c'));
    expect(await findParquetFiles(root)).toEqual([join(root, 'a.parquet')]);
  });

  it('fails for a missing path, naming it', async () => {
    const missing = join(tmp, 'does-not-exist');
    await expect(findParquetFiles(missing)).rejects.toThrow(`plan: cannot read --data ${missing}: ENOENT`);
  });

  it('fails for a folder with no Parquet files, naming it', async () => {
    const root = tree('empty-ish', ['readme.txt', '_hidden.parquet', 'sub/notes.md']);
    await expect(findParquetFiles(root)).rejects.toThrow(`plan: no Parquet files found under ${root}`);
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    await expect(findParquetFiles(empty)).rejects.toThrow(`plan: no Parquet files found under ${empty}`);
  });
});
