import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { findingRecord, makeFinding, type Finding } from '../src/evaluate/finding.js';
import { builtinRules } from '../src/rule/builtinRules.js';
import { toParquet } from '../src/output/findingsParquet.js';
import { FINDING_FIELDS, FORMATS, findingColumns, formatForPath, toCsv, toJson, toNdjson, toTable } from '../src/output/formats.js';
import { toHec } from '../src/output/hecEvents.js';
import { renderFindings } from '../src/output/renderFindings.js';
import { sqlString } from './helpers/duckdbParquet.js';
import { parquetTable, readFindingsParquet } from './helpers/readFindingsParquet.js';

const T = Date.UTC(2026, 0, 31, 12);

const MSG = (m: string, z: string, v: number) =>
  `${m} higher than average by ${z} Standard Deviations. ${m}=${v} avg_${m}=100 'stdev_${m}'=10`;

const SPEC_FIELDS = [
  'detection_time', 'host', 'source.workload.name', 'source.process.name', 'count', 'anomalies',
  'rule_id', 'risk_score', 'risk_message', 'mitre_attack_id',
];

function findings(): Finding[] {
  return [
    makeFinding(T, 'prod-eu-west-1', 'api', 'java', 7, [MSG('tcp.bytes', '4.5', 145), MSG('udp.bytes', 'inf', 200)]),
    makeFinding(T, 'prod,with "quotes"', 'work,load', 'proc "x"', 6, [MSG('tcp.packets', '3.1', 131)]),
    makeFinding(T + 3_600_000, 'prod-us-east-1', 'batch', 'python', 12, [
      MSG('tcp.bytes', '10', 200), MSG('tcp.new_sockets', '12.25', 222.5), MSG('tcp.packets', '3.01', 130.1),
      MSG('udp.packets', '4', 140), MSG('udp.bytes', '5', 150),
    ]),
  ];
}

