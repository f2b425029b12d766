import { T, TStruct, type TList, type TMap, type TValue } from './thriftCompact.js';

/** Thrift Compact Protocol encoder: the inverse of decodeStruct, fields in their stored order. */
export function encodeStruct(s: TStruct): Uint8Array {
  const w = new Writer();
  w.struct(s);
  return w.result();
}

class Writer {
  private buf = new Uint8Array(4096);
  private pos = 0;

  result(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b & 0xff;
  }

  private varint(u: number | bigint): void {
    this.ensure(10);
    if (typeof u === 'number') {
      while (u >= 0x80) {
        this.buf[this.pos++] = (u % 128) | 0x80;
        u = Math.floor(u / 128);
      }
      this.buf[this.pos++] = u;
    } else {
      while (u >= 0x80n) {
        this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
        u >>= 7n;
      }
      this.buf[this.pos++] = Number(u);
    }
  }

  private zigzag(v: number | bigint): void {
    if (typeof v === 'number' && Math.abs(v) < 2 ** 51) this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
    else {
      const b = BigInt(v);
      this.varint(BigInt.asUintN(64, (b << 1n) ^ (b >> 63n)));
    }
  }

  private value(type: number, v: TValue): void {
    switch (type) {
      case T.TRUE:
      case T.FALSE:
        return this.byte(v ? 1 : 2);
      case T.BYTE:
        return this.byte(v as number);
      case T.I16:
      case T.I32:
      case T.I64:
        return this.zigzag(v as number | bigint);
      case T.DOUBLE:
        this.ensure(8);
        new DataView(this.buf.buffer).setFloat64(this.pos, v as number, true);
        this.pos += 8;
        return;
      case T.BINARY: {
        const bytes = v as Uint8Array;
        this.varint(bytes.length);
        this.ensure(bytes.length);
        this.buf.set(bytes, this.pos);
        this.pos += bytes.length;
        return;
      }
      case T.LIST:
      case T.SET: {
        const { elemType, items } = v as TList;
        if (items.length < 15) this.byte((items.length << 4) | elemType);
        else {
          this.byte(0xf0 | elemType);
          this.varint(items.length);
        }
        for (const item of items) this.value(elemType, item);
        return;
      }
      case T.MAP: {
        const { keyType, valueType, entries } = v as TMap;
        this.varint(entries.length);
        if (entries.length) this.byte((keyType << 4) | valueType);
        for (const [k, val] of entries) {
          this.value(keyType, k);
          this.value(valueType, val);
        }
        return;
      }
      case T.STRUCT:
        return this.struct(v as TStruct);
      default:
        throw new RangeError(`thrift: unknown type code ${type}`);
    }
  }

  struct(s: TStruct): void {
    let lastId = 0;
    for (const { id, type, value } of s.fields) {
      const wireType = type === T.TRUE || type === T.FALSE ? (value ? T.TRUE : T.FALSE) : type;
      const delta = id - lastId;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | wireType);
      else {
        this.byte(wireType);
        this.zigzag(id);
      }
      lastId = id;
      if (wireType !== T.TRUE && wireType !== T.FALSE) this.value(type, value);
    }
    this.byte(T.STOP);
  }
}
