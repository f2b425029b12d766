/**
 * `merge` refuses what it cannot merge exactly (a missing shard, one of another plan, a corrupt or
 * truncated file: exit 1 naming it), shards are idempotent, and the shard options are checked
 * before any data is read (exit 2 naming the option).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli, runCliOk, type CliResult } from './helpers/cli.js';
import { closeDuckDB, validRowsSql, writeParquetWithDuckDB } from './helpers/duckdbParquet.js';

const END = '2026-01-31T00:00:00Z';
const DETECT = ['--at', END, '--min-count', '2', '--workers', '1', '--quiet'];

let root: string;
let data: string;
/** all three shards of `detect DETECT` */
let complete: string;

/** The CLI with `env` over this process's environment; a key set to undefined is removed. */
function runWithEnv(args: string[], env: NodeJS.ProcessEnv): CliResult {
  const full: NodeJS.ProcessEnv = { ...process.env, EGRESS_ANOMALY_DEBUG: '', ...env };
  for (const k of Object.keys(full)) if (full[k] === undefined) delete full[k];
  const r = spawnSync(process.execPath, [CLI, ...args], { env: full, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString(), stdoutBytes: r.stdout };
}

/** detect's shard i of n; `over` replaces options of DETECT */
function shard(i: number, n: number, dir: string, over: Record<string, string> = {}): void {
  const args = [...DETECT];
  for (const [k, v] of Object.entries(over)) {
    const at = args.indexOf(`--${k}`);
    if (at >= 0) args[at + 1] = v;
    else args.push(`--${k}`, v);
  }
  runCliOk(['detect', '--data', data, ...args, '--shard', `${i}/${n}`, '--partials', dir]);
}

/** A copy of the complete set, to break. */
function copyOf(name: string): string {
  const dir = join(root, name);
  cpSync(complete, dir, { recursive: true });
  return dir;
}

const files = (dir: string) => readdirSync(dir).sort();

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'egress-merge-'));
  data = join(root, 'data');
  runCliOk(['export', '--out', data, '--days', '2', '--workloads', '10', '--clusters', '2', '--seed', '9', '--end', END, '--quiet']);
  complete = join(root, 'complete');
  for (let i = 0; i < 3; i++) shard(i, 3, complete);
});

afterAll(() => {
  closeDuckDB();
  rmSync(root, { recursive: true, force: true });
});

