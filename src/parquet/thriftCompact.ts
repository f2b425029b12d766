/**
 * Minimal Thrift Compact Protocol decoder (the encoder is thriftEncode.ts), enough for Parquet's FileMetaData.
 *
 * Decodes into a generic tree (field id -> typed value, in wire order) so that fields this
 * code does not know about survive a decode/encode round trip unchanged.
 */

/** Compact protocol type codes. Booleans are stored as TRUE with a boolean value. */
export const T = {
  STOP: 0, TRUE: 1, FALSE: 2, BYTE: 3, I16: 4, I32: 5, I64: 6,
  DOUBLE: 7, BINARY: 8, LIST: 9, SET: 10, MAP: 11, STRUCT: 12,
} as const;

/** i64 values are numbers when safe, bigints otherwise. Binary/string values are raw bytes. */
export type TValue = boolean | number | bigint | Uint8Array | TList | TMap | TStruct;
export interface TField { id: number; type: number; value: TValue }
export interface TList { elemType: number; items: TValue[] }
export interface TMap { keyType: number; valueType: number; entries: [TValue, TValue][] }

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

export class TStruct {
  constructor(public fields: TField[] = []) {}

  get(id: number): TValue | undefined {
    return this.fields.find((f) => f.id === id)?.value;
  }
  has(id: number): boolean {
    return this.fields.some((f) => f.id === id);
  }
  /** Replaces the field or inserts it keeping ids ascending. */
  set(id: number, type: number, value: TValue): this {
    const field = { id, type, value };
    const i = this.fields.findIndex((f) => f.id >= id);
    if (i < 0) this.fields.push(field);
    else if (this.fields[i]!.id === id) this.fields[i] = field;
    else this.fields.splice(i, 0, field);
    return this;
  }
  delete(...ids: number[]): this {
    this.fields = this.fields.filter((f) => !ids.includes(f.id));
    return this;
  }
  /** Shallow copy: the field list is new, the values are shared. */
  clone(): TStruct {
    return new TStruct(this.fields.slice());
  }

  int(id: number): number | undefined {
    const v = this.get(id);
    if (v === undefined) return undefined;
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v);
    throw new TypeError(`thrift: field ${id} is not an integer`);
  }
  bool(id: number): boolean | undefined {
    const v = this.get(id);
    if (v === undefined || typeof v === 'boolean') return v;
    throw new TypeError(`thrift: field ${id} is not a bool`);
  }
  bin(id: number): Uint8Array | undefined {
    const v = this.get(id);
    if (v === undefined || v instanceof Uint8Array) return v;
    throw new TypeError(`thrift: field ${id} is not binary`);
  }
  str(id: number): string | undefined {
    const v = this.bin(id);
    return v && utf8.decode(v);
  }
  struct(id: number): TStruct | undefined {
    const v = this.get(id);
    if (v === undefined || v instanceof TStruct) return v;
    throw new TypeError(`thrift: field ${id} is not a struct`);
  }
  list(id: number): TValue[] | undefined {
    const v = this.get(id);
    if (v === undefined) return undefined;
    if (typeof v === 'object' && 'items' in v) return v.items;
    throw new TypeError(`thrift: field ${id} is not a list`);
  }
  structs(id: number): TStruct[] | undefined {
    return this.list(id)?.map((v) => {
      if (v instanceof TStruct) return v;
      throw new TypeError(`thrift: field ${id} is not a list of structs`);
    });
  }
}

export const stringBytes = (s: string): Uint8Array => utf8Encoder.encode(s);

const MAX_DEPTH = 64;

/** Decodes one struct starting at `offset`; returns it and the offset just past it. */
export function decodeStruct(buf: Uint8Array, offset = 0): { value: TStruct; end: number } {
  const r = new Reader(buf, offset);
  const value = r.struct(0);
  return { value, end: r.pos };
}

class Reader {
  private view: DataView;
  constructor(private buf: Uint8Array, public pos: number) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private byte(): number {
    if (this.pos >= this.buf.length) throw new RangeError('thrift: unexpected end of data');
    return this.buf[this.pos++]!;
  }

  /** Unsigned LEB128; numbers up to 49 bits, bigint beyond. */
  private varint(): number | bigint {
    const start = this.pos;
    let n = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.byte();
      if (shift < 49) n += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
      if (shift >= 63) throw new RangeError('thrift: varint too long');
    }
    if (this.pos - start <= 7) return n;
    let big = 0n;
    for (let i = this.pos - 1; i >= start; i--) big = (big << 7n) | BigInt(this.buf[i]! & 0x7f);
    return big;
  }

  private zigzag(): number | bigint {
    const u = this.varint();
    if (typeof u === 'number') return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    const v = (u >> 1n) ^ -(u & 1n);
    return Number.isSafeInteger(Number(v)) && BigInt(Number(v)) === v ? Number(v) : v;
  }

  private int32(): number {
    return Number(this.zigzag());
  }

  private size(): number {
    const n = Number(this.varint());
    // every element takes at least one byte, so this rejects corrupt sizes before allocating
    if (n > this.buf.length - this.pos) throw new RangeError('thrift: size exceeds remaining data');
    return n;
  }

  value(type: number, depth: number): TValue {
    switch (type) {
      case T.TRUE:
      case T.FALSE:
        return this.byte() === 1; // only list/set elements reach here
      case T.BYTE: {
        const b = this.byte();
        return b > 127 ? b - 256 : b;
      }
      case T.I16:
      case T.I32:
        return this.int32();
      case T.I64:
        return this.zigzag();
      case T.DOUBLE: {
        if (this.pos + 8 > this.buf.length) throw new RangeError('thrift: unexpected end of data');
        const d = this.view.getFloat64(this.pos, true);
        this.pos += 8;
        return d;
      }
      case T.BINARY: {
        const n = this.size();
        const bytes = this.buf.subarray(this.pos, this.pos + n);
        this.pos += n;
        return bytes;
      }
      case T.LIST:
      case T.SET: {
        const h = this.byte();
        const elemType = (h & 0x0f) === T.FALSE ? T.TRUE : h & 0x0f;
        const n = h >> 4 === 15 ? this.size() : h >> 4;
        const items: TValue[] = [];
        for (let i = 0; i < n; i++) items.push(this.value(elemType, depth + 1));
        return { elemType, items };
      }
      case T.MAP: {
        const n = this.size();
        const kv = n > 0 ? this.byte() : 0;
        const keyType = kv >> 4, valueType = kv & 0x0f;
        const entries: [TValue, TValue][] = [];
        for (let i = 0; i < n; i++) entries.push([this.value(keyType, depth + 1), this.value(valueType, depth + 1)]);
        return { keyType, valueType, entries };
      }
      case T.STRUCT:
        return this.struct(depth + 1);
      default:
        throw new RangeError(`thrift: unknown type code ${type}`);
    }
  }

  struct(depth: number): TStruct {
    if (depth > MAX_DEPTH) throw new RangeError('thrift: nesting too deep');
    const fields: TField[] = [];
    let lastId = 0;
    for (;;) {
      const h = this.byte();
      if (h === T.STOP) return new TStruct(fields);
      const type = h & 0x0f;
      const delta = h >> 4;
      const id = delta ? lastId + delta : this.int32();
      lastId = id;
      if (type === T.TRUE || type === T.FALSE) fields.push({ id, type: T.TRUE, value: type === T.TRUE });
      else fields.push({ id, type, value: this.value(type, depth) });
    }
  }
}
