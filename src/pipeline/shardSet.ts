import type { PartialsStore } from '../io/partialsStore.js';
import { cutTimes } from '../plan/shardPlan.js';
import { PartialFileReader, type PartialHeader } from '../state/partialFile.js';
import { keyingGroups } from './detectRules.js';
import { PARTIAL_NAME, fromJsonValue, metaDifference, metaRules, partialName, type ShardMeta } from './shardMeta.js';

export interface ShardEntry {
  name: string;
  header: PartialHeader;
  meta: ShardMeta;
}

/** All N shards of one plan, in shard order. */
export interface ShardSet {
  shards: ShardEntry[];
  meta: ShardMeta;
  metrics: string[];
}

async function readHeader(store: PartialsStore, name: string): Promise<PartialHeader> {
  const file = await store.open(name);
  try {
    return (await PartialFileReader.open(file.source)).header;
  } finally {
    await file.close();
  }
}

/** Opens a shard file for its body, with the error naming the file. */
export async function openShard(store: PartialsStore, name: string): Promise<{ reader: PartialFileReader; close(): Promise<void> }> {
  const file = await store.open(name);
  try {
    return { reader: await PartialFileReader.open(file.source), close: () => file.close() };
  } catch (e) {
    await file.close();
    throw new Error(`merge: ${store.describe(name)} cannot be read: ${(e as Error).message}`, { cause: e });
  }
}

function group(entries: ShardEntry[]): ShardEntry[][] {
  const groups = new Map<string, ShardEntry[]>();
  for (const e of entries) {
    const id = `${e.header.fingerprint}/${e.header.shards}`;
    const list = groups.get(id);
    if (list) list.push(e);
    else groups.set(id, [e]);
  }
  // the plan most files belong to is the one to merge; the others are named as not of it
  return [...groups.values()].sort((a, b) => b.length - a.length || (a[0].name < b[0].name ? -1 : 1));
}

function whyForeign(ref: ShardEntry, e: ShardEntry): string {
  if (e.header.fingerprint === ref.header.fingerprint) return `it is cut into ${e.header.shards} shards, not ${ref.header.shards}`;
  const d = metaDifference(ref.meta, e.meta);
  return `it is of another plan (${d ?? 'other input files, row groups or metrics'})`;
}

/**
 * Finds the shard files in the store and checks, from their headers alone, that they are every
 * shard of one plan: a missing shard, a shard of another plan or cut, and an unreadable or
 * renamed file are all named, in one message, before anything is merged.
 */
export async function gatherShards(store: PartialsStore): Promise<ShardSet> {
  const names = (await store.list()).filter((n) => PARTIAL_NAME.test(n));
  if (names.length === 0) throw new Error(`merge: --partials ${store.location} holds no shard files (shard-IIII-of-NNNN-PLAN.arrow)`);
  const problems: string[] = [];
  const entries: ShardEntry[] = [];
  for (const name of names) {
    const [, i, n, print] = PARTIAL_NAME.exec(name)!;
    let header: PartialHeader;
    try {
      header = await readHeader(store, name);
    } catch (e) {
      problems.push(`${store.describe(name)} cannot be read: ${(e as Error).message}`);
      continue;
    }
    if (header.shard !== Number(i) || header.shards !== Number(n) || header.fingerprint.slice(0, 12) !== print) {
      problems.push(`${store.describe(name)} says it is ${partialName({ index: header.shard, count: header.shards }, header.fingerprint)} (renamed?)`);
      continue;
    }
    entries.push({ name, header, meta: fromJsonValue<ShardMeta>(header.meta) });
  }
  const groups = group(entries);
  const chosen = groups[0] ?? [];
  for (const other of groups.slice(1)) for (const e of other) problems.push(`${store.describe(e.name)}: ${whyForeign(chosen[0], e)}`);
  const ref = chosen[0];
  if (ref) {
    const have = new Map(chosen.map((e) => [e.header.shard, e]));
    const missing: string[] = [];
    for (let s = 0; s < ref.header.shards; s++) if (!have.has(s)) missing.push(partialName({ index: s, count: ref.header.shards }, ref.header.fingerprint));
    if (missing.length) problems.unshift(`missing ${missing.length} of ${ref.header.shards} shards in ${store.location}: ${missing.join(', ')}`);
  }
  if (problems.length || !ref) throw new Error(`merge: ${problems.join('; ')}`);
  const shards = chosen.slice().sort((a, b) => a.header.shard - b.header.shard);
  checkCut(shards, store);
  return { shards, meta: ref.meta, metrics: ref.header.metrics };
}

/** Shards of one fingerprint cut the plan the same way; checked anyway, as a merge must never guess. */
function checkCut(shards: ShardEntry[], store: PartialsStore): void {
  const { meta } = shards[0];
  if (meta.split === 'row-group') {
    let next = 0;
    for (const s of shards) {
      for (const t of s.header.tasks) {
        if (t !== next) throw new Error(`merge: ${store.describe(s.name)} holds task ${t} where task ${next} of the plan was due`);
        next++;
      }
    }
    // each task is stored as one slot per keying of the plan's rules
    const slots = meta.taskCount * keyingGroups(metaRules(meta)).length;
    if (next !== slots) throw new Error(`merge: the shards hold ${next} of the plan's ${slots} task partials`);
    return;
  }
  const count = meta.times?.count ?? 0;
  const cuts = cutTimes(count, shards.length);
  for (const s of shards) {
    const t = s.meta.times;
    if (!t || t.count !== count || t.first !== cuts[s.header.shard] || t.end !== cuts[s.header.shard + 1]) {
      throw new Error(`merge: ${store.describe(s.name)} does not hold the detection times its shard number stands for`);
    }
  }
}
