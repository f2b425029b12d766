import { readParquet, wasmMemory } from 'parquet-wasm';
import { parseRecordBatch } from 'arrow-js-ffi';
import type { RecordBatch } from 'apache-arrow';

const BATCH_ROWS = 1 << 20;

/**
 * Decodes a Parquet buffer (optionally some row groups) and hands each batch to `visit` as
 * zero-copy views into wasm memory. The views die when `visit` returns: any later call into
 * parquet-wasm may grow and move that memory.
 */
export function decodeParquet(bytes: Uint8Array, rowGroups: number[] | undefined, visit: (batch: RecordBatch) => void): void {
  const table = readParquet(bytes, rowGroups ? { batchSize: BATCH_ROWS, rowGroups } : { batchSize: BATCH_ROWS });
  const stream = table.intoFFI();
  try {
    const n = stream.numArrays();
    for (let i = 0; i < n; i++) {
      const batch = parseRecordBatch(wasmMemory().buffer, stream.arrayAddr(i), stream.schemaAddr(), false);
      visit(batch);
    }
  } finally {
    stream.free();
  }
}
