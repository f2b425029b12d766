import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, parseNdjson, runCliOk } from './helpers/cli.js';

// The package as a user imports it: by name, through package.json's exports map (self-reference).
const lib = await import('egress-anomaly');

describe('the library entry', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'egress-library-'));
    runCliOk(['export', '--out', dir, '--days', '3', '--workloads', '4', '--clusters', '1', '--end', '2026-01-31T00:00:00Z', '--quiet']);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ships type declarations where package.json says', () => {
    expect(existsSync(join(ROOT, 'dist', 'src', 'index.d.ts'))).toBe(true);
  });

  it('runs the README example and agrees with the CLI', async () => {
    const { createPool, detect, inspectAll, renderFindings, DEFAULT_PARAMS } = lib;
    const files = await inspectAll(dir, DEFAULT_PARAMS.metricPatterns);
    const pool = createPool('scan', 2);
    let ndjson: string;
    try {
      const { findings } = await detect({ files, params: DEFAULT_PARAMS, pool });
      ndjson = String(await renderFindings(findings, 'ndjson'));
    } finally {
      await pool.destroy();
    }
    const cli = runCliOk(['detect', '--data', dir, '--format', 'ndjson', '--quiet']);
    expect(parseNdjson(cli.stdout).length).toBeGreaterThan(0);
    expect(ndjson).toBe(cli.stdout);
  });
});
