/**
 * The CLI on bad input and bad command lines (SPEC §5): runtime failures exit 1 with one line on
 * stderr naming the file and the problem, and leave no output file (nor a temporary one); usage
 * errors exit 2 and name the option. Skippable bad values (NaN, infinite, negative) are counted in
 * a warning, or fail the run with --strict.
 *
 * Tests run concurrently (each starts CLI processes), so they use the `expect` of their context.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { runCliAsync as runCli, type CliResult } from './helpers/cli.js';
import { closeDuckDB, validRowsSql, writeParquetWithDuckDB } from './helpers/duckdbParquet.js';

let tmp: string;
const f: Record<string, string> = {};
const START = '2026-01-01T00:00:00Z';

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-badinput-'));
  const p = (name: string) => (f[name] = join(tmp, 'in', name));
  await writeParquetWithDuckDB(p('good.parquet'), validRowsSql({ startIso: START, rows: 1000, series: 2 }));
  await writeParquetWithDuckDB(p('no-process.parquet'), validRowsSql({ startIso: START, rows: 100, omit: ['source.process.name'] }));
  await writeParquetWithDuckDB(p('string-bytes.parquet'), validRowsSql({ startIso: START, rows: 100, metrics: { 'tcp.bytes': `'x' || i` } }));
  await writeParquetWithDuckDB(p('bad-values.parquet'), validRowsSql({
    startIso: START,
    rows: 1000,
    metrics: {
      // 10 NaN + 10 +Infinity + 10 -Infinity
      'tcp.bytes': `CASE i % 100 WHEN 0 THEN 'NaN'::DOUBLE WHEN 1 THEN 'Infinity'::DOUBLE WHEN 2 THEN '-Infinity'::DOUBLE ELSE (100 + i % 7)::DOUBLE END`,
      // 4 negative integers
      'udp.bytes': `(CASE WHEN i % 250 = 3 THEN -1 ELSE 50 + i % 11 END)::INTEGER`,
      // nulls are not bad values
      'tcp.packets': `CASE WHEN i % 10 = 5 THEN NULL ELSE (10 + i % 5)::DOUBLE END`,
    },
  }));
  closeDuckDB();
  // a CSV file with a .parquet name
  writeFileSync(p('really-csv.parquet'), 'timestamp,k8s.cluster.name\n2026-01-01T00:00:00Z,c0\n');
  // a Parquet file cut in half
  const good = readFileSync(f['good.parquet']);
  writeFileSync(p('truncated.parquet'), good.subarray(0, Math.floor(good.length / 2)));
  // a Parquet file with a valid footer and garbage in its data pages
  const corrupt = Buffer.from(good);
  for (let i = 4; i < Math.floor(corrupt.length / 2); i++) corrupt[i] = (i * 131) & 0xff;
  writeFileSync(p('corrupt-pages.parquet'), corrupt);
  // a folder with no Parquet files, and one with a good and a bad file
  mkdirSync(join(tmp, 'in', 'no-parquet', 'sub'), { recursive: true });
  writeFileSync(join(tmp, 'in', 'no-parquet', 'data.csv'), 'a,b\n');
  writeFileSync(join(tmp, 'in', 'no-parquet', 'sub', 'notes.txt'), 'x\n');
  f['no-parquet'] = join(tmp, 'in', 'no-parquet');
  f.mixed = join(tmp, 'in', 'mixed');
  mkdirSync(join(f.mixed, 'day=2026-01-02'), { recursive: true });
  copyFileSync(f['good.parquet'], join(f.mixed, 'a-good.parquet'));
  copyFileSync(f['truncated.parquet'], join(f.mixed, 'day=2026-01-02', 'part-0.parquet'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

let outDirs = 0;
/** A fresh, empty folder for --out. */
function freshOutDir(): string {
  const d = join(tmp, 'out', String(outDirs++));
  mkdirSync(d, { recursive: true });
  return d;
}

function expectOneLineFailure(expect: ExpectStatic, r: CliResult, ...mustContain: string[]): string {
  expect(r.status, r.stderr).toBe(1);
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^egress-anomaly: /);
  expect(lines[0]).not.toMatch(/\bat .*:\d+:\d+/); // no stack trace
  for (const s of mustContain) expect(lines[0]).toContain(s);
  expect(r.stdout).toBe('');
  return lines[0];
}

