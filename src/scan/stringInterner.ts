const decoder = new TextDecoder();

/**
 * Maps UTF-8 byte strings to dense integer ids without materialising a JS string per row:
 * an open-addressing table over a byte hash, verified against the stored bytes.
 */
export class StringInterner {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  private bytes = new Uint8Array(1024);
  private starts = new Int32Array(64);
  private bytesUsed = 0;
  private table = new Int32Array(256).fill(-1);

  idOf(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      const b = new TextEncoder().encode(name);
      id = this.idOfBytes(b, 0, b.length);
    }
    return id;
  }

  idOfBytes(src: Uint8Array, start: number, end: number): number {
    let h = 2166136261;
    for (let i = start; i < end; i++) h = Math.imul(h ^ src[i], 16777619);
    const mask = this.table.length - 1;
    let slot = h & mask;
    for (;;) {
      const id = this.table[slot];
      if (id < 0) break;
      if (this.equals(id, src, start, end)) return id;
      slot = (slot + 1) & mask;
    }
    return this.insert(src, start, end, slot);
  }

  private equals(id: number, src: Uint8Array, start: number, end: number): boolean {
    const s = this.starts[id];
    const len = this.starts[id + 1] - s;
    if (len !== end - start) return false;
    const b = this.bytes;
    for (let i = 0; i < len; i++) if (b[s + i] !== src[start + i]) return false;
    return true;
  }

  private insert(src: Uint8Array, start: number, end: number, slot: number): number {
    const id = this.names.length;
    const len = end - start;
    if (this.bytesUsed + len > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.bytesUsed + len));
      grown.set(this.bytes.subarray(0, this.bytesUsed));
      this.bytes = grown;
    }
    this.bytes.set(src.subarray(start, end), this.bytesUsed);
    if (id + 2 > this.starts.length) {
      const grown = new Int32Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[id] = this.bytesUsed;
    this.bytesUsed += len;
    this.starts[id + 1] = this.bytesUsed;
    const name = decoder.decode(src.subarray(start, end));
    this.names.push(name);
    this.ids.set(name, id);
    this.table[slot] = id;
    if ((id + 1) * 2 > this.table.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let id = 0; id < this.names.length; id++) {
      let h = 2166136261;
      for (let i = this.starts[id]; i < this.starts[id + 1]; i++) h = Math.imul(h ^ this.bytes[i], 16777619);
      let slot = h & mask;
      while (table[slot] >= 0) slot = (slot + 1) & mask;
      table[slot] = id;
    }
    this.table = table;
  }
}
