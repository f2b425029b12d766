/**
 * Start-up cost, measured: `npm run bench:startup [-- --runs 5]`.
 *
 * On a one-row-group file (generated once into data/bench-startup/), each figure the median of
 * --runs fresh processes, the two builds interleaved so load on the machine hits both alike:
 * - the time to import each worker file: tsc's modules (dist/workers/NAME.js) against the bundle
 *   (NAME.bundle.js), and the main thread's import of the detect command;
 * - whole `detect` processes at 1 and 2 workers, with tsc's workers (a copy of dist/ without the
 *   bundles) and with the bundles;
 * - per worker, when its worker file's modules were read and linked, when they were evaluated, and
 *   when its first task began and ended, in ms since the pool was created; and how long the process
 *   took to get there (benchmarks/startupFirstTask.ts, with EGRESS_ANOMALY_TIMING=1).
 * Writes benchmarks/RESULTS-startup.md.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { median, textTable } from '../src/bench/stats.js';
import { TIMING_ENV } from '../src/pool/workerTiming.js';
import { commitOf } from './commitOf.js';
import { machineInfo } from './machine.js';
import type { FirstTask } from './startupFirstTask.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DATA = join(ROOT, 'data', 'bench-startup');
const FILE = join(DATA, 'day=2026-01-30', 'part-0.parquet');
const WORKERS = ['scan', 'export', 'source'];

interface Build { name: string; root: string }

function node(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ ms: number; out: string }> {
  return new Promise((res, rej) => {
    const t = performance.now();
    const c = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    c.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    c.on('error', rej);
    c.on('close', (code) => (code === 0 ? res({ ms: performance.now() - t, out }) : rej(new Error(`bench:startup: node ${args.join(' ')} exited ${code}: ${err.trim()}`))));
  });
}

/** ms to import `file` in a fresh process, as it reports it itself */
async function importMs(file: string): Promise<number> {
  const code = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  return Number((await node(['--input-type=module', '-e', code])).out);
}

/** dist/ as tsc alone builds it, beside a link to node_modules so its imports resolve */
function tscOnlyCopy(): Build {
  const root = mkdtempSync(join(tmpdir(), 'egress-startup-'));
  cpSync(join(ROOT, 'dist'), join(root, 'dist'), { recursive: true, filter: (p) => !p.includes('.bundle.js') });
  cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  cpSync(join(ROOT, 'rules'), join(root, 'rules'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return { name: 'tsc modules', root };
}

/** runs `measure` `runs` times for every build, interleaved; the median per build */
async function interleaved(builds: Build[], runs: number, measure: (b: Build) => Promise<number>): Promise<number[]> {
  const all = builds.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) for (let i = 0; i < builds.length; i++) all[i].push(await measure(builds[i]));
  return all.map(median);
}

const ms = (x: number) => x.toFixed(0);

async function main(): Promise<void> {
  const { values: v } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const runs = Number(v.runs);
  const cli = (b: Build) => join(b.root, 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(FILE)) {
    await node([cli({ name: '', root: ROOT }), 'export', '--out', DATA, '--days', '1', '--workloads', '3', '--clusters', '1',
      '--end', '2026-01-31T00:00:00Z', '--force', '--quiet']);
  }
  const tsc = tscOnlyCopy();
  const bundled: Build = { name: 'bundles', root: ROOT };
  const builds = [tsc, bundled];
  const sections: string[] = [];
  const show = (title: string, table: string) => {
    process.stdout.write(`\n${title}\n${table}\n`);
    sections.push(`## ${title}\n\n\`\`\`\n${table}\n\`\`\``);
  };
  try {
    const imports: string[][] = [];
    for (const w of WORKERS) {
      const files = [join(ROOT, 'dist', 'workers', `${w}.js`), join(ROOT, 'dist', 'workers', `${w}.bundle.js`)];
      const [a, b] = await interleaved(builds, runs, (x) => importMs(files[builds.indexOf(x)]));
      imports.push([`workers/${w}`, ms(a), ms(b)]);
    }
    const [main] = await interleaved([tsc], runs, () => importMs(join(ROOT, 'dist', 'src', 'cli', 'detectCommand.js')));
    imports.push(['main thread: cli/detectCommand', ms(main), '']);
    show(`Import, ms (median of ${runs} fresh processes)`, textTable(['file', 'tsc modules', 'bundle'], imports));

    const detect: string[][] = [];
    for (const n of [1, 2]) {
      const args = (b: Build) => [cli(b), 'detect', '--data', FILE, '--workers', String(n), '--quiet'];
      const [a, b] = await interleaved(builds, runs, async (x) => (await node(args(x))).ms);
      detect.push([`${n} worker${n === 1 ? '' : 's'}`, ms(a), ms(b)]);
    }
    show(`detect on one row group, wall ms (median of ${runs} processes)`, textTable(['workers', 'tsc modules', 'bundles'], detect));

    for (const n of [1, 2]) {
      const rows: string[][] = [];
      for (const b of builds) {
        const samples: FirstTask[][] = [];
        for (let r = 0; r < runs; r++) {
          const { out } = await node([join(b.root, 'dist', 'benchmarks', 'startupFirstTask.js'), FILE, String(n)], { [TIMING_ENV]: '1' });
          samples.push(out.trim().split('\n').map((l) => JSON.parse(l) as FirstTask));
        }
        for (let k = 0; k < n; k++) {
          const m = (f: (t: FirstTask) => number) => ms(median(samples.filter((s) => s[k]).map((s) => f(s[k]))));
          rows.push([`${b.name}, worker ${k + 1}`, m((t) => t.importMs), m((t) => t.started), m((t) => t.loaded), m((t) => t.taskStart), m((t) => t.taskEnd)]);
        }
      }
      show(`Time to first task, ${n} worker${n === 1 ? '' : 's'}: ms since the pool was created (median of ${runs} processes)`,
        textTable(['build, worker (by first task)', 'to pool', 'linked', 'evaluated', 'task start', 'task end'], rows));
    }
  } finally {
    rmSync(tsc.root, { recursive: true, force: true });
  }
  const m = machineInfo();
  writeFileSync(join(ROOT, 'benchmarks', 'RESULTS-startup.md'), [
    '# Start-up',
    '',
    `\`npm run bench:startup\` at ${commitOf(ROOT)}, ${new Date().toISOString().slice(0, 10)}: ${m.cores} cores (${m.cpuModel}), Node ${m.node}.`,
    `Data: ${FILE.slice(ROOT.length + 1)}, one row group (export --days 1 --workloads 3 --clusters 1).`,
    '"tsc modules" runs a copy of dist/ without the bundles. In the time-to-first-task tables, "to pool" is',
    'the process\'s own imports before it creates the pool; the other columns are ms since then.',
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n'));
}

await main();
