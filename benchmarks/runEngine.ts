/**
 * One engine, one run, in its own process so that the harness measures its wall time and peak RSS
 * alike for every engine:
 *
 *   node dist/benchmarks/runEngine.js duckdb|duckdb-exact|polars|floor --data DIR --at EPOCH_MS --threads N
 *
 * duckdb is the plain query (duckdbPlainRule.ts), duckdb-exact the exact variant (duckdbRule.ts).
 * duckdb, duckdb-exact and polars print their findings as NDJSON on stdout (the CLI's `--format ndjson` shape);
 * floor prints one JSON object (rows decoded, bytes, tasks). Polars takes its thread count from
 * POLARS_MAX_THREADS, which the harness sets.
 */
import { DEFAULT_RULE } from './ruleFindings.js';

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i < 0 ? undefined : process.argv[i + 1];
  if (v === undefined) throw new Error(`runEngine: --${name} is required`);
  return v;
}

async function write(text: string): Promise<void> {
  await new Promise<void>((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
}

async function main(): Promise<void> {
  const engine = process.argv[2];
  const data = arg('data');
  const atMs = Number(arg('at'));
  const threads = Number(arg('threads'));
  if (!Number.isSafeInteger(atMs) || !Number.isInteger(threads) || threads < 1) throw new Error('runEngine: bad --at or --threads');
  const settings = { ...DEFAULT_RULE, atMs };
  if (engine === 'duckdb') {
    const { duckdbPlainDetect } = await import('./duckdbPlainRule.js');
    const r = await duckdbPlainDetect(data, settings, threads);
    await write(r.findings.map((f) => JSON.stringify(f) + '\n').join(''));
  } else if (engine === 'duckdb-exact') {
    const { duckdbDetect } = await import('./duckdbRule.js');
    const r = await duckdbDetect(data, settings, threads);
    await write(r.findings.map((f) => JSON.stringify(f) + '\n').join(''));
  } else if (engine === 'polars') {
    if (process.env.POLARS_MAX_THREADS !== String(threads)) throw new Error('runEngine: set POLARS_MAX_THREADS to --threads');
    const { polarsDetect } = await import('./polarsRule.js');
    const r = await polarsDetect(data, settings);
    await write(r.findings.map((f) => JSON.stringify(f) + '\n').join(''));
  } else if (engine === 'floor') {
    const { decodeFloor } = await import('./floor.js');
    await write(JSON.stringify(await decodeFloor(data, atMs, threads)) + '\n');
  } else {
    throw new Error(`runEngine: unknown engine "${engine}" (duckdb, duckdb-exact, polars or floor)`);
  }
}

main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`runEngine ${process.argv[2]}: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
