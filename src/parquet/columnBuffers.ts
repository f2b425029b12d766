/**
 * Output storage one column slot reuses from row group to row group. Data returned by
 * decodeColumnChunk(..., buffers) lives in these buffers: the next call with the same
 * ColumnBuffers overwrites its values, validity bitmap and string dictionary. Keep one per column
 * the caller reads, and fold a row group before decoding the next.
 */
import { ByteDictionary } from './byteDictionary.js';

export class ColumnBuffers {
  private values = new ArrayBuffer(0);
  private bitmap = new Uint8Array(0);
  /** @internal */
  readonly dictionary = new ByteDictionary();

  /** @internal an ArrayBuffer of at least `bytes` bytes (contents unspecified) */
  valueBytes(bytes: number): ArrayBuffer {
    if (this.values.byteLength < bytes) this.values = new ArrayBuffer(Math.max(bytes, Math.ceil(this.values.byteLength * 1.5)));
    return this.values;
  }

  /** @internal a zeroed bitmap of `bytes` bytes */
  validity(bytes: number): Uint8Array {
    if (this.bitmap.length < bytes) this.bitmap = new Uint8Array(Math.max(bytes, Math.ceil(this.bitmap.length * 1.5)));
    const b = this.bitmap.subarray(0, bytes);
    b.fill(0);
    return b;
  }
}
