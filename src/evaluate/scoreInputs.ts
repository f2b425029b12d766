import type { FindingKey, LabelKey } from './matchLabel.js';

/** A label as score reads it: the generator's labels.json entries, or a user's in that shape. */
export interface ScoredLabel extends LabelKey {
  scenario: string;
  expectedFinding: boolean;
}

export class ScoreInputError extends Error {}

const KEY_FIELDS = ['host', 'source.workload.name', 'source.process.name'] as const;

function findingOf(v: unknown, where: string): FindingKey {
  const o = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  const missing = o ? KEY_FIELDS.find((k) => typeof o[k] !== 'string') : 'host';
  if (missing !== undefined) {
    throw new ScoreInputError(`score: ${where}: a finding needs the string fields ${KEY_FIELDS.join(', ')}, the outbound rule's key that the labels name; ` +
      `${o ? `"${missing}" is ${o[missing] === undefined ? 'missing' : `not a string`}` : 'got no object'}`);
  }
  return { host: o!.host as string, 'source.workload.name': o!['source.workload.name'] as string, 'source.process.name': o!['source.process.name'] as string };
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ScoreInputError(`score: ${where}: not valid JSON: ${(e as Error).message}`);
  }
}

/** detect's or hunt's findings as NDJSON (one per line) or JSON (one array): their key fields. */
export function parseFindings(text: string, file: string): FindingKey[] {
  if (text.trimStart().startsWith('[')) {
    const all = parseJson(text, file);
    if (!Array.isArray(all)) throw new ScoreInputError(`score: ${file}: expected an array of findings`);
    return all.map((v, i) => findingOf(v, `${file} finding ${i + 1}`));
  }
  const out: FindingKey[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() !== '') out.push(findingOf(parseJson(line, `${file} line ${i + 1}`), `${file} line ${i + 1}`));
  });
  return out;
}

/** labels.json: an array of { scenario, cluster, workload, process, expectedFinding, ... }. */
export function parseLabels(text: string, file: string): ScoredLabel[] {
  const all = parseJson(text, file);
  if (!Array.isArray(all)) throw new ScoreInputError(`score: ${file}: expected an array of labels, as export writes to labels.json`);
  return all.map((v, i) => {
    const where = `score: ${file} label ${i + 1}`;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ScoreInputError(`${where}: expected an object`);
    const o = v as Record<string, unknown>;
    for (const k of ['scenario', 'cluster', 'workload', 'process']) {
      if (typeof o[k] !== 'string' || (k === 'scenario' && o[k] === '')) throw new ScoreInputError(`${where}: field "${k}" must be a ${k === 'scenario' ? 'non-empty ' : ''}string, got ${JSON.stringify(o[k]) ?? 'nothing'}`);
    }
    if (typeof o.expectedFinding !== 'boolean') throw new ScoreInputError(`${where}: field "expectedFinding" must be true or false, got ${JSON.stringify(o.expectedFinding) ?? 'nothing'}`);
    return { scenario: o.scenario as string, cluster: o.cluster as string, workload: o.workload as string, process: o.process as string, expectedFinding: o.expectedFinding };
  });
}