describe('shards', () => {
  it('write the same bytes under the same name when run again, with another worker count too', () => {
    const dir = join(root, 'again');
    shard(1, 3, dir);
    const [name] = files(dir);
    const first = readFileSync(join(dir, name));
    shard(1, 3, dir, { workers: '2' });
    expect(files(dir)).toEqual([name]);
    expect(readFileSync(join(dir, name)).equals(first)).toBe(true);
    expect(readFileSync(join(complete, name)).equals(first)).toBe(true);
  });

  it('--shards N takes I from JOB_COMPLETION_INDEX, as a Kubernetes Indexed Job sets it', () => {
    const dir = join(root, 'indexed');
    const r = runWithEnv(['detect', '--data', data, ...DETECT, '--shards', '3', '--partials', dir], { JOB_COMPLETION_INDEX: '2' });
    expect(r.status).toBe(0);
    const [name] = files(dir);
    expect(name).toMatch(/^shard-0002-of-0003-[0-9a-f]{12}\.arrow$/);
    expect(readFileSync(join(dir, name)).equals(readFileSync(join(complete, name)))).toBe(true);
  });

  it('print no findings, and say where they come from', () => {
    const r = runCli(['detect', '--data', data, '--at', END, '--workers', '1', '--shard', '0/3', '--partials', join(root, 'loud')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/detect: shard 0\/3: wrote .*shard-0000-of-0003-[0-9a-f]{12}\.arrow .*no findings are printed: egress-anomaly merge --partials/);
  });

  it('merge to what one machine reports, and its HTML report too', () => {
    const one = runCliOk(['detect', '--data', data, ...DETECT, '--format', 'csv', '--report', join(root, 'one.html')]);
    const m = runCliOk(['merge', '--partials', complete, '--format', 'csv', '--report', join(root, 'merged.html'), '--quiet']);
    expect(one.stdout.split('\n').length).toBeGreaterThan(2);
    expect(m.stdout).toBe(one.stdout);
    expect(readFileSync(join(root, 'merged.html')).equals(readFileSync(join(root, 'one.html')))).toBe(true);
  });
});

describe('merge, beyond findings', () => {
  it('prints the data warnings one machine prints; a --strict shard fails on its own and leaves no file', async () => {
    const bad = join(root, 'bad');
    // NaN and negative values in both files, so every shard has warnings of its own
    for (const [f, start] of [['a.parquet', '2026-01-30T00:00:00Z'], ['b.parquet', '2026-01-30T12:00:00Z']] as const) {
      await writeParquetWithDuckDB(join(bad, f), validRowsSql({
        startIso: start, rows: 4320, series: 3,
        metrics: { 'tcp.bytes': "CASE WHEN i % 97 = 0 THEN 'NaN'::DOUBLE WHEN i % 89 = 0 THEN -1 ELSE (100 + (i % 7))::DOUBLE END" },
      }), 'ROW_GROUP_SIZE 4000');
    }
    const args = ['detect', '--data', bad, '--at', END, '--workers', '1', '--baseline', '2d'];
    const one = runCliOk([...args, '--format', 'ndjson']);
    const warnings = (text: string) => text.split('\n').filter((l) => l.includes('warning: ')).map((l) => l.replace(/^\w+: /, '')).sort();
    expect(warnings(one.stderr).length).toBe(2);
    const dir = join(root, 'bad-parts');
    for (let i = 0; i < 3; i++) runCliOk([...args, '--quiet', '--shard', `${i}/3`, '--partials', dir]);
    const m = runCliOk(['merge', '--partials', dir, '--format', 'ndjson']);
    expect(m.stdout).toBe(one.stdout);
    expect(warnings(m.stderr)).toEqual(warnings(one.stderr));
    const strict = runCli([...args, '--strict', '--shard', '0/3', '--partials', join(root, 'strict')]);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/detect: --strict: .*a\.parquet: skipped \d+ NaN, infinite or negative metric values/);
    expect(readdirSync(join(root, 'strict'))).toEqual([]);
  });

  it('merges a hunt whose T are off the bucket grid (one detection per T, cut by time)', () => {
    const args = ['hunt', '--data', data, '--from', '2026-01-30T20:00:05Z', '--to', '2026-01-30T23:00:05Z', '--baseline', '1d', '--min-count', '2', '--workers', '1', '--quiet'];
    const one = runCliOk([...args, '--format', 'ndjson']);
    expect(one.stdout.length).toBeGreaterThan(0);
    const dir = join(root, 'off-grid');
    for (let i = 0; i < 2; i++) runCliOk([...args, '--shard', `${i}/2`, '--partials', dir]);
    expect(runCliOk(['merge', '--partials', dir, '--format', 'ndjson', '--quiet']).stdout).toBe(one.stdout);
  });
});

