import { Field, Int32, List, Table, Utf8, vectorFromArray, tableToIPC } from 'apache-arrow';
import * as pq from 'parquet-wasm';
import { keyValue, type Finding } from '../evaluate/finding.js';
import { findingKeyColumns } from './formats.js';

/** The columns of findingColumns (formats.ts); a key field a finding's rule lacks is null. */
export function toParquet(findings: Finding[]): Uint8Array {
  const col = <K extends keyof Finding>(k: K) => findings.map((f) => f[k]);
  const keys = findingKeyColumns(findings);
  const table = new Table({
    detection_time: vectorFromArray(col('detection_time'), new Utf8()),
    host: vectorFromArray(col('host'), new Utf8()),
    ...Object.fromEntries(keys.map((k) => [k, vectorFromArray(findings.map((f) => keyValue(f, k) ?? null), new Utf8())])),
    count: vectorFromArray(col('count'), new Int32()),
    anomalies: vectorFromArray(col('anomalies'), new List(new Field('item', new Utf8(), true))),
    rule_id: vectorFromArray(col('rule_id'), new Utf8()),
    risk_score: vectorFromArray(col('risk_score'), new Int32()),
    risk_message: vectorFromArray(col('risk_message'), new Utf8()),
    mitre_attack_id: vectorFromArray(col('mitre_attack_id'), new Utf8()),
  });
  const props = new pq.WriterPropertiesBuilder().setCompression(pq.Compression.ZSTD).setCreatedBy('egress-anomaly').build();
  return pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(table, 'stream')), props);
}
