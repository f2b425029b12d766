/**
 * At most this many object-storage requests in flight per thread (each scan worker, and the main
 * thread while it reads footers): enough to hide a request's latency behind the others, few enough
 * that N workers open at most 8 N connections and a throttled bucket sees a bounded burst.
 */
export const MAX_REQUESTS_IN_FLIGHT = 8;

let active = 0;
const waiting: (() => void)[] = [];

/** Runs `fn` once fewer than MAX_REQUESTS_IN_FLIGHT others run, in the order callers asked. */
export async function withRequestSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (active >= MAX_REQUESTS_IN_FLIGHT) await new Promise<void>((resolve) => waiting.push(resolve));
  else active++;
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else active--;
  }
}

/** Requests in flight now, for tests. */
export function requestsInFlight(): number {
  return active;
}
