export const TWO_PI = 2 * Math.PI;

/** Deterministic randomness for the generator: the same seed gives the same data on every machine. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

export function hash(seed: number, a: number, b: number, c: number): number {
  const hi = Math.floor(seed / 4294967296) >>> 0;
  let h = mix32((seed >>> 0) ^ mix32(hi));
  h = mix32(h ^ a);
  h = mix32(h ^ b);
  return mix32(h ^ c);
}

/** splitmix32 stream. */
export class Rng {
  private s: number;
  private spare = NaN;
  constructor(seed: number) { this.s = seed | 0; }
  next(): number {
    this.s = (this.s + 0x9e3779b9) | 0;
    let z = Math.imul(this.s ^ (this.s >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return ((z ^ (z >>> 15)) >>> 0) / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
  range(lo: number, hi: number): number { return lo + (hi - lo) * this.next(); }
  logRange(lo: number, hi: number): number { return lo * Math.pow(hi / lo, this.next()); }
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.next()));
    const t = TWO_PI * this.next();
    this.spare = r * Math.sin(t);
    return r * Math.cos(t);
  }
  poisson(lambda: number): number {
    if (lambda >= 8) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) { k++; p *= this.next(); }
    return k;
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
}
