import { describe, expect, it } from 'vitest';
import { MAX_REQUESTS_IN_FLIGHT, requestsInFlight, withRequestSlot } from '../src/io/requestSlots.js';

describe('withRequestSlot', () => {
  it(`runs at most ${MAX_REQUESTS_IN_FLIGHT} at once, in the order they were asked for, and frees slots on failure`, async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const jobs = Array.from({ length: 30 }, (_, i) => withRequestSlot(async () => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5 + (i % 3)));
      running--;
      if (i % 7 === 0) throw new Error(`job ${i}`);
      return i;
    }));
    const results = await Promise.allSettled(jobs);
    expect(peak).toBe(MAX_REQUESTS_IN_FLIGHT);
    expect(started).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(5);
    expect(requestsInFlight()).toBe(0);
  });
});
