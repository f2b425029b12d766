/**
 * detect and hunt posting to a loopback HEC (the compiled CLI: `npm run build` first). The CLI runs
 * as an async child so this process's server can answer it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { CLI, ROOT, parseNdjson, runCliOk } from './helpers/cli.js';
import { REPLIES, startHecServer, type HecServer } from './helpers/hecServer.js';

const TOKEN = 'f00dcafe-1234-5678-9abc-0123456789ab';
const END = '2026-01-03T00:00:00Z';

let tmp: string;
let data: string;
const servers: HecServer[] = [];

/** A server per test, so the tests can run at once. */
async function hec(opts: Parameters<typeof startHecServer>[0]): Promise<HecServer> {
  const s = await startHecServer(opts);
  servers.push(s);
  return s;
}

function run(args: string[], env: Record<string, string | undefined> = { SPLUNK_HEC_TOKEN: TOKEN }) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT, env: { ...process.env, EGRESS_ANOMALY_DEBUG: '', SPLUNK_HEC_TOKEN: undefined, ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

const detect = (...args: string[]) => ['detect', '--data', data, '--workers', '1', '--at', END, '--format', 'ndjson', ...args];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'egress-hec-'));
  data = join(tmp, 'data');
  runCliOk(['export', '--out', data, '--days', '2', '--seed', '3', '--clusters', '2', '--workloads', '4', '--end', END, '--workers', '2', '--quiet']);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.concurrent('detect --hec-url', () => {
  it('posts one gzip event per finding with the ES risk fields, token only in the header', async ({ expect }) => {
    const server = await hec({ token: TOKEN });
    const r = await run(detect('--hec-url', server.url, '--hec-index', 'security', '--hec-sourcetype', 'k8s:egress'));
    expect(r.stderr).not.toContain(TOKEN);
    expect(r.status).toBe(0);
    const findings = parseNdjson(r.stdout);
    expect(findings.length).toBeGreaterThan(0);
    expect(server.accepted).toHaveLength(findings.length);
    server.accepted.forEach((e, i) => {
      const f = findings[i];
      expect(e).toMatchObject({ time: Date.parse(f.detection_time as string) / 1000, host: f.host, source: 'egress-anomaly', sourcetype: 'k8s:egress', index: 'security' });
      expect(e.event).toEqual({
        ...f, risk_object: f.host, risk_object_type: 'system', risk_score: 20, risk_message: f.risk_message,
        search_name: 'ESCU - Kubernetes Anomalous Outbound Network Activity from Process - Rule',
        annotations: { mitre_attack: { mitre_technique_id: ['T1204'] } },
      });
    });
    for (const q of server.requests) {
      expect(q.headers.authorization).toBe(`Splunk ${TOKEN}`);
      expect(q.headers['content-encoding']).toBe('gzip');
    }
    expect(r.stderr).toMatch(new RegExp(`detect: ${findings.length} events? posted to http://127\\.0\\.0\\.1:\\d+/services/collector/event in 1 request`));
  });

  it('rides out 503 server busy and a dropped connection: every event exactly once', async ({ expect }) => {
    const server = await hec({ token: TOKEN });
    server.script = [REPLIES.busy, 'drop', REPLIES.success];
    const r = await run(detect('--hec-url', `${server.url}/services/collector`));
    expect(r.status).toBe(0);
    const findings = parseNdjson(r.stdout);
    expect(server.requests).toHaveLength(3);
    expect(server.accepted.map((e) => e.event)).toHaveLength(findings.length);
    expect(new Set(server.accepted.map((e) => JSON.stringify(e))).size).toBe(findings.length);
    expect(r.stderr).toMatch(/answered 503 Server is busy \(code 9\); retrying in/);
    expect(r.stderr).toMatch(/cannot be reached: .*; retrying in/);
  });

  it('fails with exit 1 and Splunk\'s reason on an invalid token, never printing either token', async ({ expect }) => {
    const server = await hec({ token: 'the-right-one' });
    const r = await run(detect('--hec-url', server.url));
    expect(r.status).toBe(1);
    expect(r.stderr).not.toContain(TOKEN);
    expect(r.stderr).not.toContain('the-right-one');
    const last = r.stderr.trimEnd().split('\n').pop();
    expect(last).toMatch(/^egress-anomaly: hec: http:\/\/127\.0\.0\.1:\d+\/services\/collector\/event refused the events: 401 Invalid token \(code 4\)$/);
    expect(server.accepted).toEqual([]);
  });

  it('fails with exit 1 on 400 invalid data format', async ({ expect }) => {
    const server = await hec({ token: TOKEN });
    server.script = [REPLIES.invalidFormat];
    const r = await run(detect('--hec-url', server.url));
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split('\n').pop()).toMatch(/refused the events: 400 Invalid data format \(code 6\)$/);
  });

  it('with --hec-ack waits for indexer acknowledgement', async ({ expect }) => {
    const server = await hec({ token: TOKEN, ackEnabled: true });
    server.ackPending = 1;
    const r = await run(detect('--hec-url', server.url, '--hec-ack'));
    expect(r.status).toBe(0);
    const acks = server.requests.filter((q) => q.path === '/services/collector/ack');
    expect(acks).toHaveLength(2);
    expect(acks[0].headers['x-splunk-request-channel']).toBe(server.requests[0].headers['x-splunk-request-channel']);
    expect(r.stderr).toMatch(/indexing acknowledged/);
    expect(server.accepted).toHaveLength(parseNdjson(r.stdout).length);
  });
});

