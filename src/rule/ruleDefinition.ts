/** A rule as its file declares it (rules/*.yaml, or a site's own), validated and converted. */
export type RuleKind = 'zscore' | 'new-entity';

interface RuleBase {
  id: string;
  name: string;
  version: number;
  /** the key columns, joined in the published searches as key=a + ":" + b */
  key: string[];
  /** the recent window's further grouping (k8s.cluster.name), renamed to host in findings; the baseline is pooled across it */
  groupBy: string;
  /** metric column globs, mstats wildcard semantics */
  metrics: string[];
  /** durations as written (for messages) and in milliseconds */
  window: string;
  windowMs: number;
  baseline: string;
  baselineMs: number;
  riskScore: number;
  riskObject: { field: string; type: string };
  /** risk message template, `$field$` placeholders as Splunk writes them */
  message: string;
  mitreAttackIds: string[];
  source?: { repository: string; path: string; date: string };
  search?: string;
  notes?: string;
  /** where it was read from: a path relative to the package root for built-ins, as given otherwise */
  file: string;
  builtin: boolean;
  /** the lines of the id and the name in that file, for errors about rules in other files */
  lines: { id: number; name: number };
}

/** Per (group, key, span bucket, metric): value > avg + sigma * stdev of the key's baseline; reported above minCount. */
export interface ZScoreRule extends RuleBase {
  kind: 'zscore';
  span: string;
  spanMs: number;
  sigma: number;
  minCount: number;
  /** prefixes of the metrics whose "stdev" is the baseline mean under --splunk-parity (avg(udp.*) as stdev_udp.*) */
  parityStdevIsMean: string[];
}

/** A key with data points in the recent window and none in the baseline. */
export interface NewEntityRule extends RuleBase {
  kind: 'new-entity';
}

export type RuleDefinition = ZScoreRule | NewEntityRule;

/** The fields a finding of the rule carries, which its message and risk object may name. */
export function resultFields(r: Pick<RuleDefinition, 'kind' | 'key' | 'metrics'>): string[] {
  const extra = r.kind === 'zscore' ? ['count'] : r.metrics.filter((m) => !/[*?]/.test(m)).map((m) => `${m}_count`);
  return ['host', ...r.key, ...extra];
}