describe.concurrent('runtime failures: exit 1, one line naming the file and the problem, no output file', () => {
  const cases: [string, () => string, RegExp][] = [
    ['a folder with no Parquet files', () => f['no-parquet'], /no Parquet files found/],
    ['a missing path', () => join(tmp, 'in', 'does-not-exist'), /cannot read --data .*ENOENT/],
    ['a CSV file named .parquet', () => f['really-csv.parquet'], /not a Parquet file/],
    ['a truncated Parquet file', () => f['truncated.parquet'], /truncated/],
    ['a required column missing', () => f['no-process.parquet'], /has no column "source\.process\.name"/],
    ['a metric column that is not numeric', () => f['string-bytes.parquet'], /column "tcp\.bytes" in .* has type utf8, expected a number/],
    ['data pages that do not decode', () => f['corrupt-pages.parquet'], /: scan: cannot decode row group 0 of \S+corrupt-pages\.parquet: column "timestamp": page header at offset 0 does not decode/],
  ];

  it.for(cases)('%s', async ([, path, problem], { expect }) => {
    const out = freshOutDir();
    const r = await runCli(['detect', '--data', path(), '--out', join(out, 'findings.json'), '--workers', '2']);
    const line = expectOneLineFailure(expect, r, path());
    expect(line).toMatch(problem);
    expect(readdirSync(out)).toEqual([]);
  });

  it('names the bad file among good ones in a folder', async ({ expect }) => {
    const out = freshOutDir();
    const r = await runCli(['detect', '--data', f.mixed, '--out', join(out, 'findings.ndjson')]);
    expectOneLineFailure(expect, r, join(f.mixed, 'day=2026-01-02', 'part-0.parquet'), 'truncated');
    expect(readdirSync(out)).toEqual([]);
  });

  it('leaves an existing output file untouched when the run fails', async ({ expect }) => {
    const out = freshOutDir();
    const target = join(out, 'findings.json');
    writeFileSync(target, 'previous run\n');
    const r = await runCli(['detect', '--data', f['truncated.parquet'], '--out', target]);
    expectOneLineFailure(expect, r, f['truncated.parquet']);
    expect(readFileSync(target, 'utf8')).toBe('previous run\n');
    expect(readdirSync(out)).toEqual(['findings.json']);
  });

  it('fails in one line, before reading the data, when --out cannot be written (a usage error)', async ({ expect }) => {
    const target = join(tmp, 'out', 'no-such-folder', 'findings.json');
    const r = await runCli(['detect', '--data', f['good.parquet'], '--out', target]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(`egress-anomaly: detect: --out ${target}: folder ${join(tmp, 'out', 'no-such-folder')} does not exist\n`);
  });

  it('fails in one line for an unreadable --suppress file', async ({ expect }) => {
    const missing = join(tmp, 'in', 'no-suppressions.txt');
    const out = freshOutDir();
    const r = await runCli(['detect', '--data', f['good.parquet'], '--suppress', missing, '--out', join(out, 'x.json')]);
    expectOneLineFailure(expect, r, missing, 'ENOENT');
    expect(readdirSync(out)).toEqual([]);
  });

  it('hunt fails the same way', async ({ expect }) => {
    const out = freshOutDir();
    const r = await runCli(['hunt', '--data', f['string-bytes.parquet'], '--from', '2026-01-01T01:00:00Z', '--to', '2026-01-01T02:00:00Z',
      '--out', join(out, 'h.ndjson')]);
    expectOneLineFailure(expect, r, f['string-bytes.parquet'], 'expected a number');
    expect(readdirSync(out)).toEqual([]);
  });
});

describe.concurrent('NaN, infinite and negative metric values', () => {
  const counts = '(tcp.bytes: 30, udp.bytes: 4)';

  it('are skipped and counted: exit 0 with a warning naming the file and the counts per metric', async ({ expect }) => {
    const out = freshOutDir();
    const r = await runCli(['detect', '--data', f['bad-values.parquet'], '--out', join(out, 'findings.ndjson')]);
    expect(r.status, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(f['bad-values.parquet']);
    expect(warnings[0]).toContain('skipped 34 NaN, infinite or negative metric values');
    expect(warnings[0]).toContain(counts);
    expect(readdirSync(out)).toEqual(['findings.ndjson']);
  });

  it('fail the run with --strict: exit 1, one line, no output file', async ({ expect }) => {
    const out = freshOutDir();
    const r = await runCli(['detect', '--data', f['bad-values.parquet'], '--strict', '--out', join(out, 'findings.ndjson')]);
    expectOneLineFailure(expect, r, '--strict', f['bad-values.parquet'], counts);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe.concurrent('usage errors: exit 2, naming the option', () => {
  const cases: [string, string[], RegExp][] = [
    ['--workers 0', ['--workers', '0'], /--workers/],
    ['--window 5x', ['--window', '5x'], /--window.*"5x"/],
    ['--sigma abc', ['--sigma', 'abc'], /--sigma.*"abc"/],
    ['--at notatime', ['--at', 'notatime'], /--at.*"notatime"/],
    ['an unknown option', ['--bogus-option', '1'], /bogus-option/],
    ['--format xml', ['--format', 'xml'], /format[\s\S]*xml/],
    ['--baseline 30m (shorter than the window)', ['--baseline', '30m'], /--baseline.*--window/],
    ['--span longer than --window', ['--span', '2h'], /--span/],
    ['--baseline-model weekly', ['--baseline-model', 'weekly'], /baseline-model[\s\S]*weekly/],
    ['--min-value tcp.bytes=lots', ['--min-value', 'tcp.bytes=lots'], /--min-value: expected N or GLOB=N/],
  ];

  it.for(cases)('%s', async ([, args, message], { expect }) => {
    const out = freshOutDir();
    const r = await runCli(['detect', '--data', f['good.parquet'], '--out', join(out, 'findings.json'), ...args]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^egress-anomaly: /);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(readdirSync(out)).toEqual([]);
  });

  it('missing --data', async ({ expect }) => {
    const r = await runCli(['detect', '--format', 'json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/data/);
    expect(r.stdout).toBe('');
  });

  it('hunt: --to before --from, and a bad --step', async ({ expect }) => {
    const base = ['hunt', '--data', f['good.parquet']];
    const r1 = await runCli([...base, '--from', '2026-01-02T00:00:00Z', '--to', '2026-01-01T00:00:00Z']);
    expect(r1.status).toBe(2);
    expect(r1.stderr).toMatch(/--to.*--from/);
    const r2 = await runCli([...base, '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-02T00:00:00Z', '--step', '0h']);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/--step/);
  });

  it('hunt: an hour-of-day rule and a new-entity rule, which reads every baseline row, in one pass', async ({ expect }) => {
    const r = await runCli(['hunt', '--data', f['good.parquet'], '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-02T00:00:00Z',
      '--rule', 'dd6afee6', '--rule', '13f081d6', '--baseline-model', 'hour-of-day']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('egress-anomaly: --rule: hunt runs several rules in one pass only when they share a window, span, baseline and baseline rows; these do not: ' +
      'dd6afee6-e0a3-4028-a089-f47dd2842c22 (3600 s, 10 s, 2592000 s, hour-of-day), 13f081d6-7052-428a-bbb0-892c79ca7c65 (3600 s, 10 s, 2592000 s, every baseline row)\n');
    expect(r.stdout).toBe('');
  });

  // each option once: a repeated one is refused for that reason alone
  it.for([
    ['--end not at midnight', ['--end', '2026-01-01T12:00:00Z'],
      /^egress-anomaly: --end: must be a midnight UTC such as \S+, got "2026-01-01T12:00:00Z"\n$/],
    ['--workloads below the generator minimum of 3', ['--end', '2026-01-02T00:00:00Z', '--workloads', '2'],
      /^egress-anomaly: --workloads: expected an integer from 3 to \d+, got "2"\n$/],
  ] as [string, string[], RegExp][])('export: %s', async ([name, args, message], { expect }) => {
    const out = join(tmp, `never-written-${name.slice(2, 6)}`);
    const r = await runCli(['export', '--out', out, '--days', '1', ...args]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});

describe.concurrent('help', () => {
  it('detect --help shows the options and examples', async ({ expect }) => {
    const r = await runCli(['detect', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--data');
    expect(r.stdout).toContain('--at');
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toMatch(/egress-anomaly detect --data \S+/);
  });

  it('export --help shows the options and examples', async ({ expect }) => {
    const r = await runCli(['export', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--out');
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toMatch(/egress-anomaly export --out \S+/);
  });

});
