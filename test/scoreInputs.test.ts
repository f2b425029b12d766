import { describe, expect, it } from 'vitest';
import { ScoreInputError, parseFindings, parseLabels } from '../src/evaluate/scoreInputs.js';

const finding = (host: string, w: string, p: string) => ({ detection_time: '2026-01-03T00:00:00.000Z', host, 'source.workload.name': w, 'source.process.name': p, count: 9, anomalies: [] });

describe('parseFindings', () => {
  it('reads NDJSON, blank lines skipped, and a JSON array, keeping the key fields', () => {
    const ndjson = `${JSON.stringify(finding('c1', 'w', 'p'))}\n\n${JSON.stringify(finding('c2', 'w', 'p'))}\n`;
    expect(parseFindings(ndjson, 'f.ndjson')).toEqual([
      { host: 'c1', 'source.workload.name': 'w', 'source.process.name': 'p' },
      { host: 'c2', 'source.workload.name': 'w', 'source.process.name': 'p' },
    ]);
    expect(parseFindings(`  ${JSON.stringify([finding('c1', 'w', 'p')], null, 2)}\n`, 'f.json')).toHaveLength(1);
    expect(parseFindings('', 'empty.ndjson')).toEqual([]);
  });

  it('names the line of a broken or foreign finding', () => {
    expect(() => parseFindings(`${JSON.stringify(finding('c1', 'w', 'p'))}\n{"host":`, 'f.ndjson')).toThrow(/^score: f\.ndjson line 2: not valid JSON: /);
    const edge = JSON.stringify({ host: 'c1', 'source.workload.name': 'a', 'dest.workload.name': 'b' });
    expect(() => parseFindings(edge, 'f.ndjson')).toThrow(
      'score: f.ndjson line 1: a finding needs the string fields host, source.workload.name, source.process.name, the outbound rule\'s key that the labels name; "source.process.name" is missing',
    );
    expect(() => parseFindings('[1]', 'f.json')).toThrow('score: f.json finding 1: a finding needs the string fields');
    expect(() => parseFindings('[1', 'f.json')).toThrow(ScoreInputError);
  });
});

describe('parseLabels', () => {
  it('reads the labels export writes, and a user\'s with any scenario name', () => {
    const text = JSON.stringify([
      { scenario: 'exfiltration-burst', cluster: 'c', workload: 'w', process: 'p', from: 'x', to: 'y', expectedFinding: true, description: 'd' },
      { scenario: 'my-own', cluster: 'c', workload: 'w2', process: 'p', expectedFinding: false },
    ]);
    expect(parseLabels(text, 'labels.json')).toEqual([
      { scenario: 'exfiltration-burst', cluster: 'c', workload: 'w', process: 'p', expectedFinding: true },
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
  });
});
