import type { RangeRequest } from '../parquet/byteReader.js';

/**
 * A gap this small between two wanted ranges is cheaper to fetch than a second request (one
 * request's latency costs far more transfer time than 64 KiB), and small against a column chunk,
 * so bytes fetched stay near the wanted bytes.
 */
export const COALESCE_GAP = 64 * 1024;
/** Longer ranges are split, so that one large column chunk is fetched over several connections. */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

/** One ranged request, [start, end) of the object, and the requests whose bytes it carries. */
export interface RangeGroup {
  start: number;
  end: number;
  parts: RangeRequest[];
}

/**
 * Groups requests into ranged requests: sorted by position, merged across gaps up to `maxGap`
 * (overlaps included) while the merged range stays within `maxBytes`, and any longer range cut into
 * pieces of `maxBytes`. Empty requests need no bytes and are left out.
 */
export function coalesceRanges(requests: readonly RangeRequest[], maxGap = COALESCE_GAP, maxBytes = MAX_REQUEST_BYTES): RangeGroup[] {
  const sorted = requests.filter((r) => r.length > 0).sort((a, b) => a.position - b.position);
  const merged: RangeGroup[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    const end = r.position + r.length;
    if (last && r.position <= last.end + maxGap && Math.max(last.end, end) - last.start <= maxBytes) {
      last.end = Math.max(last.end, end);
      last.parts.push(r);
    } else {
      merged.push({ start: r.position, end, parts: [r] });
    }
  }
  const out: RangeGroup[] = [];
  for (const g of merged) {
    if (g.end - g.start <= maxBytes) {
      out.push(g);
      continue;
    }
    for (let s = g.start; s < g.end; s += maxBytes) {
      const e = Math.min(g.end, s + maxBytes);
      out.push({ start: s, end: e, parts: g.parts.filter((p) => p.position < e && p.position + p.length > s) });
    }
  }
  return out;
}

/** Copies bytes that arrived for object offsets [at, at + chunk.length) into every part they overlap. */
export function deliver(parts: readonly RangeRequest[], at: number, chunk: Uint8Array): void {
  const end = at + chunk.length;
  for (const p of parts) {
    const s = Math.max(at, p.position);
    const e = Math.min(end, p.position + p.length);
    if (s < e) p.buffer.set(chunk.subarray(s - at, e - at), p.offset + (s - p.position));
  }
}
