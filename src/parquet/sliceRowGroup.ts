/**
 * Builds a standalone Parquet file holding one row group and only the requested columns.
 *
 * parquet-wasm's readParquet copies the whole input into wasm memory and decodes every column;
 * feeding it such a slice makes both costs proportional to what the scan actually needs.
 */
import { chunkByteRange, type ParquetFooter, type RowGroup } from './parquetFooter.js';
import { readAll, type ByteReader, type RangeRequest } from './byteReader.js';
import { Schema } from 'apache-arrow';
import { stringBytes, T, TStruct } from './thriftCompact.js';
import { encodeStruct } from './thriftEncode.js';
import { dictionaryStringsHint, encodeArrowSchema } from './arrowSchemaHint.js';
import { ARROW_SCHEMA, arrowSchemaOf, arrowSchemaUsable } from './arrowSchema.js';
import { MAGIC } from './magic.js';

export type ByteRange = [start: number, end: number];
/** Returns the file's bytes [start, end). */
export type RangeReader = (start: number, end: number) => Uint8Array;

export interface SliceOptions {
  /**
   * When the file has no `ARROW:schema` entry, or one parquet-rs cannot use (arrowSchema.ts),
   * add one that makes parquet-rs decode the kept STRING columns as Dictionary<Int32, Utf8>
   * (every other column as it would infer anyway); see arrowSchemaHint.ts. No effect on files
   * whose own entry is usable. Off by default. An unusable entry is dropped either way.
   */
  dictionaryStrings?: boolean;
}


function rowGroupOf(footer: ParquetFooter, rowGroup: number): RowGroup {
  const g = footer.rowGroups[rowGroup];
  if (!g) throw new RangeError(`parquet: ${footer.path} has no row group ${rowGroup} (it has ${footer.rowGroups.length})`);
  return g;
}

/** Leaf indexes of the requested flat columns, in schema order; null means every flat column (nested ones are never kept). */
function selectColumns(footer: ParquetFooter, columns: readonly string[] | null): number[] {
  if (columns === null) return footer.columns.map((c) => c.index);
  const want = new Set(columns);
  for (const name of want) {
    const found = footer.columns.filter((c) => c.name === name);
    if (found.length > 1) {
      throw new Error(`parquet: ${footer.path} has two columns named "${name}" (columns ${found[0]!.position + 1} and ${found[1]!.position + 1})`);
    }
    if (found.length === 0) {
      const nested = footer.nestedColumns.find((c) => c.name === name);
      if (nested) throw new Error(`parquet: column "${name}" in ${footer.path} is nested (a ${nested.kind}), which cannot be read as a flat column`);
      throw new Error(`parquet: ${footer.path} has no column "${name}"`);
    }
  }
  if (want.size === 0) throw new Error(`parquet: ${footer.path}: a slice needs at least one column`);
  return footer.columns.filter((c) => want.has(c.name)).map((c) => c.index);
}

/** File byte ranges [start, end) of the selected column chunks, in slice (schema) order. */
export function columnChunkRanges(footer: ParquetFooter, rowGroup: number, columns: readonly string[] | null): ByteRange[] {
  const g = rowGroupOf(footer, rowGroup);
  return selectColumns(footer, columns).map((i) => chunkByteRange(g.columns[i]!));
}

interface SlicePlan {
  /** source ranges, and where each lands in the slice */
  ranges: ByteRange[];
  targets: number[];
  /** encoded FileMetaData, placed right after the chunks */
  meta: Uint8Array;
  size: number;
}

function planSlice(footer: ParquetFooter, rowGroup: number, columns: readonly string[] | null, options: SliceOptions): SlicePlan {
  const g = rowGroupOf(footer, rowGroup);
  const leaves = selectColumns(footer, columns);
  const projected = leaves.length < footer.leafColumns.length;
  const raw = footer.raw;
  const rawRg = raw.structs(4)![rowGroup]!;
  const rawChunks = rawRg.structs(1)!;

  const ranges: ByteRange[] = [];
  const targets: number[] = [];
  let pos = MAGIC.length;
  let uncompressed = 0;
  const chunks = leaves.map((i) => {
    const info = g.columns[i]!;
    const [start, end] = chunkByteRange(info);
    const delta = pos - start;
    const md = rawChunks[i]!.struct(3)!.clone().set(9, T.I64, info.dataPageOffset + delta);
    if (start === info.dictionaryPageOffset) md.set(11, T.I64, pos);
    else md.delete(11);
    md.delete(10, 14, 15); // index page and bloom filter offsets point into the original file
    const fileOffset = rawChunks[i]!.int(2) ?? 0;
    const cc = rawChunks[i]!.clone()
      .set(2, T.I64, fileOffset >= start ? fileOffset + delta : pos)
      .set(3, T.STRUCT, md)
      .delete(4, 5, 6, 7); // page index (offset/column index) is not copied
    ranges.push([start, end]);
    targets.push(pos);
    uncompressed += info.totalUncompressedSize;
    pos += end - start;
    return cc;
  });

  const rg = rawRg.clone()
    .set(1, T.LIST, { elemType: T.STRUCT, items: chunks })
    .set(2, T.I64, uncompressed)
    .set(5, T.I64, MAGIC.length)
    .set(6, T.I64, pos - MAGIC.length)
    .delete(7);
  if (projected) rg.delete(4); // sorting_columns refer to leaf indexes of the original schema

  const schema = raw.structs(2)!;
  const elements = leaves.map((i) => schema[footer.leafColumns[i]!.element]!);
  const meta = raw.clone()
    .set(2, T.LIST, { elemType: T.STRUCT, items: [schema[0]!.clone().set(5, T.I32, leaves.length), ...elements] })
    .set(3, T.I64, g.numRows)
    .set(4, T.LIST, { elemType: T.STRUCT, items: [rg] });
  const orders = raw.list(7);
  if (orders) meta.set(7, T.LIST, { elemType: T.STRUCT, items: leaves.map((i) => orders[i]!) });
  // the file's own Arrow schema where parquet-rs can use it (reduced to the kept columns), else
  // none, or the dictionary-strings hint; parquet-rs rejects one whose field count differs
  let arrow: string | undefined;
  if (arrowSchemaUsable(footer)) arrow = projected ? prunedArrowSchema(footer, leaves) : footer.keyValueMetadata.get(ARROW_SCHEMA);
  else if (options.dictionaryStrings) arrow = dictionaryStringsHint(footer, leaves, meta);
  const kv = (raw.structs(5) ?? []).filter((e: TStruct) => e.str(1) !== ARROW_SCHEMA);
  if (arrow !== undefined) kv.push(new TStruct().set(1, T.BINARY, stringBytes(ARROW_SCHEMA)).set(2, T.BINARY, stringBytes(arrow)));
  if (kv.length) meta.set(5, T.LIST, { elemType: T.STRUCT, items: kv });
  else meta.delete(5);
  const metaBytes = encodeStruct(meta);
  return { ranges, targets, meta: metaBytes, size: pos + metaBytes.length + 8 };
}

