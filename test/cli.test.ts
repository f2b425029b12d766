/**
 * End to end through the compiled CLI (`npm run build` first): export a small dataset, then detect
 * and hunt on it in every output format and with the options of SPEC §5.
 *
 * The detect and hunt tests run concurrently (each starts CLI processes), so they use the `expect`
 * of their context.
 */
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNdjson, runCliOk, runCliOkAsync, type CliResult } from './helpers/cli.js';
import { readFindingsParquet } from './helpers/readFindingsParquet.js';

const SPEC_FIELDS = [
  'detection_time', 'host', 'source.workload.name', 'source.process.name', 'count', 'anomalies',
  'rule_id', 'risk_score', 'risk_message', 'mitre_attack_id',
];
const END = '2026-01-03T00:00:00Z';
const END_MS = Date.parse(END);
const HOUR = 3_600_000;

type Finding = Record<string, unknown> & {
  detection_time: string; host: string; 'source.workload.name': string; 'source.process.name': string;
  count: number; anomalies: string[];
};

let tmp: string;
let data: string;
/** `detect --format json` at the default T: the reference most tests compare with. */
let jsonOut: string;
let findings: Finding[];

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const keyOf = (f: Finding) => [f.detection_time, f.host, f['source.workload.name'], f['source.process.name']];
const compareFindings = (a: Finding, b: Finding) => {
  const ka = keyOf(a);
  const kb = keyOf(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return cmp(ka[i], kb[i]);
  return 0;
};

/** One worker keeps the suite quick; the --workers test covers 1, 2 and 4. */
function detect(...args: string[]) {
  return runCliOkAsync(['detect', '--data', data, '--workers', '1', ...args]);
}

/** Runs shared by two tests, started once. */
const shared = new Map<string, Promise<CliResult>>();
function detectShared(...args: string[]): Promise<CliResult> {
  const key = args.join('\0');
  if (!shared.has(key)) shared.set(key, detect(...args));
  return shared.get(key)!;
}

/** Temp files left beside `name` (other tests write beside it at the same time, so only its own count). */
function tempFilesOf(name: string): string[] {
  return readdirSync(tmp).filter((f) => f.startsWith(`.${name}.`) && f.endsWith('.tmp'));
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-cli-'));
  data = join(tmp, 'data');
  runCliOk(['export', '--out', data, '--days', '2', '--seed', '3', '--clusters', '2', '--workloads', '4', '--end', END,
    '--workers', '2', '--quiet']);
  jsonOut = runCliOk(['detect', '--data', data, '--workers', '2', '--format', 'json']).stdout;
  findings = JSON.parse(jsonOut) as Finding[];
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('export', () => {
  it('writes hive-style day folders of Parquet', () => {
    const days = readdirSync(data).filter((d) => d.startsWith('day=')).sort();
    expect(days).toEqual(['day=2026-01-01', 'day=2026-01-02']);
    for (const d of days) expect(readdirSync(join(data, d)).some((f) => f.endsWith('.parquet'))).toBe(true);
  });
});

describe.concurrent('detect', () => {
  it('--format json: an array of findings with exactly the SPEC §4 fields, in order', async ({ expect }) => {
    expect(Array.isArray(findings)).toBe(true);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(Object.keys(f)).toEqual(SPEC_FIELDS);
      expect(f.detection_time).toBe(new Date(END_MS).toISOString()); // default T: end of the last bucket
      expect(f.rule_id).toBe('dd6afee6-e0a3-4028-a089-f47dd2842c22');
      expect(f.risk_score).toBe(20);
      expect(f.mitre_attack_id).toBe('T1204');
      expect(f.risk_message).toBe(`Kubernetes Anomalous Outbound Network Activity from Process in kubernetes cluster ${f.host}`);
      expect(Number.isInteger(f.count)).toBe(true);
      expect(f.count).toBeGreaterThan(5);
      expect(f.anomalies.length).toBeGreaterThan(0);
      expect(f.anomalies.length).toBeLessThanOrEqual(f.count);
      expect(new Set(f.anomalies).size).toBe(f.anomalies.length);
      expect([...f.anomalies].sort(cmp)).toEqual(f.anomalies);
      for (const a of f.anomalies) {
        expect(a).toMatch(/^(tcp|udp)\.\S+ higher than average by (-?\d+(\.\d+)?|inf) Standard Deviations\. \S+=\S+ avg_\S+=\S+ 'stdev_\S+'=\S+$/);
      }
    }
    expect([...findings].sort(compareFindings)).toEqual(findings);
  });

  it('--out x.json writes the same bytes as stdout, and nothing to stdout', async ({ expect }) => {
    const out = join(tmp, 'x.json');
    const r = await detect('--out', out);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(jsonOut);
    expect(tempFilesOf('x.json')).toEqual([]);
  });

  it('--out over an existing file replaces it whole and keeps its permissions', async ({ expect }) => {
    const out = join(tmp, 'kept-mode.json');
    writeFileSync(out, 'previous run\n', { mode: 0o600 });
    chmodSync(out, 0o600);
    const r = await detect('--out', out);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(jsonOut);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(tempFilesOf('kept-mode.json')).toEqual([]);
  });

  it('--out x.parquet writes a readable Parquet file with the same findings', async ({ expect }) => {
    const out = join(tmp, 'x.parquet');
    await detect('--out', out);
    expect(readFindingsParquet(readFileSync(out))).toEqual(findings);
  });

  it('--format csv: a header in SPEC order and one record per finding', async ({ expect }) => {
    const csv = (await detect('--format', 'csv')).stdout;
    expect(csv.startsWith(`${SPEC_FIELDS.join(',')}\r\n`)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    // every record starts with detection_time; anomalies are one quoted multi-line field
    const records = csv.split('\r\n').filter((l) => /^\d{4}-\d\d-\d\dT/.test(l));
    expect(records).toHaveLength(findings.length);
    findings.forEach((f, i) => {
      expect(records[i].startsWith(`${f.detection_time},${f.host},${f['source.workload.name']},${f['source.process.name']},${f.count},"`)).toBe(true);
    });
    for (const f of findings) expect(csv).toContain(`"${f.anomalies.join('\n')}"`);
  });

  it('--format table: a readable summary', async ({ expect }) => {
    const table = (await detect('--format', 'table')).stdout;
    for (const f of findings) expect(table).toContain(f['source.workload.name']);
    expect(table.trimEnd().endsWith(`${findings.length} finding${findings.length === 1 ? '' : 's'}.`)).toBe(true);
  });

  it('--at in ISO 8601 and in epoch ms give identical output, and the default T is the end of the data', async ({ expect }) => {
    const [iso, epoch] = (await Promise.all([
      detectShared('--at', END, '--format', 'ndjson'),
      detect('--at', String(END_MS), '--format', 'ndjson'),
    ])).map((r) => r.stdoutBytes);
    expect(iso.length).toBeGreaterThan(0);
    expect(epoch.equals(iso)).toBe(true);
    expect(parseNdjson(iso.toString('utf8'))).toEqual(findings);
  });

  it('the same bytes on stdout for --workers 1, 2 and 4', async ({ expect }) => {
    const [one, two, four] = (await Promise.all([
      detectShared('--at', END, '--format', 'ndjson'), // --workers 1
      ...['2', '4'].map((n) => runCliOkAsync(['detect', '--data', data, '--workers', n, '--at', END, '--format', 'ndjson'])),
    ])).map((r) => r.stdoutBytes);
    expect(one.length).toBeGreaterThan(0);
    expect(two.equals(one)).toBe(true);
    expect(four.equals(one)).toBe(true);
  });

  it('--suppress drops the findings a rule matches, and only those', async ({ expect }) => {
    const victim = findings[0];
    const rules = join(tmp, 'suppress.txt');
    writeFileSync(rules, `# known noisy\nhost=${victim.host} workload=${victim['source.workload.name']}  # reviewed\n`);
    const r = await detect('--format', 'json', '--suppress', rules);
    const kept = JSON.parse(r.stdout) as Finding[];
    const isVictim = (f: Finding) => f.host === victim.host && f['source.workload.name'] === victim['source.workload.name'];
    expect(kept.some(isVictim)).toBe(false);
    expect(kept).toEqual(findings.filter((f) => !isVictim(f)));
    expect(r.stderr).toMatch(new RegExp(`; ${findings.length - kept.length} suppressed`));
  });

  it('--min-count 0 reports at least as many findings, a superset of the default', async ({ expect }) => {
    const all = parseNdjson((await detectShared('--at', END, '--min-count', '0', '--format', 'ndjson')).stdout) as Finding[];
    expect(all.length).toBeGreaterThanOrEqual(findings.length);
    for (const f of findings) expect(all).toContainEqual(f);
    for (const f of all) expect(f.count).toBeGreaterThan(0);
  });

  it('--splunk-parity takes the baseline mean as the udp stdev, as the published search does, and changes nothing else', async ({ expect }) => {
    const r = await detect('--format', 'ndjson', '--splunk-parity');
    const parity = parseNdjson(r.stdout) as Finding[];
    expect(parity.length).toBeGreaterThan(0);
    for (const f of parity) {
      expect(Object.keys(f)).toEqual(SPEC_FIELDS);
      expect(f.count).toBeGreaterThan(5);
    }
    expect(r.stderr).toMatch(new RegExp(`detect: T=2026-01-03T00:00:00\\.000Z: ${parity.length} findings?`));
    const message = /^(\S+) higher than average by \S+ Standard Deviations\. \S+=(\S+) avg_\S+=(\S+) 'stdev_\S+'=(\S+)$/;
    const parse = (m: string) => {
      const g = message.exec(m);
      expect(g, m).not.toBeNull();
      return { metric: g![1], value: g![2], avg: g![3], stdev: g![4] };
    };
    const key = (f: Finding) => `${f.host}/${f['source.workload.name']}/${f['source.process.name']}`;
    const byDefault = new Map(findings.map((f) => [key(f), f]));
    let changed = 0;
    for (const f of parity) {
      const udp = f.anomalies.map(parse).filter((a) => a.metric.startsWith('udp.'));
      for (const a of udp) expect(a.stdev, `${key(f)} ${a.metric}`).toBe(a.avg);
      const d = byDefault.get(key(f));
      if (!d) continue;
      // tcp stdevs are real in both modes, so the tcp messages are the same
      expect(f.anomalies.filter((m) => m.startsWith('tcp.'))).toEqual(d.anomalies.filter((m) => m.startsWith('tcp.')));
      for (const b of d.anomalies.map(parse).filter((x) => x.metric.startsWith('udp.'))) {
        const same = udp.find((a) => a.metric === b.metric && a.value === b.value);
        if (!same) continue;
        expect(same.avg).toBe(b.avg);
        expect(b.stdev).not.toBe(b.avg);
        changed++;
      }
    }
    expect(changed).toBeGreaterThan(0);
  });
});

describe.concurrent('hunt', () => {
  it('reports, for each T, exactly what detect --at T reports', async ({ expect }) => {
    const times = [END_MS - 2 * HOUR, END_MS - HOUR, END_MS];
    const opts = ['--min-count', '0', '--format', 'ndjson'];
    const [hunt, ...perTRuns] = await Promise.all([
      runCliOkAsync(['hunt', '--data', data, '--from', new Date(times[0]).toISOString(), '--to', END, '--step', '1h',
        '--workers', '2', ...opts]),
      ...times.map((t) => (t === END_MS ? detectShared('--at', END, ...opts) : detect('--at', new Date(t).toISOString(), ...opts))),
    ]);
    const perT = perTRuns.map((r) => r.stdout);
    const expected = (perT.flatMap((s) => parseNdjson(s)) as Finding[]).sort(compareFindings);
    expect(new Set(expected.map((f) => f.detection_time)).size).toBeGreaterThan(1); // not a vacuous comparison
    expect(hunt.stdout).toBe(expected.map((f) => `${JSON.stringify(f)}\n`).join(''));
    expect(hunt.stdout).toBe(perT.join(''));
    expect(hunt.stderr).toMatch(/hunt: 3 detection times/);
    // bench:headline reads the main thread's share from this line
    expect(hunt.stderr).toMatch(/ in one pass, \d+ workers?, [\d.]+ s \([\d.]+ s of it reducing and evaluating on the main thread\)/);
  });
});
