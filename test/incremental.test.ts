import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDuckDB, validRowsSql, writeParquetWithDuckDB } from './helpers/duckdbParquet.js';
import { runCli, runCliOk } from './helpers/cli.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);
const ROWS = (3 * DAY) / 10_000;
/** rows i with i % 997 = 5 hold tcp.bytes = -1 (an invalid value) */
const NEGATIVES_PER_SERIES = Math.floor((ROWS - 1 - 5) / 997) + 1;
const SERIES = 2;
const iso = (ms: number) => new Date(ms).toISOString();
const huntArgs = (data: string) => ['hunt', '--data', data, '--from', iso(START + 2 * DAY), '--to', iso(START + 3 * DAY), '--step', '1h', '--format', 'ndjson'];

describe('hunt --state: what the store keeps, says and refuses', () => {
  let dir: string;
  let data: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'egress-incremental-'));
    data = join(dir, 'data');
    for (let d = 0; d < 3; d++) {
      const sql = validRowsSql({
        startIso: iso(START), rows: ROWS, series: SERIES,
        metrics: { 'tcp.bytes': 'CASE WHEN i % 997 = 5 THEN -1.0 ELSE (100 + (i % 7))::DOUBLE END' },
      });
      await writeParquetWithDuckDB(join(data, `day=${iso(START + d * DAY).slice(0, 10)}`, 'part.parquet'),
        `SELECT * FROM (${sql}) WHERE "timestamp" >= TIMESTAMP '${iso(START + d * DAY).replace('T', ' ').replace('Z', '')}' AND "timestamp" < TIMESTAMP '${iso(START + (d + 1) * DAY).replace('T', ' ').replace('Z', '')}'`);
    }
  });
  afterAll(() => {
    closeDuckDB();
    rmSync(dir, { recursive: true, force: true });
  });

  const skipped = (stderr: string) => [...stderr.matchAll(/skipped (\d+) NaN, infinite or negative metric values?/g)].reduce((s, m) => s + Number(m[1]), 0);

  it('counts each invalid value once, though hunt places a row in baselines and recent windows', () => {
    const r = runCliOk(huntArgs(data));
    expect(skipped(r.stderr)).toBe(SERIES * NEGATIVES_PER_SERIES);
  });

  it('commits nothing when --strict fails, and reports a reused day\'s invalid values again', () => {
    const state = join(dir, 'state-strict');
    const strict = runCli([...huntArgs(data), '--state', state, '--strict']);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/hunt: --strict: .*part\.parquet: skipped \d+ NaN, infinite or negative metric values/);
    expect(existsSync(join(state, 'manifest.json'))).toBe(false);

    const first = runCliOk([...huntArgs(data), '--state', state]);
    const second = runCliOk([...huntArgs(data), '--state', state]);
    // the 27 empty days before the data and its first two: all but the day the recent windows need
    expect(second.stderr).toMatch(/\(29 days from --state\)/);
    expect(skipped(second.stderr)).toBe(skipped(first.stderr));
    expect(skipped(second.stderr)).toBe(SERIES * NEGATIVES_PER_SERIES);
    expect(second.stdout).toBe(first.stdout);
    const again = runCli([...huntArgs(data), '--state', state, '--strict']);
    expect(again.status).toBe(1);
  });

  it('refuses a manifest entry that points at another day\'s file, whatever its hash', () => {
    const state = join(dir, 'state-swapped');
    const plain = runCliOk(huntArgs(data));
    runCliOk([...huntArgs(data), '--state', state]);
    const path = join(state, 'manifest.json');
    const m = JSON.parse(readFileSync(path, 'utf8')) as { days: Record<string, { fingerprint: string; file: string; sha256: string }> };
    const [a, b] = Object.keys(m.days).sort();
    m.days[b] = { ...m.days[a], fingerprint: m.days[b].fingerprint };
    writeFileSync(path, JSON.stringify(m));
    const r = runCliOk([...huntArgs(data), '--state', state]);
    expect(r.stderr).toContain(`it holds day ${a}, not ${b}; rebuilding day ${b} from the data`);
    expect(r.stdout).toBe(plain.stdout);
  });
});
