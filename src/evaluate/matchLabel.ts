import type { ScenarioLabel } from '../source/generator/generatorTypes.js';
import type { Finding } from './finding.js';

export type LabelKey = Pick<ScenarioLabel, 'cluster' | 'workload' | 'process'>;
export type FindingKey = Pick<Finding, 'host' | 'source.workload.name' | 'source.process.name'>;

/** A finding reports a labelled scenario when it names the label's cluster, workload and process. */
export function matchesLabel(f: FindingKey, l: LabelKey): boolean {
  return f.host === l.cluster && f['source.workload.name'] === l.workload && f['source.process.name'] === l.process;
}

/** Whether any finding reports the label: the demo's verdict, and score's true or false positive. */
export function isReported(l: LabelKey, findings: readonly FindingKey[]): boolean {
  return findings.some((f) => matchesLabel(f, l));
}
