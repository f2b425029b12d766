/**
 * Memory readColumnChunks may reuse from row group to row group: chunk bytes read into a
 * ReadBuffer are overwritten by the next read into the same one (decode a row group's chunks
 * before reading the next group's).
 */
export class ReadBuffer {
  private bytes = new Uint8Array(0);

  /** @internal `size` bytes (contents unspecified) */
  take(size: number): Uint8Array {
    if (this.bytes.length < size) this.bytes = new Uint8Array(Math.max(size, Math.ceil(this.bytes.length * 1.25)));
    return this.bytes.subarray(0, size);
  }
}
