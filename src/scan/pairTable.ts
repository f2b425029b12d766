/**
 * Dense ids for pairs of small non-negative ints (interned workload and process ids; cluster id
 * and key): one array lookup per row where a Map would hash. Ids are given in first-seen order.
 */
export class PairTable {
  readonly first: number[] = [];
  readonly second: number[] = [];
  private table = new Int32Array(0);
  private stride = 0;

  get size(): number {
    return this.first.length;
  }

  /** The pair's id, or -1 when it has none yet. */
  get(a: number, b: number): number {
    if (b >= this.stride) return -1;
    const idx = a * this.stride + b;
    return idx < this.table.length ? this.table[idx] - 1 : -1;
  }

  /** Gives the (new) pair the next id. */
  add(a: number, b: number): number {
    if (b >= this.stride || (a + 1) * this.stride > this.table.length) {
      const stride = Math.max(16, this.stride, b + 1) * (b >= this.stride ? 2 : 1);
      const rows = Math.max(16, a + 1, this.stride ? this.table.length / this.stride : 0) * 2;
      const table = new Int32Array(rows * stride);
      for (let i = 0; i < this.first.length; i++) table[this.first[i] * stride + this.second[i]] = i + 1;
      this.table = table;
      this.stride = stride;
    }
    const id = this.first.length;
    this.table[a * this.stride + b] = id + 1;
    this.first.push(a);
    this.second.push(b);
    return id;
  }
}
