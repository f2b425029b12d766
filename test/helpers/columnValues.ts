/**
 * An Arrow Data's rows as comparable keys, for differential tests of Parquet decoders: null, or
 * the value written exactly (doubles by their shortest round-trip text with -0 apart, bigints with
 * an n, strings as themselves), whatever the physical layout (Dictionary or Utf8, any offset).
 */
import { DataType, type Data } from 'apache-arrow';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isValid(d: Data, i: number): boolean {
  if (d.nullCount === 0 || !d.nullBitmap || d.nullBitmap.length === 0) return true;
  const j = d.offset + i;
  return ((d.nullBitmap[j >> 3]! >> (j & 7)) & 1) === 1;
}

function numberKey(x: unknown): string {
  if (typeof x === 'bigint') return `${x}n`;
  if (typeof x === 'number') return Object.is(x, -0) ? '-0' : String(x);
  return `?${String(x)}`;
}

function utf8Rows(d: Data): string[] {
  const offsets = d.valueOffsets as Int32Array;
  const bytes = d.values as Uint8Array;
  const out: string[] = [];
  for (let i = 0; i < d.length; i++) out.push(utf8.decode(bytes.subarray(offsets[d.offset + i], offsets[d.offset + i + 1])));
  return out;
}

export function columnKeys(d: Data): (string | null)[] {
  const type = d.type as DataType;
  const out: (string | null)[] = [];
  if (DataType.isDictionary(type)) {
    const dict = d.dictionary!.data.flatMap((x) => utf8Rows(x));
    const idx = d.values as Int32Array;
    for (let i = 0; i < d.length; i++) out.push(isValid(d, i) ? `s:${dict[idx[d.offset + i]!]}` : null);
    return out;
  }
  if (DataType.isUtf8(type)) {
    const rows = utf8Rows(d);
    for (let i = 0; i < d.length; i++) out.push(isValid(d, i) ? `s:${rows[i]}` : null);
    return out;
  }
  const values = d.values as ArrayLike<number | bigint>;
  for (let i = 0; i < d.length; i++) out.push(isValid(d, i) ? numberKey(values[d.offset + i]) : null);
  return out;
}

/** The first `limit` rows where the two differ, as [row, a, b]. */
export function keyDiff(a: (string | null)[], b: (string | null)[], limit = 5): [number, string | null, string | null][] {
  const diff: [number, string | null, string | null][] = [];
  for (let i = 0; i < Math.max(a.length, b.length) && diff.length < limit; i++) {
    if (a[i] !== b[i]) diff.push([i, a[i] ?? null, b[i] ?? null]);
  }
  return diff;
}
