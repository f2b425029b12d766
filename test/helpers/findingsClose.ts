/**
 * Findings in key order with every number in their messages rounded to 10 significant digits: the
 * DuckDB reference sums in another order, so means and deviations may differ from ours in the last
 * ulp, and it orders keys its own way.
 */
export function roundedFindings(findings: unknown[]): unknown[] {
  const key = (f: Record<string, unknown>) => JSON.stringify([f.host, f['source.workload.name'], f['source.process.name']]);
  return (findings as (Record<string, unknown> & { anomalies: string[] })[])
    .map((f) => ({
      ...f,
      anomalies: f.anomalies.map((s) => s.replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/g, (x) => String(Number(Number(x).toPrecision(10))))),
    }))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
