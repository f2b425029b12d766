import type { Argv } from 'yargs';
import { checkPartialsFolder } from '../io/partialsStore.js';
import type { HuntSplit, Shard } from '../plan/shardPlan.js';
import type { DeliveryArgs } from './deliveryOptions.js';
import { UsageError, parseCount } from './parseOptions.js';

/** The most shards a plan is cut into (file names carry four digits). */
export const MAX_SHARDS = 9999;
const SPLITS = ['auto', 'time', 'row-group'] as const;

export interface ShardArgs extends DeliveryArgs {
  shard?: string;
  shards?: string;
  partials?: string;
  'shard-by'?: string;
  format?: string;
}

/** --shard, --shards and --partials (detect, hunt); --shard-by (hunt). */
export function withShardOptions<T>(y: Argv<T>, hunt: boolean) {
  const o = y
    .option('shard', { type: 'string', describe: 'run part I of N (I from 0) of the plan, cut from the footers alone, and write its partial to --partials instead of findings; egress-anomaly merge gives them' })
    .option('shards', { type: 'string', describe: 'as --shard, with I from the environment variable JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)' })
    .option('partials', { type: 'string', describe: 'folder (or s3://bucket/prefix/) for the shard\'s partial file: shard-IIII-of-NNNN-PLAN.arrow' });
  if (!hunt) return o;
  return o.option('shard-by', {
    type: 'string', choices: SPLITS as unknown as string[],
    describe: 'cut a hunt by row group (merge runs the pass) or by time (each shard evaluates a run of T) [default: auto, whichever the plan says costs fewer rows on the busiest machine]',
  });
}

function parseShard(raw: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && count <= MAX_SHARDS && index >= 0 && index < count)) {
    throw new UsageError(`--shard: expected I/N with 0 <= I < N <= ${MAX_SHARDS} (I counts from 0), got "${raw}"`);
  }
  return { index, count };
}

function shardFromEnv(raw: string, env: NodeJS.ProcessEnv): Shard {
  const count = parseCount('shards', raw, 1, MAX_SHARDS);
  const v = env.JOB_COMPLETION_INDEX;
  const index = v !== undefined && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!(index >= 0 && index < count)) {
    const got = v === undefined ? 'is not set' : `is "${v}"`;
    throw new UsageError(`--shards ${count}: JOB_COMPLETION_INDEX ${got}; expected an integer from 0 to ${count - 1} (a Kubernetes Indexed Job sets it; elsewhere pass --shard I/N)`);
  }
  return { index, count };
}

const NOT_WITH_SHARD = ['out', 'format', 'report', 'hec-url', 'hec-ack', 'hec-index', 'hec-source', 'hec-sourcetype'] as const;

/**
 * The shard this run is, or undefined for a whole run; every combination that cannot work is a
 * usage error naming the option, before any data is read.
 */
export function shardOf(a: ShardArgs, env: NodeJS.ProcessEnv = process.env): { shard: Shard; partials: string; split: HuntSplit | 'auto' } | undefined {
  if (a.shard !== undefined && a.shards !== undefined) throw new UsageError('--shard and --shards: give one (--shards takes I from JOB_COMPLETION_INDEX)');
  const raw = a.shard ?? a.shards;
  if (raw === undefined) {
    if (a.partials !== undefined) throw new UsageError('--partials: only with --shard I/N or --shards N (a whole run prints its findings)');
    if (a['shard-by'] !== undefined) throw new UsageError('--shard-by: only with --shard I/N or --shards N');
    return undefined;
  }
  const shard = a.shard !== undefined ? parseShard(a.shard) : shardFromEnv(raw, env);
  const option = a.shard !== undefined ? '--shard' : '--shards';
  if (a.partials === undefined || a.partials.trim() === '') throw new UsageError(`${option}: needs --partials DIR, where the shard writes its partial for egress-anomaly merge`);
  for (const o of NOT_WITH_SHARD) {
    if (a[o] !== undefined) throw new UsageError(`--${o}: a shard writes no findings, only its partial to --partials; give --${o} to egress-anomaly merge`);
  }
  return { shard, partials: a.partials, split: (a['shard-by'] ?? 'auto') as HuntSplit | 'auto' };
}

/** --partials must be a folder this run can write (created if missing), or an s3:// prefix. */
export async function checkPartials(cmd: string, location: string, forWriting: boolean): Promise<void> {
  const problem = await checkPartialsFolder(location, forWriting);
  if (problem) throw new UsageError(`${cmd}: --partials ${location}: ${problem}`);
}