/** A minimal RFC 4180 reader: records of fields (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

describe('FINDING_FIELDS and makeFinding', () => {
  it('are the SPEC §4 fields, in order', () => {
    expect([...FINDING_FIELDS]).toEqual(SPEC_FIELDS);
    expect(Object.keys(findingRecord(findings()[0]))).toEqual(SPEC_FIELDS);
  });

  it('key the outbound rule by its two source columns', () => {
    const f = findings()[0];
    expect(f.keyFields).toEqual(['source.workload.name', 'source.process.name']);
    expect(f.key).toEqual(['api', 'java']);
    expect(findingRecord(f)).toMatchObject({ host: 'prod-eu-west-1', 'source.workload.name': 'api', 'source.process.name': 'java', count: 7 });
  });

  it('fill the rule constants', () => {
    const f = findings()[0];
    expect(f.detection_time).toBe('2026-01-31T12:00:00.000Z');
    expect(f.rule_id).toBe('dd6afee6-e0a3-4028-a089-f47dd2842c22');
    expect(f.risk_score).toBe(20);
    expect(f.mitre_attack_id).toBe('T1204');
    expect(f.risk_message).toBe('Kubernetes Anomalous Outbound Network Activity from Process in kubernetes cluster prod-eu-west-1');
  });
});

describe('ndjson', () => {
  it('is one JSON object per line with the SPEC fields in order', () => {
    const out = toNdjson(findings());
    expect(out.endsWith('\n')).toBe(true);
    const lines = out.slice(0, -1).split('\n');
    expect(lines).toHaveLength(3);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed).toEqual(findings().map(findingRecord));
    for (const p of parsed) expect(Object.keys(p)).toEqual(SPEC_FIELDS);
  });

  it('is empty for no findings', () => {
    expect(toNdjson([])).toBe('');
  });
});

describe('json', () => {
  it('is one array with the SPEC fields in order', () => {
    const out = toJson(findings());
    expect(out.endsWith('\n')).toBe(true);
    const parsed = JSON.parse(out) as Record<string, unknown>[];
    expect(parsed).toEqual(findings().map(findingRecord));
    for (const p of parsed) expect(Object.keys(p)).toEqual(SPEC_FIELDS);
  });

  it('is [] for no findings', () => {
    expect(JSON.parse(toJson([]))).toEqual([]);
  });
});

describe('csv', () => {
  it('has a header in SPEC §4 order and CRLF records', () => {
    const out = toCsv(findings());
    expect(out.startsWith(`${SPEC_FIELDS.join(',')}\r\n`)).toBe(true);
    expect(out.endsWith('\r\n')).toBe(true);
  });

  it('round-trips through an RFC 4180 reader: commas, quotes and multi-line anomalies', () => {
    const rows = parseCsv(toCsv(findings()));
    expect(rows[0]).toEqual(SPEC_FIELDS);
    expect(rows).toHaveLength(4);
    findings().forEach((f, i) => {
      const r = rows[i + 1];
      expect(r).toHaveLength(SPEC_FIELDS.length);
      expect(r[0]).toBe(f.detection_time);
      expect(r[1]).toBe(f.host);
      expect(r[2]).toBe(f.key[0]);
      expect(r[3]).toBe(f.key[1]);
      expect(r[4]).toBe(String(f.count));
      expect(r[5].split('\n')).toEqual(f.anomalies);
      expect(r[6]).toBe(f.rule_id);
      expect(r[7]).toBe('20');
      expect(r[8]).toBe(f.risk_message);
      expect(r[9]).toBe('T1204');
    });
  });

  it('quotes only fields that need it, doubling inner quotes', () => {
    const out = toCsv(findings());
    expect(out).toContain('"prod,with ""quotes""","work,load","proc ""x"""');
    expect(out).toContain(',prod-eu-west-1,api,java,7,');
    const oneLine = toCsv([makeFinding(T, 'h', 'w', 'p', 6, ['single message'])]);
    expect(oneLine.split('\r\n')[1]).toBe(
      `2026-01-31T12:00:00.000Z,h,w,p,6,single message,dd6afee6-e0a3-4028-a089-f47dd2842c22,20,` +
      'Kubernetes Anomalous Outbound Network Activity from Process in kubernetes cluster h,T1204',
    );
  });

  it('is the header alone for no findings', () => {
    expect(toCsv([])).toBe(`${SPEC_FIELDS.join(',')}\r\n`);
  });

  it('neutralises cells a spreadsheet would run as formulas (OWASP): a leading quote, and quoted', () => {
    const evil = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', "=cmd|' /C calc'!A0"];
    const fs = evil.map((p, i) => makeFinding(T, i === 0 ? '=host' : 'h', '@workload', p, 6, ['=1+2', 'tcp.bytes fine']));
    const out = toCsv(fs);
    const rows = parseCsv(out).slice(1);
    rows.forEach((r, i) => {
      expect(r[3]).toBe(`'${evil[i]}`);
      expect(r[2]).toBe("'@workload");
      expect(r[5]).toBe("'=1+2\ntcp.bytes fine");
    });
    expect(rows[0][1]).toBe("'=host");
    expect(rows[1][1]).toBe('h');
    expect(out).toContain(',"\'+1+1",');
    expect(out).toContain(',"\'-2+3",');
    // no cell of any record starts with a formula character
    for (const r of rows) for (const c of r) expect(c).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('table', () => {
  it('says so when there are no findings', () => {
    expect(toTable([])).toBe('No findings.\n');
  });

  it('has one aligned line per finding, up to 3 anomalies below it, and a total', () => {
    const out = toTable(findings());
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^detection_time\s+host\s+workload\s+process\s+count$/);
    expect(lines[1]).toMatch(/^-+( {2}-+){4}$/);
    // columns line up with the header
    const hostCol = lines[0].indexOf('host');
    const countEnd = lines[0].length;
    const rowLines = lines.filter((l) => l.startsWith('2026-'));
    expect(rowLines).toHaveLength(3);
    for (const l of rowLines) {
      expect(l.indexOf('prod')).toBe(hostCol);
      expect(l.length).toBe(countEnd); // count right-aligned under its header
    }
    expect(rowLines[0]).toMatch(/prod-eu-west-1\s+api\s+java\s+7$/);
    expect(rowLines[2]).toMatch(/prod-us-east-1\s+batch\s+python\s+12$/);
    // anomalies, indented; the third finding has 5, so 3 shown and a note
    expect(out).toContain(`\n    ${MSG('tcp.bytes', '4.5', 145)}\n`);
    expect(out).toContain('    … 2 more distinct anomalies\n');
    expect(lines.filter((l) => l.startsWith('    ') && !l.startsWith('    …'))).toHaveLength(2 + 1 + 3);
    expect(out.endsWith('\n3 findings.\n')).toBe(true);
  });

  it('says "1 finding." for one and truncates very long anomalies', () => {
    const long = 'x'.repeat(400);
    const out = toTable([makeFinding(T, 'h', 'w', 'p', 6, [long])]);
    expect(out.endsWith('\n1 finding.\n')).toBe(true);
    const shown = out.split('\n').find((l) => l.startsWith('    x'))!;
    expect(shown.length).toBeLessThan(200);
    expect(shown.endsWith('…')).toBe(true);
  });
  it('escapes control characters from the data, so names cannot drive the terminal or break the layout', () => {
    const evil = makeFinding(T, 'h\x1b[2J', 'w\nfake row', 'p\r\x07\x9b', 6, ['tcp.bytes\x1b]0;title\x07 higher']);
    const out = toTable([evil]);
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/); // only \n, between lines
    expect(out).toContain('h\\x1b[2J');
    expect(out).toContain('w\\x0afake row');
    expect(out).toContain('p\\x0d\\x07\\x9b');
    expect(out).toContain('tcp.bytes\\x1b]0;title\\x07 higher');
    expect(out.split('\n').filter((l) => l.startsWith('2026-'))).toHaveLength(1);
  });
});

describe('parquet', () => {
  it('reads back with parquet-wasm and apache-arrow: same rows, SPEC field order', () => {
    const bytes = toParquet(findings());
    expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('PAR1');
    const t = parquetTable(bytes);
    expect(t.schema.fields.map((f) => f.name)).toEqual(SPEC_FIELDS);
    expect(t.numRows).toBe(3);
    expect(readFindingsParquet(bytes)).toEqual(findings().map(findingRecord));
  });

  it('reads back with DuckDB: same rows, types and list of anomalies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'findings-duckdb-'));
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const path = join(dir, 'findings.parquet');
      writeFileSync(path, (await renderFindings(findings(), 'parquet')) as Uint8Array);
      const types = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(path)})`)).getRowObjectsJS()
        .map((r) => [r.column_name, r.column_type]);
      expect(types).toEqual([
        ['detection_time', 'VARCHAR'], ['host', 'VARCHAR'], ['source.workload.name', 'VARCHAR'], ['source.process.name', 'VARCHAR'],
        ['count', 'INTEGER'], ['anomalies', 'VARCHAR[]'], ['rule_id', 'VARCHAR'], ['risk_score', 'INTEGER'],
        ['risk_message', 'VARCHAR'], ['mitre_attack_id', 'VARCHAR'],
      ]);
      const rows = (await conn.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(path)})`)).getRowObjectsJS();
      expect(rows).toEqual(findings().map(findingRecord));
      const agg = (await conn.runAndReadAll(
        `SELECT host, sum(len(anomalies))::INTEGER AS n FROM read_parquet(${sqlString(path)}) GROUP BY host ORDER BY host`)).getRowObjectsJS();
      expect(agg).toEqual([{ host: 'prod,with "quotes"', n: 1 }, { host: 'prod-eu-west-1', n: 2 }, { host: 'prod-us-east-1', n: 5 }]);
    } finally {
      conn.closeSync();
      instance.closeSync();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes a valid empty file for no findings', () => {
    const bytes = toParquet([]);
    const t = parquetTable(bytes);
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.map((f) => f.name)).toEqual(SPEC_FIELDS);
  });
});

const ruleById = (id: string) => {
  const r = builtinRules().find((x) => x.id === id);
  if (!r) throw new Error(`no built-in rule ${id}`);
  return r;
};
const INBOUND = ruleById('10442d8b-0701-4c25-911d-d67b906e713c');
const EDGE = ruleById('886c7e51-2ea1-425d-8705-faaca5a64cc6');
const OUTBOUND_ONLY = ['detection_time', 'host', 'source.workload.name', 'source.process.name', 'count', 'anomalies', 'rule_id', 'risk_score', 'risk_message', 'mitre_attack_id'];

/** One finding each of the outbound, inbound and edge rules. */
function mixed(): Finding[] {
  return [
    makeFinding(T, 'c1', 'api', 'java', 7, [MSG('tcp.bytes', '4.5', 145)]),
    makeFinding(T, 'c1', 'db', 'postgres', 6, [MSG('tcp.packets', '3.1', 131)], INBOUND),
    makeFinding(T, 'c2', 'api', 'db', 8, [MSG('udp.bytes', '5', 150)], EDGE),
  ];
}

