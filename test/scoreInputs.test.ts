import { describe, expect, it } from 'vitest';
import { ScoreInputError, parseFindings, parseLabels } from '../src/evaluate/scoreInputs.js';

const OUTBOUND_ID = 'dd6afee6-e0a3-4028-a089-f47dd2842c22';
const INBOUND_ID = '10442d8b-0701-4c25-911d-d67b906e713c';
const EDGE_ID = '886c7e51-2ea1-425d-8705-faaca5a64cc6';
const finding = (host: string, w: string, p: string) => ({ detection_time: '2026-01-03T00:00:00.000Z', host, 'source.workload.name': w, 'source.process.name': p, count: 9, anomalies: [] });

describe('parseFindings', () => {
  it('reads NDJSON, blank lines skipped, and a JSON array, keeping the key fields', () => {
    const ndjson = `${JSON.stringify(finding('c1', 'w', 'p'))}\n\n${JSON.stringify(finding('c2', 'w', 'p'))}\n`;
    const outbound = { keyFields: ['source.workload.name', 'source.process.name'], key: ['w', 'p'], rule_id: OUTBOUND_ID };
    const atMs = Date.parse('2026-01-03T00:00:00Z');
    expect(parseFindings(ndjson, 'f.ndjson')).toEqual([{ host: 'c1', ...outbound, atMs }, { host: 'c2', ...outbound, atMs }]);
    const { detection_time: _t, ...timeless } = finding('c1', 'w', 'p');
    expect(parseFindings(JSON.stringify(timeless), 'f.ndjson')).toEqual([{ host: 'c1', ...outbound }]);
    expect(() => parseFindings(JSON.stringify({ ...timeless, detection_time: 'noon' }), 'f.ndjson'))
      .toThrow('score: f.ndjson line 1: field "detection_time" must be an ISO 8601 time, got "noon"');
    expect(parseFindings(`  ${JSON.stringify([finding('c1', 'w', 'p')], null, 2)}\n`, 'f.json')).toHaveLength(1);
    expect(parseFindings('', 'empty.ndjson')).toEqual([]);
  });

  it('names the line of a broken or foreign finding', () => {
    expect(() => parseFindings(`${JSON.stringify(finding('c1', 'w', 'p'))}\n{"host":`, 'f.ndjson')).toThrow(/^score: f\.ndjson line 2: not valid JSON: /);
    const edge = JSON.stringify({ host: 'c1', 'source.workload.name': 'a', 'dest.workload.name': 'b' });
    expect(() => parseFindings(edge, 'f.ndjson')).toThrow(
      'score: f.ndjson line 1: a finding needs the string fields host, source.workload.name, source.process.name, its rule\'s key that the labels name; "source.process.name" is missing',
    );
    const inbound = JSON.stringify({ host: 'c1', 'dest.workload.name': 'a', 'source.process.name': 'b', rule_id: INBOUND_ID });
    expect(() => parseFindings(inbound, 'f.ndjson')).toThrow(
      'score: f.ndjson line 1: a finding needs the string fields host, dest.workload.name, dest.process.name, its rule\'s key that the labels name; "dest.process.name" is missing',
    );
    expect(() => parseFindings(JSON.stringify({ host: 'c1', 'source.workload.name': 'a', 'source.process.name': 7 }), 'f.ndjson'))
      .toThrow('"source.process.name" is not a string');
    expect(() => parseFindings('[1]', 'f.json')).toThrow('score: f.json finding 1: a finding needs the string fields');
    expect(() => parseFindings('[1', 'f.json')).toThrow(ScoreInputError);
  });

  it('reads each finding by its rule\'s key: a built-in rule by its rule_id, anything else by the outbound key', () => {
    const edge = { host: 'c1', 'source.workload.name': 'api', 'dest.workload.name': 'db', rule_id: EDGE_ID };
    const inbound = { host: 'c2', 'dest.workload.name': 'db', 'dest.process.name': 'postgres', rule_id: INBOUND_ID };
    const site = { host: 'c3', 'source.workload.name': 'w', 'source.process.name': 'p', rule_id: 'acme-outbound-strict' };
    expect(parseFindings([edge, inbound, site].map((x) => JSON.stringify(x)).join('\n'), 'f.ndjson')).toEqual([
      { host: 'c1', keyFields: ['source.workload.name', 'dest.workload.name'], key: ['api', 'db'], rule_id: EDGE_ID },
      { host: 'c2', keyFields: ['dest.workload.name', 'dest.process.name'], key: ['db', 'postgres'], rule_id: INBOUND_ID },
      { host: 'c3', keyFields: ['source.workload.name', 'source.process.name'], key: ['w', 'p'], rule_id: 'acme-outbound-strict' },
    ]);
  });
});

