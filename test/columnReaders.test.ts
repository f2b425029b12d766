import {
  Decimal, Dictionary, Float32, Float64, Int32, Int64, TimestampMicrosecond, TimestampMillisecond, TimestampNanosecond,
  TimestampSecond, Uint64, Utf8, makeData, vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  metricTypeProblem, readMetric, readMetricRows, readStrings, readTimestamps, stringTypeProblem, timestampTypeProblem,
} from '../src/scan/columnReaders.js';
import { StringInterner } from '../src/scan/stringInterner.js';

function ts(type: TimestampSecond | TimestampMillisecond | TimestampMicrosecond | TimestampNanosecond | Int64, values: bigint[]) {
  return makeData({ type, length: values.length, data: BigInt64Array.from(values) });
}

function read(d: ReturnType<typeof ts>): number[] {
  const out = new Float64Array(d.length);
  readTimestamps(d, out);
  return Array.from(out);
}

describe('readTimestamps', () => {
  it('floors every unit to epoch milliseconds exactly, even for nanoseconds beyond 2^53', () => {
    expect(read(ts(new TimestampSecond(), [1767225599n]))).toEqual([1767225599000]);
    expect(read(ts(new TimestampMillisecond(), [1767225599999n]))).toEqual([1767225599999]);
    expect(read(ts(new TimestampMicrosecond(), [1767225599999999n, 1767225600000000n]))).toEqual([1767225599999, 1767225600000]);
    expect(read(ts(new TimestampNanosecond(), [1767225599999999999n, 1767225600000000000n, 1767225600000999999n])))
      .toEqual([1767225599999, 1767225600000, 1767225600000]);
    expect(read(ts(new Int64(), [1767225600123n]))).toEqual([1767225600123]);
  });

  it('floors negative (pre-1970) values toward minus infinity', () => {
    expect(read(ts(new TimestampMicrosecond(), [-1n, -1000n, -1001n]))).toEqual([-1, -1, -2]);
    expect(read(ts(new TimestampNanosecond(), [-1n]))).toEqual([-1]);
  });

  it('turns null timestamps into NaN', () => {
    const d = makeData({ type: new TimestampMillisecond(), length: 2, nullCount: 1, nullBitmap: Uint8Array.of(0b01), data: BigInt64Array.of(5n, 7n) });
    const out = new Float64Array(2);
    readTimestamps(d, out);
    expect(out[0]).toBe(5);
    expect(out[1]).toBeNaN();
  });

  it('applies the unit of a bare INT64 to the raw values, whatever Arrow type they decoded to', () => {
    const out = new Float64Array(2);
    readTimestamps(ts(new Int64(), [1767225599n, -1n]), out, 's');
    expect(Array.from(out)).toEqual([1767225599000, -1000]);
    readTimestamps(ts(new Int64(), [1767225599999999999n, -1n]), out, 'ns');
    expect(Array.from(out)).toEqual([1767225599999, -1]);
    readTimestamps(ts(new Int64(), [1767225599999999n]), out, 'us');
    expect(out[0]).toBe(1767225599999);
    // --timestamp-unit ms over a file whose Arrow schema said seconds
    readTimestamps(ts(new TimestampSecond(), [1767225599n]), out, 'ms');
    expect(out[0]).toBe(1767225599);
  });

  it('accepts timestamps and int64, rejects other types', () => {
    expect(timestampTypeProblem(new TimestampMicrosecond())).toBeUndefined();
    expect(timestampTypeProblem(new Int64())).toBeUndefined();
    expect(timestampTypeProblem(new Utf8())).toMatch(/expected a timestamp/);
    expect(timestampTypeProblem(new Int32())).toMatch(/expected a timestamp/);
  });
});

