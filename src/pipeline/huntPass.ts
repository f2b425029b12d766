import { evaluateRule } from '../evaluate/evaluateRule.js';
import type { Finding } from '../evaluate/finding.js';
import type { Suppressions } from '../evaluate/suppressions.js';
import type { HuntGrid } from '../plan/planHunt.js';
import { baselinePhaseOf } from '../plan/scanWindow.js';
import { HuntMerger } from '../reduce/huntMerger.js';
import type { RuleParams } from '../rule/rule.js';
import type { PartialState } from '../state/partialState.js';

export interface HuntPassOptions {
  metrics: string[];
  grid: HuntGrid;
  params: RuleParams;
  /** the rules evaluated at each T, all of the pass's keying; absent: params's rule */
  evaluate?: RuleParams[];
  suppress?: Suppressions;
  /** evaluate only the T of indexes [first, end) (a time shard); default every T */
  first?: number;
  end?: number;
  /**
   * a time shard: the pass is taken as complete no further than its last T (no block past it is
   * built ahead), and what no T of its own needs is dropped as it goes: the buckets and cells its
   * baseline rows fill before its first T, everything once its last T is out
   */
  until?: number;
  onEvaluated?: (state: PartialState, atMs: number, findings: Finding[]) => void;
  onProgress?: (done: number, total: number) => void;
}

/** A task's partials, one per keying (its own, then its `more`), each into that keying's pass. */
export function addToPasses(passes: HuntPass[], p: PartialState, bound: number): void {
  passes[0].add(p, bound);
  for (let k = 1; k < passes.length; k++) passes[k].add(p.more![k - 1], bound);
}

/**
 * Hunt's reduce and evaluation: task partials go in in the pass's task order, and each T is
 * evaluated as soon as every row before it is in. hunt runs it over its workers' partials, merge
 * over the partials shards stored, a time shard for its own T alone; all on the whole plan's grid,
 * so every T's baseline is summed through the same cells and blocks, in the same order.
 */
export class HuntPass {
  readonly merger: HuntMerger;
  readonly findings: Finding[] = [];
  private next: number;
  private readonly first: number;
  private readonly end: number;

  constructor(private readonly o: HuntPassOptions) {
    const { params, grid } = o;
    this.merger = new HuntMerger(o.metrics, grid, (params.baselineMs - params.windowMs) / grid.cellMs, baselinePhaseOf(params));
    this.first = o.first ?? 0;
    this.end = o.end ?? grid.times.length;
    this.next = this.first;
    // A time shard reads no row its first T's baseline does not need: the blocks wholly before
    // that baseline are built now, while no key exists, so they hold nothing and cost nothing.
    if (this.first > 0 && this.first < this.end) this.merger.complete(grid.times[this.first] - params.baselineMs);
  }

  /** A task's partial; `bound`: every task still to come starts at or after it. */
  add(p: PartialState, bound: number): void {
    const b = Math.min(bound, this.o.until ?? Infinity);
    this.merger.add(p);
    this.merger.complete(b);
    this.evaluateReady(b);
    if (this.o.until !== undefined) this.dropUnneeded();
  }

  private dropUnneeded(): void {
    const { params, grid } = this.o;
    if (this.next >= this.end) {
      this.merger.forget(Infinity, Infinity);
    } else if (this.next === this.first) {
      const t = grid.times[this.first];
      this.merger.forget((t - params.windowMs) / params.spanMs, Math.round((t - params.baselineMs - grid.origin) / grid.cellMs));
    }
  }

  /** Every task is in: evaluates the T left. */
  finish(): void {
    this.evaluateReady(Infinity);
  }

  private evaluateReady(bound: number): void {
    const { params, grid } = this.o;
    const times = grid.times;
    while (this.next < this.end && times[this.next] <= bound) {
      const t = times[this.next];
      const view = this.merger.view(t, params.windowMs, params.baselineMs, params.spanMs);
      const found = (this.o.evaluate ?? [params]).flatMap((p) => evaluateRule(view, p, t, this.o.suppress));
      this.o.onEvaluated?.(view, t, found);
      this.findings.push(...found);
      this.next++;
      this.o.onProgress?.(this.next - this.first, this.end - this.first);
      if (this.next < this.end) {
        const nt = times[this.next];
        this.merger.forget((nt - params.windowMs) / params.spanMs, Math.round((nt - params.baselineMs - grid.origin) / grid.cellMs));
      }
    }
  }
}
