import { withAddedWorkloads, type PoolEntry } from './addedWorkloads.js';
import { BATCH_SHAPE, HOUR_MS } from './busyHour.js';
import type { GeneratorConfig } from './generatorTypes.js';
import type { Scenario, Topology } from './generatorTopology.js';

/** A weekly batch is about the outbound rule (no `rule`); its window is the final hour of the range. */
export const WEEKLY_BATCH: Scenario = {
  name: 'weekly-batch', window: [HOUR_MS, 0], expectedFinding: false,
  description: 'a weekly batch at the same hour on the same weekday: the flat baseline fires on it; ' +
    'hour-of-day with --weekday-split must not when the batch day is a weekend day',
};

/** The days between a weekly batch's runs. */
export const WEEK_DAYS = 7;

/**
 * Weekly jobs, their process and the stores they read and write, first one preferred: reports,
 * payroll, scans and archives that run once a week at one clock hour.
 */
export const WEEKLY_POOL: readonly PoolEntry[] = [
  ['weekly-reporter', 'python', ['postgres', 's3.amazonaws.com']],
  ['payroll-run', 'java', ['postgres', 'sqs.us-east-1.amazonaws.com']],
  ['compliance-scanner', 'trivy', ['s3.amazonaws.com', 'elasticsearch']],
  ['archive-compactor', 'java', ['s3.amazonaws.com', 'kafka']],
  ['weekly-backup', 'restic', ['s3.amazonaws.com', 'postgres']],
  ['index-rebuilder', 'java', ['elasticsearch', 'postgres']],
  ['statement-mailer', 'python', ['postgres', 'smtp.sendgrid.net']],
  ['audit-exporter', 'python', ['s3.amazonaws.com', 'postgres']],
  ['retention-purger', 'python', ['mongodb', 'postgres']],
  ['sitemap-builder', 'node', ['postgres', 's3.amazonaws.com']],
];

/**
 * Adds `cfg.weeklyBatches` batch workloads (addedWorkloads.ts), each to one or two of its stores,
 * sized as busy hours are (busyHour.ts), but with a batch only on the days whose UTC weekday is
 * the last day's.
 */
export function withWeeklyBatches(cfg: GeneratorConfig, topo: Topology, inboundDest: string | undefined, firstStream: number): Topology {
  return withAddedWorkloads(cfg, topo, {
    scenario: WEEKLY_BATCH, count: cfg.weeklyBatches ?? 0, pool: WEEKLY_POOL, salt: 0x7eb0, firstStream, inboundDest,
    maxDests: 2, shape: BATCH_SHAPE, mark: (stream) => ({ busy: { stream, period: WEEK_DAYS } }),
  });
}
