/**
 * The edge-case scenario's logical rows (test/reference/edgeCases.ts) written in foreign physical
 * forms: byte-built columns (parquetBytes.ts), and whole-file rewrites that change only the footer.
 */
import { readFooter } from '../../src/parquet/parquetFooter.js';
import { stringBytes, T, TStruct } from '../../src/parquet/thriftCompact.js';
import { encodeStruct } from '../../src/parquet/thriftEncode.js';
import { FIVE_METRICS, type LRow } from '../reference/edgeCases.js';
import { LT, type ByteColumn, type ByteValue } from './parquetBytes.js';

export interface ColumnsOptions {
  /** the timestamp column, from each row's epoch ns (null rows stay null) */
  timestamp: Omit<ByteColumn, 'name' | 'values'> & { value: (ns: bigint) => ByteValue };
  /** a metric column; default DOUBLE */
  metric?: Omit<ByteColumn, 'name' | 'values'> & { value: (x: number) => ByteValue };
  metrics?: readonly string[];
  /** more columns after the metrics */
  extra?: ByteColumn[];
}

/** Rows as byte-writer columns: timestamp, the three dimensions (plain strings), the metrics. */
export function columnsOf(rows: LRow[], o: ColumnsOptions): ByteColumn[] {
  const { value: tsValue, ...tsCol } = o.timestamp;
  const { value: mValue, ...mCol } = o.metric ?? { type: 'DOUBLE' as const, value: (x: number) => x };
  const dim = (name: string, get: (r: LRow) => string | null): ByteColumn => ({
    name, type: 'BYTE_ARRAY', convertedType: 0, logicalType: LT.string(), values: rows.map(get),
  });
  return [
    { name: 'timestamp', ...tsCol, values: rows.map((r) => (r.tsNs === null ? null : tsValue(r.tsNs))) },
    dim('k8s.cluster.name', (r) => r.cluster),
    dim('source.workload.name', (r) => r.workload),
    dim('source.process.name', (r) => r.process),
    ...(o.metrics ?? FIVE_METRICS).map((m): ByteColumn => ({
      name: m, ...mCol, values: rows.map((r) => { const v = r.m[m]; return v === null || v === undefined ? null : mValue(v); }),
    })),
    ...(o.extra ?? []),
  ];
}

/** The same file with its key-value metadata replaced: bytes up to the footer kept, footer re-encoded. */
export function withKeyValue(file: Uint8Array, kv: Record<string, string>): Uint8Array {
  const footer = readFooter(file, 'rewrite');
  const len = new DataView(file.buffer, file.byteOffset, file.length).getUint32(file.length - 8, true);
  const body = file.subarray(0, file.length - 8 - len);
  const meta = encodeStruct(footer.raw.clone().set(5, T.LIST, {
    elemType: T.STRUCT,
    items: Object.entries(kv).map(([k, v]) => new TStruct().set(1, T.BINARY, stringBytes(k)).set(2, T.BINARY, stringBytes(v))),
  }));
  const out = new Uint8Array(body.length + meta.length + 8);
  out.set(body, 0);
  out.set(meta, body.length);
  new DataView(out.buffer).setUint32(body.length + meta.length, meta.length, true);
  out.set([0x50, 0x41, 0x52, 0x31], out.length - 4);
  return out;
}
