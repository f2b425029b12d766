// Bundles each worker entry into one ESM file beside its tsc output (dist/workers/NAME.bundle.js):
// a worker thread then loads one file instead of a few hundred modules, which is most of its start-up.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const parquetWasm = (file) => ({
  name: 'parquet-wasm-esm',
  setup(b) {
    b.onResolve({ filter: /^parquet-wasm$/ }, () => ({ path: fileURLToPath(new URL(file, import.meta.url)) }));
  },
});

const bundle = (workers, parquetWasmFile) => build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(workers.map((w) => [`${w}.bundle`, `workers/${w}.ts`])),
  outdir: 'dist/workers',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // Piscina.move() marks results with a per-module symbol that only the worker's own copy of
  // piscina recognises.
  // The AWS SDK (megabytes of modules) is imported only when an s3:// input is opened; bundled, a
  // worker would parse it at start-up for every run.
  external: ['piscina', '@aws-sdk/*'],
  plugins: [parquetWasm(parquetWasmFile)],
  // CommonJS dependencies bundled into ESM still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
});

// the scan worker compiles parquet-wasm only if a row group needs it; the writers always do
await Promise.all([bundle(['scan'], 'parquetWasmLazy.mjs'), bundle(['export', 'source'], 'parquetWasmEsm.mjs')]);
