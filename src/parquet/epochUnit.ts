/** The units a bare INT64 epoch column can be in (no dependencies: the CLI's option list imports it). */
export type EpochUnit = 's' | 'ms' | 'us' | 'ns';
export const EPOCH_UNITS: readonly EpochUnit[] = ['s', 'ms', 'us', 'ns'];
