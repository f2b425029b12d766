import { describe, expect, it } from 'vitest';
import { findingRecord, makeFinding } from '../src/evaluate/finding.js';
import { builtinRules } from '../src/rule/builtinRules.js';
import { hecEndpointOf } from '../src/output/hecEndpoint.js';
import { hecEvent, toHec } from '../src/output/hecEvents.js';

const T = Date.UTC(2026, 0, 31, 12);
const F = makeFinding(T, 'prod-eu', 'api', 'java\u2028"x"', 7, ["tcp.bytes higher than average by 4.5 Standard Deviations. tcp.bytes=145 avg_tcp.bytes=100 'stdev_tcp.bytes'=10"]);

describe('hec events', () => {
  it('wraps a finding in a HEC envelope with the ES risk fields', () => {
    const line = hecEvent(F, { source: 'src', sourcetype: 'st', index: 'security' });
    const e = JSON.parse(line) as Record<string, unknown> & { event: Record<string, unknown> };
    expect(Object.keys(e)).toEqual(['time', 'host', 'source', 'sourcetype', 'index', 'event']);
    expect(e.time).toBe(T / 1000);
    expect(line.startsWith(`{"time":${T / 1000}.000,`)).toBe(true);
    expect([e.host, e.source, e.sourcetype, e.index]).toEqual(['prod-eu', 'src', 'st', 'security']);
    expect(e.event).toEqual({
      ...findingRecord(F),
      risk_object: 'prod-eu',
      risk_object_type: 'system',
      risk_score: 20,
      risk_message: 'Kubernetes Anomalous Outbound Network Activity from Process in kubernetes cluster prod-eu',
      search_name: 'ESCU - Kubernetes Anomalous Outbound Network Activity from Process - Rule',
      annotations: { mitre_attack: { mitre_technique_id: ['T1204'] } },
    });
    expect(e.event.rule_id).toBe('dd6afee6-e0a3-4028-a089-f47dd2842c22');
    expect(e.event['source.workload.name']).toBe('api');
    expect(e.event['source.process.name']).toBe('java\u2028"x"');
    expect(e.event).not.toHaveProperty('key');
    expect(e.event).not.toHaveProperty('keyFields');
    expect(line).not.toContain('\n');
  });

  it('carries another built-in rule\'s key fields, identity and search name', () => {
    const inbound = builtinRules().find((r) => r.id === '10442d8b-0701-4c25-911d-d67b906e713c')!;
    const e = JSON.parse(hecEvent(makeFinding(T, 'prod-eu', 'db', 'postgres', 6, ['m'], inbound), { source: 's', sourcetype: 't' })) as { event: Record<string, unknown> };
    expect(e.event).toMatchObject({
      'dest.workload.name': 'db', 'dest.process.name': 'postgres', rule_id: inbound.id, risk_score: 25,
      risk_message: 'Kubernetes Anomalous Inbound Network Activity from Process in kubernetes cluster prod-eu',
      search_name: 'ESCU - Kubernetes Anomalous Inbound Network Activity from Process - Rule',
    });
    expect(e.event).not.toHaveProperty('source.workload.name');
  });

  it('keeps milliseconds of the detection time and leaves index out unless given', () => {
    const f = makeFinding(T + 1234, 'h', 'w', 'p', 6, ['m']);
    const line = hecEvent(f, { source: 's', sourcetype: 't' });
    expect(line.startsWith(`{"time":${(T + 1234 - 234) / 1000}.234,`)).toBe(true);
    expect(JSON.parse(line)).not.toHaveProperty('index');
  });

  it('as a format: one envelope per line, nothing for no findings', () => {
    const out = toHec([F, makeFinding(T, 'h2', 'w', 'p', 6, ['m'])]);
    const lines = out.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines.slice(0, 2).map((l) => (JSON.parse(l) as { host: string }).host)).toEqual(['prod-eu', 'h2']);
    expect((JSON.parse(lines[0]) as { source: string; sourcetype: string }).sourcetype).toBe('egress-anomaly:finding');
    expect(toHec([])).toBe('');
  });
});

describe('hecEndpointOf', () => {
  it.each([
    ['https://splunk:8088', 'https://splunk:8088/services/collector/event', 'https://splunk:8088/services/collector/ack'],
    ['https://splunk:8088/', 'https://splunk:8088/services/collector/event', 'https://splunk:8088/services/collector/ack'],
    ['http://127.0.0.1:8088/services/collector', 'http://127.0.0.1:8088/services/collector/event', 'http://127.0.0.1:8088/services/collector/ack'],
    ['https://h/services/collector/event/', 'https://h/services/collector/event', 'https://h/services/collector/ack'],
    ['https://proxy/splunk', 'https://proxy/splunk/services/collector/event', 'https://proxy/splunk/services/collector/ack'],
  ])('%s', (raw, event, ack) => {
    const e = hecEndpointOf(raw);
    expect(e.event.href).toBe(event);
    expect(e.ack.href).toBe(ack);
  });

  it.each([
    ['splunk:8088', /--hec-url: expected an http or https URL/],
    ['not a url', /--hec-url: expected an http\(s\) URL/],
    ['ftp://h', /--hec-url: expected an http or https URL/],
    ['https://u:secret@h', /--hec-url: must not hold credentials/],
    ['https://h/services/collector/raw', /--hec-url: events go to \/services\/collector\/event/],
    ['https://h/?token=x', /--hec-url: takes no query/],
  ])('refuses %s', (raw, message) => {
    expect(() => hecEndpointOf(raw)).toThrow(message);
  });
});
