import type { PartialsStore } from '../io/partialsStore.js';
import type { Shard } from '../plan/shardPlan.js';
import { PartialFileWriter } from '../state/partialFile.js';
import type { PartialKind } from '../state/partialColumns.js';
import { partialName, toJsonValue, type ShardMeta } from './shardMeta.js';

export interface ShardFileSpec {
  store: PartialsStore;
  shard: Shard;
  fingerprint: string;
  metrics: string[];
  meta: ShardMeta;
  kind: PartialKind;
  /** kind tasks: the plan indexes of the tasks to be stored, in order */
  tasks?: number[];
  /** kind records: how many */
  records?: number;
  /** kind tasks: the tasks hold baseline sketches (PartialState.sketches) */
  sketches?: boolean;
}

export interface WrittenShard {
  name: string;
  location: string;
  bytes: number;
}

/**
 * Writes one shard's partial file, atomically: `fill` adds the tasks or records (as they are
 * computed, so the file is never held whole); a failure leaves nothing behind. The file's name
 * and bytes depend on the plan and the shard alone, so a shard run twice writes the same file.
 */
export async function writeShardFile(spec: ShardFileSpec, fill: (w: PartialFileWriter) => Promise<void>): Promise<WrittenShard> {
  const name = partialName(spec.shard, spec.fingerprint);
  const file = await spec.store.create(name);
  const writer = new PartialFileWriter({
    kind: spec.kind, fingerprint: spec.fingerprint, shard: spec.shard.index, shards: spec.shard.count, metrics: spec.metrics,
    tasks: spec.tasks ?? [], records: spec.records ?? 0, meta: toJsonValue(spec.meta), ...(spec.sketches ? { sketches: true as const } : {}),
  }, (chunk) => file.write(chunk));
  try {
    await fill(writer);
    await writer.finish();
    await file.commit();
  } catch (e) {
    writer.abort();
    await file.abort();
    throw e;
  }
  return { name, location: spec.store.describe(name), bytes: file.bytes };
}

/** What a plan's fingerprint covers besides its inputs: the meta without what differs per shard. */
export function fingerprintParts(meta: ShardMeta, metrics: string[]): Record<string, unknown> {
  const plan = { ...meta };
  delete plan.starts;
  delete plan.times;
  return { plan: toJsonValue(plan), metrics };
}
