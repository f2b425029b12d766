/** Global ids for keys (workload, process), clusters and series (cluster, key), in first-seen order. */
export class KeyTable {
  readonly workloads: string[] = [];
  readonly processes: string[] = [];
  readonly clusters: string[] = [];
  readonly seriesCluster: number[] = [];
  readonly seriesKey: number[] = [];
  private readonly keyIndex = new Map<string, number>();
  private readonly clusterIndex = new Map<string, number>();
  private readonly seriesIndex = new Map<string, number>();

  get keyCount(): number {
    return this.workloads.length;
  }

  get seriesCount(): number {
    return this.seriesCluster.length;
  }

  key(workload: string, process: string): number {
    const id = `${workload}\0${process}`;
    let k = this.keyIndex.get(id);
    if (k === undefined) {
      k = this.workloads.length;
      this.keyIndex.set(id, k);
      this.workloads.push(workload);
      this.processes.push(process);
    }
    return k;
  }

  series(cluster: string, key: number): number {
    let c = this.clusterIndex.get(cluster);
    if (c === undefined) {
      c = this.clusters.length;
      this.clusterIndex.set(cluster, c);
      this.clusters.push(cluster);
    }
    const id = `${c}\0${key}`;
    let s = this.seriesIndex.get(id);
    if (s === undefined) {
      s = this.seriesCluster.length;
      this.seriesIndex.set(id, s);
      this.seriesCluster.push(c);
      this.seriesKey.push(key);
    }
    return s;
  }
}

/** Doubles a Float64Array until it holds `need` values; `init` fills the new tail. */
export function grow(a: Float64Array, need: number, init?: (a: Float64Array, from: number) => void): Float64Array {
  if (need <= a.length) return a;
  const grown = new Float64Array(Math.max(need, a.length * 2));
  grown.set(a);
  init?.(grown, a.length);
  return grown;
}