describe('findings of several rules', () => {
  it('findingColumns: the outbound fields for none or only outbound findings, else every present rule\'s key fields in order', () => {
    expect(findingColumns([])).toEqual(OUTBOUND_ONLY);
    expect(findingColumns(findings())).toEqual(OUTBOUND_ONLY);
    const [out, inb, edge] = mixed();
    expect(findingColumns([inb])).toEqual([
      'detection_time', 'host', 'dest.workload.name', 'dest.process.name', 'count', 'anomalies', 'rule_id', 'risk_score', 'risk_message', 'mitre_attack_id',
    ]);
    expect(findingColumns([edge, out])).toEqual([
      'detection_time', 'host', 'source.workload.name', 'source.process.name', 'dest.workload.name', 'count', 'anomalies', 'rule_id', 'risk_score', 'risk_message', 'mitre_attack_id',
    ]);
    expect(findingColumns(mixed())).toEqual([
      'detection_time', 'host', 'source.workload.name', 'source.process.name', 'dest.workload.name', 'dest.process.name',
      'count', 'anomalies', 'rule_id', 'risk_score', 'risk_message', 'mitre_attack_id',
    ]);
  });

  it('records carry each rule\'s own key fields and identity', () => {
    const [out, inb, edge] = mixed().map(findingRecord);
    expect(Object.keys(out)).toEqual(OUTBOUND_ONLY);
    expect(inb).toMatchObject({ host: 'c1', 'dest.workload.name': 'db', 'dest.process.name': 'postgres', rule_id: INBOUND.id, risk_score: 25 });
    expect(inb).not.toHaveProperty('source.workload.name');
    expect(inb.risk_message).toBe('Kubernetes Anomalous Inbound Network Activity from Process in kubernetes cluster c1');
    expect(edge).toMatchObject({ 'source.workload.name': 'api', 'dest.workload.name': 'db', rule_id: EDGE.id });
    expect(edge).not.toHaveProperty('source.process.name');
    expect(JSON.parse(toNdjson(mixed()).split('\n')[1])).toEqual(inb);
  });

  it('csv: the header has every key column, and a finding leaves the cells of other rules\' key fields empty', () => {
    const rows = parseCsv(toCsv(mixed()));
    const head = rows[0];
    expect(head).toEqual(findingColumns(mixed()));
    expect(head).toContain('dest.workload.name');
    const cell = (r: string[], c: string) => r[head.indexOf(c)];
    const [out, inb, edge] = rows.slice(1);
    expect([out, inb, edge].map((r) => r.length)).toEqual([head.length, head.length, head.length]);
    expect([cell(out, 'source.workload.name'), cell(out, 'source.process.name'), cell(out, 'dest.workload.name'), cell(out, 'dest.process.name')])
      .toEqual(['api', 'java', '', '']);
    expect([cell(inb, 'source.workload.name'), cell(inb, 'source.process.name'), cell(inb, 'dest.workload.name'), cell(inb, 'dest.process.name')])
      .toEqual(['', '', 'db', 'postgres']);
    expect([cell(edge, 'source.workload.name'), cell(edge, 'source.process.name'), cell(edge, 'dest.workload.name'), cell(edge, 'dest.process.name')])
      .toEqual(['api', '', 'db', '']);
    expect(cell(inb, 'rule_id')).toBe(INBOUND.id);
    expect(cell(edge, 'risk_score')).toBe('25');
  });

  it('parquet: the same columns, null where a finding\'s rule has no such key field', () => {
    const bytes = toParquet(mixed());
    expect(parquetTable(bytes).schema.fields.map((f) => f.name)).toEqual(findingColumns(mixed()));
    const rows = readFindingsParquet(bytes);
    expect(rows[0]).toMatchObject({ 'source.workload.name': 'api', 'source.process.name': 'java', 'dest.workload.name': null, 'dest.process.name': null });
    expect(rows[1]).toMatchObject({ 'source.workload.name': null, 'source.process.name': null, 'dest.workload.name': 'db', 'dest.process.name': 'postgres', rule_id: INBOUND.id });
    expect(rows[2]).toMatchObject({ 'source.workload.name': 'api', 'source.process.name': null, 'dest.workload.name': 'db', 'dest.process.name': null });
  });

  it('table: names the rule by its short id and the key by its fields', () => {
    const out = toTable(mixed());
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^detection_time\s+rule\s+host\s+key\s+count$/);
    const rowLines = lines.filter((l) => l.startsWith('2026-'));
    expect(rowLines[1]).toMatch(/10442d8b\s+c1\s+dest\.workload\.name=db dest\.process\.name=postgres\s+6$/);
    expect(rowLines[2]).toMatch(/886c7e51\s+c2\s+source\.workload\.name=api dest\.workload\.name=db\s+8$/);
  });
});

