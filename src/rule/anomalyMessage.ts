/** Half away from zero at two decimals, as Splunk's round(x, 2) does. */
export function roundZ(z: number): number {
  if (!Number.isFinite(z)) return z;
  const r = Math.round(Math.abs(z) * 100) / 100;
  return z < 0 ? -r : r;
}

export function formatZ(z: number): string {
  if (z === Infinity) return 'inf';
  if (z === -Infinity) return '-inf';
  return String(roundZ(z));
}

export function anomalyMessage(metric: string, value: number, avg: number, stdev: number): string {
  const z = stdev === 0 ? (value > avg ? Infinity : value < avg ? -Infinity : NaN) : (value - avg) / stdev;
  return `${metric} higher than average by ${formatZ(z)} Standard Deviations. ${metric}=${String(value)} avg_${metric}=${String(avg)} 'stdev_${metric}'=${String(stdev)}`;
}
