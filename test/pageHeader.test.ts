import { describe, expect, it } from 'vitest';
import { DATA_PAGE, DATA_PAGE_V2, DICTIONARY_PAGE, INDEX_PAGE, readPageHeader } from '../src/parquet/pageHeader.js';
import { T, TStruct } from '../src/parquet/thriftCompact.js';
import { encodeStruct } from '../src/parquet/thriftEncode.js';

const header = (type: number, sub?: [number, TStruct]) => {
  const s = new TStruct().set(1, T.I32, type).set(2, T.I32, 100).set(3, T.I32, 60);
  if (sub) s.set(sub[0], T.STRUCT, sub[1]);
  return s;
};
const at = (s: TStruct, pad = 3) => {
  const b = encodeStruct(s);
  const out = new Uint8Array(pad + b.length + 10);
  out.set(b, pad);
  return { bytes: out, end: pad + b.length };
};

describe('readPageHeader', () => {
  it('reads a data page v1, v2, a dictionary page and an index page at an offset, with where the body starts', () => {
    const v1 = at(header(DATA_PAGE, [5, new TStruct().set(1, T.I32, 42).set(2, T.I32, 8).set(3, T.I32, 3).set(4, T.I32, 3)]));
    expect(readPageHeader(v1.bytes, 3)).toMatchObject({ type: DATA_PAGE, uncompressedSize: 100, compressedSize: 60, bodyStart: v1.end, numValues: 42, encoding: 8, defEncoding: 3, numNulls: -1 });
    const v2 = at(header(DATA_PAGE_V2, [8, new TStruct().set(1, T.I32, 42).set(2, T.I32, 5).set(3, T.I32, 42).set(4, T.I32, 0)
      .set(5, T.I32, 7).set(6, T.I32, 0).set(7, T.TRUE, false)]));
    expect(readPageHeader(v2.bytes, 3)).toMatchObject({ type: DATA_PAGE_V2, numValues: 42, numNulls: 5, encoding: 0, defLength: 7, repLength: 0, isCompressed: false, bodyStart: v2.end });
    const dict = at(header(DICTIONARY_PAGE, [7, new TStruct().set(1, T.I32, 9).set(2, T.I32, 0)]));
    expect(readPageHeader(dict.bytes, 3)).toMatchObject({ type: DICTIONARY_PAGE, numValues: 9, encoding: 0 });
    expect(readPageHeader(at(header(INDEX_PAGE)).bytes, 3)).toMatchObject({ type: INDEX_PAGE, compressedSize: 60 });
    const v2default = at(header(DATA_PAGE_V2, [8, new TStruct().set(1, T.I32, 1).set(2, T.I32, 0).set(3, T.I32, 1).set(4, T.I32, 0).set(5, T.I32, 0).set(6, T.I32, 0)]));
    expect(readPageHeader(v2default.bytes, 3).isCompressed).toBe(true);
  });

  it('says what is missing or wrong', () => {
    expect(() => readPageHeader(at(new TStruct().set(2, T.I32, 1).set(3, T.I32, 1)).bytes, 3)).toThrow('page header lacks page type');
    expect(() => readPageHeader(at(header(DATA_PAGE)).bytes, 3)).toThrow('data page header lacks data_page_header');
    expect(() => readPageHeader(at(header(DATA_PAGE_V2)).bytes, 3)).toThrow('lacks data_page_header_v2');
    expect(() => readPageHeader(at(header(DICTIONARY_PAGE)).bytes, 3)).toThrow('lacks dictionary_page_header');
    expect(() => readPageHeader(at(header(DATA_PAGE, [5, new TStruct().set(1, T.I32, 1)])).bytes, 3)).toThrow('page header lacks encoding');
    expect(() => readPageHeader(at(new TStruct().set(1, T.I32, 0).set(2, T.I32, -5).set(3, T.I32, 1)).bytes, 3)).toThrow('negative uncompressed_page_size (-5)');
    expect(() => readPageHeader(at(header(DATA_PAGE_V2, [8, new TStruct().set(1, T.I32, 1).set(2, T.I32, 0).set(3, T.I32, 1).set(4, T.I32, 0)
      .set(5, T.I32, 50).set(6, T.I32, 20)])).bytes, 3)).toThrow('data page v2 levels (70 bytes) exceed the page');
    const cut = at(header(DATA_PAGE, [5, new TStruct().set(1, T.I32, 42).set(2, T.I32, 8).set(3, T.I32, 3).set(4, T.I32, 3)]));
    expect(() => readPageHeader(cut.bytes.subarray(0, cut.end - 2), 3)).toThrow(/page header at offset 3 does not decode \(thrift: unexpected end of data\)/);
  });
});
