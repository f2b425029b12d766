import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

/**
 * Golden fixtures: each folder holds Parquet data, the CLI arguments, and the findings an
 * independent implementation (the DuckDB SQL port in test/reference) computed for them.
 */
const ROOT = 'test/fixtures/golden';

describe('golden fixtures', () => {
  for (const name of readdirSync(ROOT).sort()) {
    it(name, () => {
      const dir = join(ROOT, name);
      const args = JSON.parse(readFileSync(join(dir, 'args.json'), 'utf8')) as string[];
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as unknown;
      const r = runCli(['detect', '--data', join(dir, 'data'), '--format', 'json', '--quiet', ...args]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(expected);
    });
  }
});
