import { describe, expect, it } from 'vitest';
import { ReadBuffer } from '../src/parquet/readBuffer.js';

describe('ReadBuffer', () => {
  it('hands out views of one growing buffer, exactly as long as asked', () => {
    const b = new ReadBuffer();
    const x = b.take(100);
    expect(x.length).toBe(100);
    expect(b.take(50).buffer).toBe(x.buffer);
    const y = b.take(1000);
    expect(y.length).toBe(1000);
    expect(y.buffer).not.toBe(x.buffer);
    expect(b.take(900).buffer).toBe(y.buffer);
  });
});
