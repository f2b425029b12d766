// What the worker bundles get for `parquet-wasm`: its ESM build, bundled, with the .wasm read from
// the installed package. Its node build is CommonJS that finds the .wasm through __dirname, so it
// could not be bundled, and loading it from ESM costs a CommonJS export scan of its 100 kB.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync } from 'parquet-wasm/esm';

initSync({ module: readFileSync(createRequire(import.meta.url).resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });

export * from 'parquet-wasm/esm';