describe('readMetric', () => {
  it('maps nulls to NaN and unusable values (NaN, infinite, negative) to -1', () => {
    const d = vectorFromArray([1.5, null, NaN, -2, Infinity, 0], new Float64()).data[0];
    const out = new Float64Array(6);
    readMetric(d, out);
    expect(Array.from(out)).toEqual([1.5, NaN, -1, -1, -1, 0]);
  });

  it('reads integer and float32 columns of any width', () => {
    const out = new Float64Array(3);
    readMetric(makeData({ type: new Int64(), length: 3, data: BigInt64Array.of(5n, -3n, 2n ** 40n) }), out);
    expect(Array.from(out)).toEqual([5, -1, 2 ** 40]);
    readMetric(makeData({ type: new Uint64(), length: 1, data: BigUint64Array.of(2n ** 63n) }), out);
    expect(out[0]).toBe(2 ** 63);
    readMetric(vectorFromArray([0.5, 2], new Float32()).data[0], out);
    expect(Array.from(out.subarray(0, 2))).toEqual([0.5, 2]);
    readMetric(vectorFromArray([7, -1], new Int32()).data[0], out);
    expect(Array.from(out.subarray(0, 2))).toEqual([7, -1]);
  });

  it('reads Decimal128 as unscaled / 10^scale, exactly where the unscaled value fits in 2^53', () => {
    const words = (vs: bigint[]) => {
      const w = new Uint32Array(vs.length * 4);
      vs.forEach((v, i) => { for (let k = 0; k < 4; k++) w[i * 4 + k] = Number(BigInt.asUintN(128, v) >> BigInt(32 * k) & 0xffffffffn); });
      return w;
    };
    const vals = [1234n, -5n, 2n ** 53n - 1n, 10n ** 30n + 7n, 0n];
    const d = makeData({ type: new Decimal(3, 38, 128), length: 5, nullCount: 1, nullBitmap: Uint8Array.of(0b01111), data: words(vals) });
    expect(metricTypeProblem(d.type)).toBeUndefined();
    const out = new Float64Array(5);
    readMetric(d, out);
    expect(Array.from(out.subarray(0, 3))).toEqual([1.234, -1, (2 ** 53 - 1) / 1000]);
    expect(Math.abs(out[3]! / 1e27 - 1)).toBeLessThan(1e-15);
    expect(out[4]).toBeNaN();
    // readMetricRows reads the same values for a subset of rows
    const rowsOut = new Float64Array(3);
    readMetricRows(d, Int32Array.of(2, 1, 4), 3, rowsOut);
    expect(Array.from(rowsOut)).toEqual([(2 ** 53 - 1) / 1000, -1, NaN]);
  });

  it('rejects non-numeric types', () => {
    expect(metricTypeProblem(new Utf8())).toBe('has type Utf8, expected a number');
    expect(metricTypeProblem(new Float64())).toBeUndefined();
  });
});

describe('readStrings', () => {
  it('gives the same ids for plain and dictionary-encoded strings, -1 for null', () => {
    const interner = new StringInterner();
    const plain = vectorFromArray(['a', 'b', 'a', null, 'ünï'], new Utf8()).data[0];
    const dict = vectorFromArray(['ünï', 'a', 'b', 'b'], new Dictionary(new Utf8(), new Int32())).data[0];
    const p = new Int32Array(5);
    const q = new Int32Array(4);
    readStrings(plain, interner, p);
    readStrings(dict, interner, q);
    const name = (id: number) => (id < 0 ? null : interner.names[id]);
    expect(Array.from(p, name)).toEqual(['a', 'b', 'a', null, 'ünï']);
    expect(Array.from(q, name)).toEqual(['ünï', 'a', 'b', 'b']);
    expect(p[4]).toBe(q[0]);
    expect(stringTypeProblem(new Int32())).toMatch(/expected a string/);
  });

  it('keeps ids distinct across many strings (hash table growth)', () => {
    const interner = new StringInterner();
    const names = Array.from({ length: 5000 }, (_, i) => `workload-${i % 2500}-${i % 7}`);
    const out = new Int32Array(names.length);
    readStrings(vectorFromArray(names, new Utf8()).data[0], interner, out);
    for (let i = 0; i < names.length; i++) expect(interner.names[out[i]]).toBe(names[i]);
    expect(new Set(names).size).toBe(interner.names.length);
  });
});
