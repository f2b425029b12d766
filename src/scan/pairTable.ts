/**
 * Ids for pairs of non-negative ints (interned workload and process ids; cluster id and key), in
 * first-seen order: an open-addressing hash table of typed arrays, so memory follows the pairs
 * present (a row group of a 10,000-workload fleet holds many names but few of their pairs), and a
 * lookup allocates nothing.
 */
export class PairTable {
  readonly first: number[] = [];
  readonly second: number[] = [];
  private slotA = new Int32Array(64);
  private slotB = new Int32Array(64);
  /** id + 1 per slot; 0 is empty */
  private slotId = new Int32Array(64);
  private mask = 63;

  get size(): number {
    return this.first.length;
  }

  private static hash(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    return Math.imul(h, 0x2c1b3c6d) ^ (h >>> 13);
  }

  /** The pair's id, or -1 when it has none yet. */
  get(a: number, b: number): number {
    const { slotA, slotB, slotId, mask } = this;
    for (let i = PairTable.hash(a, b) & mask; ; i = (i + 1) & mask) {
      const id = slotId[i];
      if (id === 0) return -1;
      if (slotA[i] === a && slotB[i] === b) return id - 1;
    }
  }

  /** Gives the (new) pair the next id. */
  add(a: number, b: number): number {
    const id = this.first.length;
    if ((id + 1) * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
    this.place(a, b, id);
    this.first.push(a);
    this.second.push(b);
    return id;
  }

  private place(a: number, b: number, id: number): void {
    const { slotA, slotB, slotId, mask } = this;
    let i = PairTable.hash(a, b) & mask;
    while (slotId[i] !== 0) i = (i + 1) & mask;
    slotA[i] = a;
    slotB[i] = b;
    slotId[i] = id + 1;
  }

  private rehash(capacity: number): void {
    this.slotA = new Int32Array(capacity);
    this.slotB = new Int32Array(capacity);
    this.slotId = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < this.first.length; i++) this.place(this.first[i], this.second[i], i);
  }
}
