/**
 * The smallest case the property test found where hunt and detect printed different bytes (README:
 * hunt reports "exactly what detect --at T reports"; moments "do not depend on row order"): a
 * baseline of 1e9 + 14, 1e9 + 13, 1e9 + 2 in that file order, an hour apart in reverse time order.
 * detect adds the values in file order, hunt merges its baseline cells in time order. Both sums
 * of squares are exact, split differently between their two terms; the stdev used to read the
 * split as it was (detect printed 6.6583281184793925, hunt 6.658328118479392, the correctly
 * rounded value being 6.658328118479393) and now normalises it first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { closeDuckDB, writeParquetWithDuckDB } from '../helpers/duckdbParquet.js';

const T = Date.UTC(2026, 0, 10, 12);
const H = 3_600_000;
const ROWS: [offsetMs: number, value: number][] = [[-2 * H, 1e9 + 14], [-3 * H, 1e9 + 13], [-4 * H, 1e9 + 2], [-60_000, 1e9 + 5000]];
const RULE = ['--min-count', '0', '--format', 'ndjson', '--quiet'];
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'egress-order-'));
  const values = ROWS.map(([o, v], i) => `(${i}, ${T + o}, ${v}::DOUBLE)`).join(', ');
  await writeParquetWithDuckDB(join(dir, 'data.parquet'),
    `SELECT make_timestamp(t * 1000) AS "timestamp", 'c0' AS "k8s.cluster.name", 'w' AS "source.workload.name", 'p' AS "source.process.name", ` +
    `v AS "tcp.bytes" FROM (VALUES ${values}) x(i, t, v) ORDER BY i`);
  closeDuckDB();
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const detectOut = () => runCli(['detect', '--data', dir, '--at', String(T), ...RULE]);
const huntOut = () => runCli(['hunt', '--data', dir, '--from', String(T - H), '--to', String(T), '--step', '1h', ...RULE]);
const stdevOf = (ndjson: string) => /'stdev_tcp\.bytes'=(\S+?)"/.exec(ndjson)?.[1];

describe('hunt and detect on a baseline whose file order is not its time order', () => {
  it('both report the one finding at T, with a stdev within an ulp or two of the exact 6.658328118479393', () => {
    const [d, h] = [detectOut(), huntOut()];
    expect([d.status, h.status], d.stderr + h.stderr).toEqual([0, 0]);
    for (const out of [d.stdout, h.stdout]) {
      expect(out.split('\n').filter(Boolean)).toHaveLength(1);
      expect(out).toContain('"detection_time":"2026-01-10T12:00:00.000Z"');
      expect(Math.abs(Number(stdevOf(out)) - 6.658328118479393)).toBeLessThan(4e-15);
    }
  });

  it('print the same bytes: the exact sums are normalised before the stdev reads them', () => {
    expect(huntOut().stdout).toBe(detectOut().stdout);
  });
});