describe('renderFindings', () => {
  it('dispatches every format', async () => {
    const fs = findings();
    expect(await renderFindings(fs, 'ndjson')).toBe(toNdjson(fs));
    expect(await renderFindings(fs, 'json')).toBe(toJson(fs));
    expect(await renderFindings(fs, 'csv')).toBe(toCsv(fs));
    expect(await renderFindings(fs, 'table')).toBe(toTable(fs));
    const pq = await renderFindings(fs, 'parquet');
    expect(pq).toBeInstanceOf(Uint8Array);
    expect(readFindingsParquet(pq as Uint8Array)).toEqual(fs.map(findingRecord));
    expect(await renderFindings(fs, 'hec')).toBe(toHec(fs));
    const hec = (await renderFindings(fs, 'hec', { hec: { source: 's', sourcetype: 'st', index: 'idx' } })) as string;
    expect(hec.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { index: string }).index)).toEqual(['idx', 'idx', 'idx']);
    expect([...FORMATS].sort()).toEqual(['csv', 'hec', 'json', 'ndjson', 'parquet', 'table']);
  });
});

describe('formatForPath', () => {
  it.each([
    ['findings.json', 'json'],
    ['findings.ndjson', 'ndjson'],
    ['findings.jsonl', 'ndjson'],
    ['findings.csv', 'csv'],
    ['findings.parquet', 'parquet'],
    ['findings.txt', 'table'],
    ['FINDINGS.JSON', 'json'],
    ['out/dir.d/x.Parquet', 'parquet'],
  ])('%s -> %s', (path, format) => {
    expect(formatForPath(path)).toBe(format);
  });

  it.each(['findings', 'findings.xml', 'findings.json.gz', 'json', 'a.csv/'])('%s -> undefined', (path) => {
    expect(formatForPath(path)).toBeUndefined();
  });
});
