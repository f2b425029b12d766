import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { compareFindings } from './reference/compareFindings.js';
import { closeReference, type Finding } from './reference/duckdbRule.js';
import { goldenArgs, goldenExpected } from './reference/goldenExpected.js';

/**
 * Golden fixtures: each folder holds Parquet data, the CLI arguments, and the findings an
 * independent implementation (the DuckDB SQL port in test/reference) computed for them.
 * GOLDEN_UPDATE=1 rewrites each expected.json from that reference, never from the tool. Numbers
 * are compared as the differential test does (the reference may differ in the last digit).
 */
const ROOT = 'test/fixtures/golden';

afterAll(() => closeReference());

describe('golden fixtures', () => {
  for (const name of readdirSync(ROOT).sort()) {
    it(name, async () => {
      const dir = join(ROOT, name);
      const reference = await goldenExpected(dir);
      if (process.env.GOLDEN_UPDATE === '1') writeFileSync(join(dir, 'expected.json'), `${JSON.stringify(reference.findings, null, 2)}\n`);
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Finding[];
      // a fixture expecting nothing would pass for a tool that finds nothing
      expect(expected.length).toBeGreaterThan(0);
      expect(compareFindings(reference.findings, expected, reference.at).problems, 'expected.json against the reference').toEqual([]);
      const r = runCli(['detect', '--data', join(dir, 'data'), '--format', 'json', '--quiet', ...goldenArgs(dir)]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(compareFindings(expected, JSON.parse(r.stdout), reference.at).problems).toEqual([]);
    });
  }
});
