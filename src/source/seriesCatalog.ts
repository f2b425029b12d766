import { COLUMNS, DEST_COLUMN, DEST_PROCESS_COLUMN } from '../rule/rule.js';
import { KEY_SEP } from './pointChunk.js';

/** Dimension columns every file carries (the planner requires the rule's three), in file order. */
export const LEADING_DIMS = [COLUMNS.cluster, COLUMNS.workload, COLUMNS.process] as const;
/** The sort order within a file: workload, process, cluster, dest, then other dimensions by name. */
const SORT_LEAD = [COLUMNS.workload, COLUMNS.process, COLUMNS.cluster, DEST_COLUMN];

/** One dimension column: its distinct values, and each series' value id (-1: absent). */
export interface DimColumn {
  name: string;
  names: string[];
  ids: Map<string, number>;
  bySeries: Int32Array;
}

/**
 * Every series seen, each a set of (dimension, value) pairs, under one id however its source
 * ordered the attributes. Raw keys are cached, so each distinct key is parsed once.
 */
export class SeriesCatalog {
  readonly dims: DimColumn[] = [];
  private readonly dimIndex = new Map<string, number>();
  private readonly raw = new Map<string, number>();
  private readonly canonical = new Map<string, number>();
  size = 0;
  private capacity = 1024;

  constructor() {
    for (const d of LEADING_DIMS) this.dim(d);
  }

  private dim(name: string): DimColumn {
    let i = this.dimIndex.get(name);
    if (i === undefined) {
      i = this.dims.length;
      this.dims.push({ name, names: [], ids: new Map(), bySeries: new Int32Array(this.capacity).fill(-1) });
      this.dimIndex.set(name, i);
    }
    return this.dims[i];
  }

  idOf(key: string): number {
    const cached = this.raw.get(key);
    if (cached !== undefined) return cached;
    const parts = key === '' ? [] : key.split(KEY_SEP);
    const pairs = new Map<string, string>();
    for (let i = 0; i + 1 < parts.length; i += 2) pairs.set(parts[i], parts[i + 1]);
    const sorted = [...pairs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const canon = sorted.map(([k, v]) => `${k}${KEY_SEP}${v}`).join(KEY_SEP);
    let id = this.canonical.get(canon);
    if (id === undefined) {
      id = this.size++;
      if (id >= this.capacity) this.grow();
      for (const [k, v] of sorted) {
        const d = this.dim(k);
        let vid = d.ids.get(v);
        if (vid === undefined) {
          vid = d.names.length;
          d.names.push(v);
          d.ids.set(v, vid);
        }
        d.bySeries[id] = vid;
      }
      this.canonical.set(canon, id);
    }
    this.raw.set(key, id);
    return id;
  }

  private grow(): void {
    this.capacity *= 2;
    for (const d of this.dims) {
      const next = new Int32Array(this.capacity).fill(-1);
      next.set(d.bySeries);
      d.bySeries = next;
    }
  }

  /** Dimension columns in file order: the rule's three, the destination's workload and process, then the rest by name. */
  columnOrder(): DimColumn[] {
    const first = (n: string) => (n === DEST_COLUMN ? 0 : n === DEST_PROCESS_COLUMN ? 1 : 2);
    const rest = this.dims.slice(LEADING_DIMS.length).sort((a, b) =>
      first(a.name) - first(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return [...this.dims.slice(0, LEADING_DIMS.length), ...rest];
  }

  /** rank[series]: its place in the file sort order (values compared by code unit, absent last). */
  ranks(): Uint32Array {
    const lead = SORT_LEAD.map((n) => this.dimIndex.get(n)).filter((i): i is number => i !== undefined);
    const others = this.dims.map((_, i) => i).filter((i) => !lead.includes(i))
      .sort((a, b) => (this.dims[a].name < this.dims[b].name ? -1 : 1));
    const order = [...lead, ...others].map((i) => this.dims[i]);
    const ids = Array.from({ length: this.size }, (_, i) => i);
    ids.sort((a, b) => {
      for (const d of order) {
        const va = d.bySeries[a];
        const vb = d.bySeries[b];
        if (va === vb) continue;
        if (va < 0) return 1;
        if (vb < 0) return -1;
        const sa = d.names[va];
        const sb = d.names[vb];
        return sa < sb ? -1 : 1;
      }
      return 0;
    });
    const rank = new Uint32Array(this.size);
    ids.forEach((s, r) => { rank[s] = r; });
    return rank;
  }
}
