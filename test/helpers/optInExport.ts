/**
 * The generator's opt-in scenario options (--busy-hours, --weekly-batches, --slow-drips) through
 * the command line: one export with the option, one with it at 0, and the refusals they share.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import type { ScenarioLabel } from '../../src/source/generator/generatorTypes.js';
import { runCli, runCliOk } from './cli.js';

/** A fresh temporary folder per call, all removed after the file's tests. */
export function tempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}

export interface ExportedData {
  out: string;
  labels: ScenarioLabel[];
  /** the manifest's generator configuration */
  config: Record<string, unknown>;
}

function exported(out: string): ExportedData {
  const labels = JSON.parse(readFileSync(join(out, 'labels.json'), 'utf8')) as ScenarioLabel[];
  const config = (JSON.parse(readFileSync(join(out, '_export.json'), 'utf8')) as { config: Record<string, unknown> }).config;
  return { out, labels, config };
}

/** `export --<option> count` with `args`, and `export --<option> 0` with `plainArgs`. */
export function exportOptIn(tmp: () => string, option: string, count: number, args: string[], plainArgs: string[] = args):
  { opted: ExportedData; plain: ExportedData } {
  const opted = tmp();
  const plain = tmp();
  runCliOk(['export', '--out', opted, `--${option}`, String(count), ...args]);
  runCliOk(['export', '--out', plain, `--${option}`, '0', ...plainArgs]);
  return { opted: exported(opted), plain: exported(plain) };
}

/** Each count of `badCounts`, and the option with the other sources: refused as usage errors naming the option. */
export function expectOptInRefused(tmp: () => string, option: string, badCounts: string[]): void {
  const out = tmp();
  for (const n of badCounts) {
    const bad = runCli(['export', '--out', out, `--${option}`, n, '--days', '1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`--${option}`);
  }
  for (const [source, file] of [['otlp', 'x.json'], ['splunk-csv', 'x.csv']]) {
    const other = runCli(['export', '--source', source!, '--in', join(out, file!), '--out', out, `--${option}`, '1']);
    expect(other.status).toBe(2);
    expect(other.stderr).toContain(`--${option}`);
  }
}
