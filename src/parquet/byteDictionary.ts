/**
 * An insertion-ordered set of byte strings (no string per entry is ever made): a chunk's string
 * dictionary, grown by PLAIN pages after a writer's dictionary fallback and by later dictionary
 * pages. The hash table is built only when the first lookup needs it.
 */
import { makeData, Utf8, type Data } from 'apache-arrow';

export class ByteDictionary {
  size = 0;
  private bytes = new Uint8Array(1024);
  private offsets = new Int32Array(64);
  private hashes = new Int32Array(64);
  /** entry index + 1 per slot, 0 empty; empty array until the first lookup */
  private table = new Int32Array(0);
  private mask = 0;

  reset(): void {
    this.size = 0;
    this.table = new Int32Array(0);
  }

  /** Appends buf[start, end) without looking for it (a dictionary page's entries are distinct). */
  append(buf: Uint8Array, start: number, end: number): number {
    if (this.table.length > 0) return this.intern(buf, start, end);
    return this.add(buf, start, end, hashOf(buf, start, end));
  }

  /** The index of buf[start, end), appended when new. */
  intern(buf: Uint8Array, start: number, end: number): number {
    const h = hashOf(buf, start, end);
    if ((this.size + 1) * 2 > this.table.length) this.rehash();
    const table = this.table;
    const len = end - start;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const e = table[slot]! - 1;
      if (e < 0) {
        const idx = this.add(buf, start, end, h);
        table[slot] = idx + 1;
        return idx;
      }
      if (this.hashes[e] === h) {
        const s = this.offsets[e]!;
        if (this.offsets[e + 1]! - s === len && sameBytes(this.bytes, s, buf, start, len)) return e;
      }
    }
  }

  /** A Utf8 Data over this dictionary's storage: overwritten by the next reset() and growth. */
  toData(): Data<Utf8> {
    return makeData({
      type: new Utf8(),
      length: this.size,
      nullCount: 0,
      valueOffsets: this.offsets.subarray(0, this.size + 1),
      data: this.bytes.subarray(0, this.offsets[this.size]),
    });
  }

  private add(buf: Uint8Array, start: number, end: number, h: number): number {
    const idx = this.size;
    if (idx + 2 > this.offsets.length) {
      this.offsets = grow(this.offsets, idx + 2);
      this.hashes = grow(this.hashes, idx + 2);
    }
    const at = idx === 0 ? 0 : this.offsets[idx]!;
    const len = end - start;
    if (at + len > this.bytes.length) {
      const next = new Uint8Array(Math.max(at + len, this.bytes.length * 2));
      next.set(this.bytes.subarray(0, at));
      this.bytes = next;
    }
    if (len < 16) for (let k = 0; k < len; k++) this.bytes[at + k] = buf[start + k]!;
    else this.bytes.set(buf.subarray(start, end), at);
    this.offsets[idx] = at;
    this.offsets[idx + 1] = at + len;
    this.hashes[idx] = h;
    this.size = idx + 1;
    return idx;
  }

  /** (Re)builds the table from every entry, first occurrence winning. */
  private rehash(): void {
    let cap = 64;
    while (cap < (this.size + 1) * 4) cap *= 2;
    const table = new Int32Array(cap);
    const mask = cap - 1;
    for (let e = 0; e < this.size; e++) {
      let slot = this.hashes[e]! & mask;
      let dup = false;
      while (table[slot] !== 0) {
        const o = table[slot]! - 1;
        if (this.hashes[o] === this.hashes[e] && this.offsets[o + 1]! - this.offsets[o]! === this.offsets[e + 1]! - this.offsets[e]! &&
          sameBytes(this.bytes, this.offsets[o]!, this.bytes, this.offsets[e]!, this.offsets[e + 1]! - this.offsets[e]!)) {
          dup = true;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (!dup) table[slot] = e + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

function grow(a: Int32Array, need: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(Math.max(need, a.length * 2));
  next.set(a);
  return next;
}

/** FNV-1a */
function hashOf(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h;
}

function sameBytes(a: Uint8Array, ai: number, b: Uint8Array, bi: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (a[ai + k] !== b[bi + k]) return false;
  return true;
}
