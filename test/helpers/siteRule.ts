/** A site's own rule of the outbound rule's kind, key and grouping, with its own parameters. */
export const SITE_RULE = `id: acme-outbound-strict
name: ACME outbound, 4 sigma
version: 1
kind: zscore
key: [source.workload.name, source.process.name]
group_by: k8s.cluster.name
metrics: ['tcp.*']
window: 1h
span: 10s
baseline: 30d
sigma: 4
min_count: 10
risk_score: 40
risk_object: { field: host, type: system }
message: ACME outbound anomaly from $source.workload.name$ in $host$
mitre_attack_id: [T1041]
`;

/** A site's new-entity rule of the newly-seen-edge rules' key. */
export const SITE_EDGE_RULE = `id: acme-new-edge
name: ACME new edge
version: 1
kind: new-entity
key: [source.workload.name, dest.workload.name]
group_by: k8s.cluster.name
metrics: [tcp.packets]
window: 1h
baseline: 7d
risk_score: 10
risk_object: { field: host, type: system }
message: new edge $source.workload.name$ -> $dest.workload.name$ in $host$
`;
