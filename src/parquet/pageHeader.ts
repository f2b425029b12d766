/** Parquet PageHeader, read with the compact-Thrift decoder and checked for the fields a reader needs. */
import { decodeStruct, type TStruct } from './thriftCompact.js';

export const DATA_PAGE = 0;
export const INDEX_PAGE = 1;
export const DICTIONARY_PAGE = 2;
export const DATA_PAGE_V2 = 3;

export interface PageHeader {
  type: number;
  /** for DATA_PAGE_V2, the levels' bytes are included (they are never compressed) */
  uncompressedSize: number;
  compressedSize: number;
  /** offset just past the header, where the page's bytes start */
  bodyStart: number;
  /** values (nulls included) of a data page; entries of a dictionary page */
  numValues: number;
  encoding: number;
  /** DATA_PAGE: encoding of the definition levels */
  defEncoding: number;
  /** DATA_PAGE_V2 only (else -1): nulls, and the byte lengths of the uncompressed levels */
  numNulls: number;
  defLength: number;
  repLength: number;
  /** DATA_PAGE_V2: whether the values section is compressed (always true for the other types) */
  isCompressed: boolean;
}

function need(s: TStruct, id: number, what: string): number {
  const v = s.int(id);
  if (v === undefined) throw new Error(`page header lacks ${what}`);
  if (v < 0) throw new Error(`page header has a negative ${what} (${v})`);
  return v;
}

/** Reads the header at `offset`; throws (a plain Error saying what is wrong) on corrupt bytes. */
export function readPageHeader(bytes: Uint8Array, offset: number): PageHeader {
  let s: TStruct;
  let end: number;
  try {
    ({ value: s, end } = decodeStruct(bytes, offset));
  } catch (e) {
    throw new Error(`page header at offset ${offset} does not decode (${(e as Error).message})`, { cause: e });
  }
  const type = need(s, 1, 'page type');
  const h: PageHeader = {
    type,
    uncompressedSize: need(s, 2, 'uncompressed_page_size'),
    compressedSize: need(s, 3, 'compressed_page_size'),
    bodyStart: end,
    numValues: 0, encoding: 0, defEncoding: 3, numNulls: -1, defLength: 0, repLength: 0, isCompressed: true,
  };
  if (type === DATA_PAGE) {
    const d = s.struct(5);
    if (!d) throw new Error('data page header lacks data_page_header');
    h.numValues = need(d, 1, 'num_values');
    h.encoding = need(d, 2, 'encoding');
    h.defEncoding = need(d, 3, 'definition_level_encoding');
  } else if (type === DATA_PAGE_V2) {
    const d = s.struct(8);
    if (!d) throw new Error('data page header lacks data_page_header_v2');
    h.numValues = need(d, 1, 'num_values');
    h.numNulls = need(d, 2, 'num_nulls');
    h.encoding = need(d, 4, 'encoding');
    h.defLength = need(d, 5, 'definition_levels_byte_length');
    h.repLength = need(d, 6, 'repetition_levels_byte_length');
    h.isCompressed = d.bool(7) ?? true;
    if (h.defLength + h.repLength > Math.min(h.compressedSize, h.uncompressedSize)) {
      throw new Error(`data page v2 levels (${h.repLength + h.defLength} bytes) exceed the page`);
    }
  } else if (type === DICTIONARY_PAGE) {
    const d = s.struct(7);
    if (!d) throw new Error('dictionary page header lacks dictionary_page_header');
    h.numValues = need(d, 1, 'num_values');
    h.encoding = need(d, 2, 'encoding');
  }
  return h;
}