describe.concurrent('hunt --hec-url', () => {
  it('posts every T\'s findings once', async ({ expect }) => {
    const server = await hec({ token: TOKEN });
    const r = await run(['hunt', '--data', data, '--workers', '1', '--from', '2026-01-02T22:00:00Z', '--to', END, '--min-count', '1', '--format', 'ndjson', '--hec-url', server.url]);
    expect(r.status).toBe(0);
    const findings = parseNdjson(r.stdout);
    expect(new Set(findings.map((f) => f.detection_time)).size).toBeGreaterThan(1);
    expect(server.accepted.map((e) => e.event)).toEqual(findings.map((f) => expect.objectContaining(f) as unknown));
  });
});

describe.concurrent('usage errors, before any scan', () => {
  it.for([
    [['--hec-url', 'http://127.0.0.1:9'], {}, /^egress-anomaly: --hec-url: set the HEC token in the environment variable SPLUNK_HEC_TOKEN/],
    [['--hec-url', 'http://127.0.0.1:9'], { SPLUNK_HEC_TOKEN: 'bad token\nX-Injected: 1' }, /^egress-anomaly: --hec-url: SPLUNK_HEC_TOKEN holds characters an HTTP header cannot carry/],
    [['--hec-url', 'ftp://h'], undefined, /^egress-anomaly: --hec-url: expected an http or https URL/],
    [['--hec-ack'], undefined, /^egress-anomaly: --hec-ack: only applies with --hec-url/],
    [['--hec-index', 'main'], undefined, /^egress-anomaly: --hec-index: only applies with --hec-url or --format hec/],
    [['--format', 'hec', '--hec-index', 'Main!'], undefined, /^egress-anomaly: --hec-index: a Splunk index name/],
    [['--report', 'x.txt'], undefined, /^egress-anomaly: --report: expected a file name ending in \.html/],
    [['--report', '/no/such/folder/r.html'], undefined, /^egress-anomaly: --report: folder \/no\/such\/folder does not exist/],
  ] as [string[], Record<string, string> | undefined, RegExp][])('%j', async ([args, env, message], { expect }) => {
    const r = await run(['detect', '--data', '/no/such/data', ...args], env ?? { SPLUNK_HEC_TOKEN: TOKEN });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('/no/such/data');
    expect(r.stderr).not.toContain('X-Injected');
  });
});

describe.concurrent('detect --report with --hec-url', () => {
  it('writes the HTML report with a chart per anomalous metric of each finding, and posts the events', async ({ expect }) => {
    const server = await hec({ token: TOKEN });
    const dir = mkdtempSync(join(tmp, 'report-'));
    const file = join(dir, 'findings.html');
    const r = await run(detect('--report', file, '--hec-url', server.url));
    expect(r.status).toBe(0);
    const findings = parseNdjson(r.stdout) as { anomalies: string[] }[];
    expect(server.accepted).toHaveLength(findings.length);
    const html = readFileSync(file, 'utf8');
    const charts = findings.reduce((n, f) => n + new Set(f.anomalies.map((a) => a.split(' ')[0])).size, 0);
    expect(charts).toBeGreaterThan(0);
    expect(html.match(/<div class="chart" data-chart="/g)).toHaveLength(charts);
    expect(html.match(/<section class="finding"/g)).toHaveLength(findings.length);
    expect(readdirSync(dir)).toEqual(['findings.html']);
    expect(r.stderr).toContain(`detect: report written to ${file}`);
  });
});

describe.concurrent('--format hec', () => {
  it('writes newline-separated envelopes to stdout', async ({ expect }) => {
    const r = await run(['detect', '--data', data, '--workers', '1', '--at', END, '--format', 'hec', '--hec-source', 'nightly']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      const e = JSON.parse(l) as { source: string; event: { risk_object_type: string } };
      expect(e.source).toBe('nightly');
      expect(e.event.risk_object_type).toBe('system');
    }
  });
});
