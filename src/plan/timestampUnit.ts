import { statInt64Range, type ColumnChunk, type ParquetColumn, type ParquetFooter } from '../parquet/parquetFooter.js';
import type { EpochUnit } from '../parquet/epochUnit.js';

/** Bare epoch values are accepted in a unit that puts them in [1990, 2100). */
const PLAUSIBLE_FROM = Date.UTC(1990, 0, 1);
const PLAUSIBLE_TO = Date.UTC(2100, 0, 1);
const UNIT_NAMES: Record<EpochUnit, string> = { s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds' };
/** milliseconds as a multiple (s) or a divisor (us, ns) of the raw value */
const SCALE: Record<EpochUnit, [mul: bigint, div: bigint]> = { s: [1000n, 1n], ms: [1n, 1n], us: [1n, 1000n], ns: [1n, 1_000_000n] };

export interface TimestampUnitInfo {
  /** the unit of the raw values; undefined when they carry no usable statistics (INT96) */
  unit?: EpochUnit;
  /** a bare INT64 column: the scan applies `unit` to its raw values */
  bare: boolean;
  /** the raw min/max statistics of a chunk, where they can be trusted */
  statistics?: (chunk: ColumnChunk) => { min: bigint; max: bigint } | undefined;
}

/** Floors a raw timestamp statistic in `unit` to epoch ms. */
export function statToMs(v: bigint, unit: EpochUnit): number {
  const [mul, div] = SCALE[unit];
  let q = (v * mul) / div;
  if (v < 0n && (v * mul) % div !== 0n) q -= 1n;
  return Number(q);
}

/**
 * The unit of the timestamp column's raw values. A Parquet timestamp type says it; INT96 is
 * nanoseconds (decoded as such, statistics unordered); a bare INT64 takes --timestamp-unit, else
 * the unit the file's Arrow schema records, else the one unit its statistics make plausible
 * (noted in `notes` unless it is milliseconds), else milliseconds (noted). Throws when the
 * statistics fit no unit.
 */
type ArrowUnitReader = (footer: ParquetFooter, c: ParquetColumn) => EpochUnit | undefined;
let arrowTimestampUnit: ArrowUnitReader | undefined;

/**
 * Reading a unit from ARROW:schema needs apache-arrow, which costs a few hundred ms to import on
 * the main thread while the workers boot: load it only for a file with a bare INT64 `name` column
 * and an Arrow schema to read.
 */
export async function prepareTimestampUnit(footer: ParquetFooter, name: string): Promise<void> {
  if (arrowTimestampUnit || !footer.keyValueMetadata.has('ARROW:schema')) return;
  const c = footer.columns.find((x) => x.name === name);
  if (!c || c.physicalType !== 'INT64' || c.logicalType?.type === 'TIMESTAMP') return;
  arrowTimestampUnit = (await import('../parquet/arrowSchema.js')).arrowTimestampUnit;
}

export function timestampUnitOf(footer: ParquetFooter, c: ParquetColumn, override: EpochUnit | undefined, notes: string[]): TimestampUnitInfo {
  if (c.physicalType === 'INT96') return { bare: false };
  const lt = c.logicalType;
  if (lt?.type === 'TIMESTAMP') {
    return { unit: lt.unit === 'MILLIS' ? 'ms' : lt.unit === 'MICROS' ? 'us' : 'ns', bare: false, statistics: statInt64Range };
  }
  const bare = { bare: true, statistics: statInt64Range };
  if (override) return { unit: override, ...bare };
  if (!arrowTimestampUnit && footer.keyValueMetadata.has('ARROW:schema')) {
    throw new Error(`plan: internal: prepareTimestampUnit was not called for ${footer.path}`);
  }
  const fromArrow = arrowTimestampUnit?.(footer, c);
  if (fromArrow) return { unit: fromArrow, ...bare };
  let min: bigint | undefined;
  let max: bigint | undefined;
  for (const rg of footer.rowGroups) {
    const r = rg.numRows > 0 ? statInt64Range(rg.columns[c.index]!) : undefined;
    if (!r) continue;
    if (min === undefined || r.min < min) min = r.min;
    if (max === undefined || r.max > max) max = r.max;
  }
  const what = `column "${c.name}" in ${footer.path} holds bare INT64 values`;
  if (min === undefined || max === undefined) {
    notes.push(`${what} and neither statistics nor an Arrow schema give their unit: read as epoch milliseconds (--timestamp-unit changes it)`);
    return { unit: 'ms', ...bare };
  }
  const plausible = (u: EpochUnit) => {
    const lo = statToMs(min!, u);
    const hi = statToMs(max!, u);
    return lo >= PLAUSIBLE_FROM && hi < PLAUSIBLE_TO;
  };
  const unit = (['ms', 's', 'us', 'ns'] as const).find(plausible);
  if (!unit) throw new Error(`plan: ${what} ${min} to ${max}; no unit puts them between 1990 and 2100: pass --timestamp-unit`);
  if (unit !== 'ms') {
    notes.push(`${what} ${min} to ${max} without a unit: read as epoch ${UNIT_NAMES[unit]}, the only unit that puts them between 1990 and 2100 (--timestamp-unit changes it)`);
  }
  return { unit, ...bare };
}
