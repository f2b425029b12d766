/**
 * Half away from zero at two decimals, as Splunk's round(x, 2) does, on the double's exact value:
 * toFixed rounds the exact binary value (ties to the larger), where Math.round(z * 100) / 100
 * rounds z * 100 first and goes wrong once z nears 2^53 / 100. From 1e21 on, doubles are integers.
 */
export function roundZ(z: number): number {
  if (!Number.isFinite(z)) return z;
  const a = Math.abs(z);
  const r = a < 1e21 ? Number(a.toFixed(2)) : a;
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