const prunedSchemas = new WeakMap<ParquetFooter, Map<string, string | undefined>>();

/**
 * The file's embedded Arrow schema reduced to the kept columns, so a column decodes to the same
 * Arrow type whatever the projection (dictionary strings stay dictionaries, timezones stay).
 * Undefined (the entry is then dropped) when it cannot be rebuilt.
 */
function prunedArrowSchema(footer: ParquetFooter, leaves: number[]): string | undefined {
  let cache = prunedSchemas.get(footer);
  if (!cache) prunedSchemas.set(footer, (cache = new Map()));
  const key = leaves.join(',');
  if (cache.has(key)) return cache.get(key);
  let result: string | undefined;
  try {
    const { fields, metadata } = arrowSchemaOf(footer)!;
    result = encodeArrowSchema(new Schema(leaves.map((i) => fields[footer.leafColumns[i]!.position]!), metadata));
  } catch {
    result = undefined;
  }
  cache.set(key, result);
  return result;
}

/** Allocates the slice and writes everything except the chunk bytes. */
function allocate(plan: SlicePlan): Uint8Array {
  const out = new Uint8Array(plan.size);
  const metaAt = plan.size - 8 - plan.meta.length;
  out.set(MAGIC, 0);
  out.set(plan.meta, metaAt);
  new DataView(out.buffer).setUint32(plan.size - 8, plan.meta.length, true);
  out.set(MAGIC, plan.size - 4);
  return out;
}

/** Slice from a whole-file buffer or a synchronous range reader. columns=null keeps all columns. */
export function sliceRowGroup(
  file: Uint8Array | RangeReader, footer: ParquetFooter, rowGroup: number, columns: readonly string[] | null,
  options: SliceOptions = {},
): Uint8Array {
  const read: RangeReader = typeof file === 'function' ? file : (start, end) => {
    if (end > file.length) throw new Error(`parquet: ${footer.path} is truncated (column chunk ends at ${end}, file size ${file.length})`);
    return file.subarray(start, end);
  };
  const plan = planSlice(footer, rowGroup, columns, options);
  return fill(plan, plan.ranges.map(([s, e]) => read(s, e)), footer.path);
}

/** Slice from chunk bytes the caller read itself, one per range of columnChunkRanges (same order). */
export function sliceFromChunks(
  footer: ParquetFooter, rowGroup: number, columns: readonly string[] | null, chunks: readonly Uint8Array[],
  options: SliceOptions = {},
): Uint8Array {
  return fill(planSlice(footer, rowGroup, columns, options), chunks, footer.path);
}

function fill(plan: SlicePlan, chunks: readonly Uint8Array[], path: string): Uint8Array {
  if (chunks.length !== plan.ranges.length) throw new Error(`parquet: ${path}: got ${chunks.length} column chunks, expected ${plan.ranges.length}`);
  const out = allocate(plan);
  plan.ranges.forEach(([s, e], k) => {
    if (chunks[k]!.length !== e - s) throw new Error(`parquet: ${path}: column chunk ${k} has ${chunks[k]!.length} bytes, expected ${e - s}`);
    out.set(chunks[k]!, plan.targets[k]!);
  });
  return out;
}

/** Reads only the needed chunks straight into the slice; chunks adjacent in the file take one read. */
export async function readRowGroupSlice(
  fh: ByteReader, footer: ParquetFooter, rowGroup: number, columns: readonly string[] | null,
  options: SliceOptions = {},
): Promise<Uint8Array> {
  const plan = planSlice(footer, rowGroup, columns, options);
  const out = allocate(plan);
  const reads: RangeRequest[] = [];
  for (let k = 0; k < plan.ranges.length;) {
    const [start] = plan.ranges[k]!;
    let end = plan.ranges[k]![1];
    const target = plan.targets[k]!;
    for (k++; k < plan.ranges.length && plan.ranges[k]![0] === end; k++) end = plan.ranges[k]![1];
    if (end > footer.fileSize) throw new Error(`parquet: ${footer.path} is truncated (column chunk ends at ${end}, file size ${footer.fileSize})`);
    reads.push({ buffer: out, offset: target, length: end - start, position: start });
  }
  await readAll(fh, reads, footer.path);
  return out;
}
