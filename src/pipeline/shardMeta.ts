import type { SuppressionRule } from '../evaluate/suppressions.js';
import type { HuntSplit, Shard } from '../plan/shardPlan.js';
import { ruleOf, type RuleParams } from '../rule/rule.js';
import type { DataCoverage } from './emptyWindows.js';

/**
 * The plan as a shard describes it in its partial file: all that merge needs to rebuild the
 * reducer and evaluate exactly as one machine would, and to tell shards of different plans apart.
 */
export interface ShardMeta {
  command: 'detect' | 'hunt';
  /** detect always splits by row group */
  split: HuntSplit;
  /** the scan's parameters (scanParamsOf the rules) */
  params: RuleParams;
  /**
   * the rules evaluated, sharing the scan (absent in files that predate several rules per shard:
   * params's rule). With K keyings among them, a task's K partials are stored as slots task * K + k.
   */
  rules?: RuleParams[];
  suppress: SuppressionRule[] | null;
  /** detect: T */
  atMs?: number;
  /** hunt: the T grid */
  fromMs?: number;
  toMs?: number;
  stepMs?: number;
  /** hunt: one pass over the data (false: one detection per T) */
  onePass?: boolean;
  /** tasks in the whole plan (row-group split) */
  taskCount: number;
  /** hunt by row group: each stored task's first timestamp, -Infinity where unknown */
  starts?: number[];
  /** hunt by time: this shard's T, as indexes [first, end) of `count` */
  times?: { first: number; end: number; count: number };
  rowGroupsTotal: number;
  rowGroupsPruned: number;
  fileCount: number;
  coverage: DataCoverage;
}

/** The rules a shard's plan evaluates. */
export const metaRules = (m: ShardMeta): RuleParams[] => m.rules ?? [m.params];

/** The fields two shards of one plan must agree on, as merge names them when they do not. */
export function metaDifference(a: ShardMeta, b: ShardMeta): string | undefined {
  const same = (x: unknown, y: unknown) => JSON.stringify(toJsonValue(x)) === JSON.stringify(toJsonValue(y));
  if (a.command !== b.command) return `command ${b.command}, not ${a.command}`;
  const ids = (m: ShardMeta) => metaRules(m).map((p) => ruleOf(p).id).join(', ');
  if (ids(a) !== ids(b)) return `rules ${ids(b)}, not ${ids(a)}`;
  if (!same(a.rules, b.rules)) return 'other rule parameters';
  if (!same(a.params, b.params)) return 'other rule parameters';
  if (!same(a.suppress, b.suppress)) return 'other suppressions';
  if (a.atMs !== b.atMs) return `T=${new Date(b.atMs ?? NaN).toISOString()}, not ${new Date(a.atMs ?? NaN).toISOString()}`;
  if (a.fromMs !== b.fromMs || a.toMs !== b.toMs || a.stepMs !== b.stepMs) return 'another --from, --to or --step';
  if (a.split !== b.split) return `split by ${b.split}, not ${a.split}`;
  return undefined;
}

const PAD = 4;

export function partialName(shard: Shard, fingerprint: string): string {
  const n = (v: number) => String(v).padStart(PAD, '0');
  return `shard-${n(shard.index)}-of-${n(shard.count)}-${fingerprint.slice(0, 12)}.arrow`;
}

export const PARTIAL_NAME = /^shard-(\d{4,})-of-(\d{4,})-([0-9a-f]{12})\.arrow$/;

const replacer = (_k: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v);

function reviver(_k: string, v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === '$number') return Number((v as { $number: string }).$number);
  }
  return v;
}

/** JSON that keeps Infinity, -Infinity and NaN (z of a zero stdev, an unknown start) as numbers. */
export const toJsonText = (value: unknown): string => JSON.stringify(value, replacer);
export const fromJsonText = <T>(text: string): T => JSON.parse(text, reviver) as T;
export const toJsonValue = (value: unknown): unknown => JSON.parse(toJsonText(value));
export const fromJsonValue = <T>(value: unknown): T => fromJsonText<T>(JSON.stringify(value));
