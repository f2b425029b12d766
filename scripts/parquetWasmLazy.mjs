// What the scan worker bundle gets for `parquet-wasm`: the two functions it calls, compiling the
// 5 MB module on the first call rather than at start-up. Most row groups (every one of the
// exporter's, and DuckDB's) never need it: the built-in decoder takes them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync, readParquet as read, wasmMemory as memory } from 'parquet-wasm/esm';

let ready = false;

function init() {
  if (ready) return;
  initSync({ module: readFileSync(createRequire(import.meta.url).resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });
  ready = true;
}

export function readParquet(...args) {
  init();
  return read(...args);
}

export function wasmMemory() {
  init();
  return memory();
}