describe('merge exits 1 naming the file', () => {
  it('when a shard is missing', () => {
    const dir = copyOf('missing');
    const gone = files(dir)[1];
    rmSync(join(dir, gone));
    const r = runCli(['merge', '--partials', dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`missing 1 of 3 shards in ${dir}: ${gone}`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('when a shard is of other parameters, another T, or another cut', () => {
    const params = copyOf('params');
    shard(2, 3, params, { sigma: '4' });
    const r = runCli(['merge', '--partials', params]);
    expect(r.status).toBe(1);
    const foreign = files(params).filter((f) => !files(complete).includes(f));
    expect(foreign).toHaveLength(1);
    expect(r.stderr).toContain(`${join(params, foreign[0])}: it is of another plan (other rule parameters)`);

    const rules = copyOf('rules');
    shard(1, 3, rules, { rule: '886c7e51' });
    const rr = runCli(['merge', '--partials', rules]);
    expect(rr.status).toBe(1);
    expect(rr.stderr).toMatch(/shard-0001-of-0003-[0-9a-f]{12}\.arrow: it is of another plan \(rules 886c7e51-2ea1-425d-8705-faaca5a64cc6, not dd6afee6-e0a3-4028-a089-f47dd2842c22\)/);

    const at = copyOf('at');
    shard(0, 3, at, { at: '2026-01-30T23:00:00Z' });
    const r2 = runCli(['merge', '--partials', at]);
    expect(r2.status).toBe(1);
    expect(r2.stderr).toMatch(/shard-0000-of-0003-[0-9a-f]{12}\.arrow: it is of another plan \(T=2026-01-30T23:00:00\.000Z, not 2026-01-31T00:00:00\.000Z\)/);

    const cut = copyOf('cut');
    shard(1, 2, cut);
    const r3 = runCli(['merge', '--partials', cut]);
    expect(r3.status).toBe(1);
    expect(r3.stderr).toMatch(/shard-0001-of-0002-[0-9a-f]{12}\.arrow: it is cut into 2 shards, not 3/);
  });

  it('when a shard file is corrupt or truncated', () => {
    const corrupt = copyOf('corrupt');
    const victim = files(corrupt)[2];
    const bytes = readFileSync(join(corrupt, victim));
    bytes[Math.floor(bytes.length * 0.6)] ^= 0x40;
    writeFileSync(join(corrupt, victim), bytes);
    const r = runCli(['merge', '--partials', corrupt]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(join(corrupt, victim));
    expect(r.stderr).toMatch(/corrupt|cannot be read/);

    const torn = copyOf('torn');
    const half = files(torn)[0];
    truncateSync(join(torn, half), Math.floor(readFileSync(join(torn, half)).length / 2));
    const r2 = runCli(['merge', '--partials', torn]);
    expect(r2.status).toBe(1);
    expect(r2.stderr).toContain(`${join(torn, half)} cannot be read: it is not a complete Arrow IPC file (truncated?)`);
  });

  it('when the folder holds no shards', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const r = runCli(['merge', '--partials', empty]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`--partials ${empty} holds no shard files`);
  });
});

describe('option errors exit 2 before any data is read, naming the option', () => {
  const x = () => join(root, 'never');
  const cases: [string, () => string[], RegExp, NodeJS.ProcessEnv?][] = [
    ['I >= N', () => ['detect', '--data', data, '--shard', '3/3', '--partials', x()], /--shard: expected I\/N with 0 <= I < N/],
    ['not I/N', () => ['detect', '--data', data, '--shard', 'two', '--partials', x()], /--shard: expected I\/N.*got "two"/],
    ['--shard without --partials', () => ['detect', '--data', data, '--shard', '0/2'], /--shard: needs --partials DIR/],
    ['--partials without a shard', () => ['detect', '--data', data, '--partials', x()], /--partials: only with --shard/],
    ['--shard and --shards', () => ['detect', '--data', data, '--shard', '0/2', '--shards', '2', '--partials', x()], /--shard and --shards: give one/],
    ['--out on a shard', () => ['detect', '--data', data, '--shard', '0/2', '--partials', x(), '--out', join(root, 'f.ndjson')], /--out: a shard writes no findings/],
    ['--shards without JOB_COMPLETION_INDEX', () => ['detect', '--data', data, '--shards', '3', '--partials', x()], /--shards 3: JOB_COMPLETION_INDEX is not set/, { JOB_COMPLETION_INDEX: undefined }],
    ['JOB_COMPLETION_INDEX out of range', () => ['detect', '--data', data, '--shards', '3', '--partials', x()], /--shards 3: JOB_COMPLETION_INDEX is "3"; expected an integer from 0 to 2/, { JOB_COMPLETION_INDEX: '3' }],
    ['hunt --state on a shard', () => ['hunt', '--data', data, '--from', END, '--to', END, '--state', join(root, 'st'), '--shard', '0/2', '--partials', x()], /--state: not with --shard/],
    ['--shard-by without a shard', () => ['hunt', '--data', data, '--from', END, '--to', END, '--shard-by', 'time'], /--shard-by: only with --shard/],
    ['--partials not a folder', () => ['detect', '--data', data, '--shard', '0/2', '--partials', join(data, '_export.json')], /detect: --partials .*_export\.json: /],
    ['merge without --partials', () => ['merge'], /missing required option --partials/],
    ['merge of a missing folder', () => ['merge', '--partials', join(root, 'nowhere')], /merge: --partials .*nowhere: no such folder/],
    ['merge to a missing folder', () => ['merge', '--partials', complete, '--out', join(root, 'nowhere', 'f.json')], /merge: --out .*: folder .* does not exist/],
  ];
  it.each(cases)('%s', (_name, args, message, env) => {
    const r = env ? runWithEnv(args(), env) : runCli(args());
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(readdirSync(root)).not.toContain('never');
  });
});
