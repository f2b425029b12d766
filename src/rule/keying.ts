/**
 * The columns a scan folds a rule's rows by: the group (k8s.cluster.name, the findings' host) and
 * a two-column key. The outbound rule keys on the source side; its siblings on the destination or
 * the edge. Plain data, so worker threads import it without the rule files.
 */
export interface Keying {
  group: string;
  key: readonly [string, string];
}

export const TIMESTAMP_COLUMN = 'timestamp';

export const OUTBOUND_KEYING: Keying = { group: 'k8s.cluster.name', key: ['source.workload.name', 'source.process.name'] };

export function sameKeying(a: Keying, b: Keying): boolean {
  return a.group === b.group && a.key[0] === b.key[0] && a.key[1] === b.key[1];
}

/** The columns a keying reads besides the timestamp: group first, then the key. */
export function keyingColumns(k: Keying): string[] {
  return [k.group, k.key[0], k.key[1]];
}

export function describeKeying(k: Keying): string {
  return `${k.key[0]} + ${k.key[1]} by ${k.group}`;
}