describe('parseLabels', () => {
  it('reads the labels export writes, and a user\'s with any scenario name', () => {
    const text = JSON.stringify([
      { scenario: 'exfiltration-burst', cluster: 'c', workload: 'w', process: 'p', from: '2026-01-02T23:10:00Z', to: '2026-01-02T23:25:00.000Z', expectedFinding: true, description: 'd' },
      { scenario: 'my-own', cluster: 'c', workload: 'w2', process: 'p', expectedFinding: false },
    ]);
    expect(parseLabels(text, 'labels.json')).toEqual([
      { scenario: 'exfiltration-burst', cluster: 'c', workload: 'w', process: 'p', fromMs: Date.parse('2026-01-02T23:10:00Z'), toMs: Date.parse('2026-01-02T23:25:00Z'), expectedFinding: true },
      { scenario: 'my-own', cluster: 'c', workload: 'w2', process: 'p', expectedFinding: false },
    ]);
  });

  it('names the label and the field that is wrong', () => {
    expect(() => parseLabels('{}', 'labels.json')).toThrow('score: labels.json: expected an array of labels, as export writes to labels.json');
    expect(() => parseLabels(JSON.stringify([{ scenario: 's', cluster: 'c', workload: 'w', process: 'p', expectedFinding: 'yes' }]), 'labels.json'))
      .toThrow('score: labels.json label 1: field "expectedFinding" must be true or false, got "yes"');
    expect(() => parseLabels(JSON.stringify([{ scenario: 's', cluster: 'c', process: 'p', expectedFinding: true }]), 'labels.json'))
      .toThrow('score: labels.json label 1: field "workload" must be a string, got nothing');
    expect(() => parseLabels('[null]', 'labels.json')).toThrow('score: labels.json label 1: expected an object');
    const span = (from: unknown, to: unknown) => () => parseLabels(JSON.stringify([{ scenario: 's', cluster: 'c', workload: 'w', process: 'p', from, to, expectedFinding: true }]), 'labels.json');
    expect(span('x', '2026-01-01T00:00:00Z')).toThrow('score: labels.json label 1: field "from" must be an ISO 8601 time (with "to"), got "x"');
    expect(span('2026-01-01T00:00:00Z', undefined)).toThrow('score: labels.json label 1: field "to" must be an ISO 8601 time (with "from"), got nothing');
    expect(span('2026-01-01T01:00:00Z', '2026-01-01T00:00:00Z')).toThrow('score: labels.json label 1: field "to" (2026-01-01T00:00:00Z) must be after "from" (2026-01-01T01:00:00Z)');
    expect(() => parseLabels(JSON.stringify([{ scenario: 's', cluster: 'c', workload: 'w', process: 'p', rule: 7, expectedFinding: true }]), 'labels.json'))
      .toThrow('score: labels.json label 1: field "rule" must be a string when given, got 7');
    expect(() => parseLabels(JSON.stringify([{ scenario: 's', cluster: 'c', workload: 'w', process: 'p', 'dest.workload.name': null, expectedFinding: true }]), 'labels.json'))
      .toThrow('score: labels.json label 1: field "dest.workload.name" must be a string when given, got null');
  });

  it('keeps a label\'s rule and destination fields when given', () => {
    const text = JSON.stringify([
      { scenario: 'inbound', cluster: 'c', workload: 'w', process: 'p', rule: INBOUND_ID, 'dest.workload.name': 'db', 'dest.process.name': 'postgres', expectedFinding: true },
      { scenario: 'edge', cluster: 'c', workload: 'w', process: 'p', rule: EDGE_ID, 'dest.workload.name': 'db', expectedFinding: false },
    ]);
    expect(parseLabels(text, 'labels.json')).toEqual([
      { scenario: 'inbound', cluster: 'c', workload: 'w', process: 'p', rule: INBOUND_ID, 'dest.workload.name': 'db', 'dest.process.name': 'postgres', expectedFinding: true },
      { scenario: 'edge', cluster: 'c', workload: 'w', process: 'p', rule: EDGE_ID, 'dest.workload.name': 'db', expectedFinding: false },
    ]);
  });
});
