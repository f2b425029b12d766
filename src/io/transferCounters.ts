/**
 * Bytes and requests that object-storage reads cost, per thread. A scan worker hands what it
 * fetched back with each task's stats (takeTransferCounts); the main thread adds those to its own
 * (addTransfers), so transferTotals() is what the whole process fetched.
 */
export interface TransferCounts {
  bytesFetched: number;
  requests: number;
}

const total: TransferCounts = { bytesFetched: 0, requests: 0 };
const pending: TransferCounts = { bytesFetched: 0, requests: 0 };

export function countTransfer(bytesFetched: number, requests: number): void {
  total.bytesFetched += bytesFetched;
  total.requests += requests;
  pending.bytesFetched += bytesFetched;
  pending.requests += requests;
}

/** What this thread fetched since the last call; undefined when nothing was. */
export function takeTransferCounts(): TransferCounts | undefined {
  if (pending.requests === 0 && pending.bytesFetched === 0) return undefined;
  const out = { ...pending };
  pending.bytesFetched = 0;
  pending.requests = 0;
  return out;
}

/** Counts another thread reported (a scan task's stats), into this thread's totals. */
export function addTransfers(c: { bytesFetched?: number; requests?: number }): void {
  total.bytesFetched += c.bytesFetched ?? 0;
  total.requests += c.requests ?? 0;
}

export function transferTotals(): TransferCounts {
  return { ...total };
}

const MIB = 1024 * 1024;
const mib = (n: number) => `${(n / MIB).toFixed(n < 10 * MIB ? 2 : 1)} MiB`;

/** "fetched 1.20 MiB of 4.02 MiB stored (29.9%) in 31 requests", or '' when nothing was fetched. */
export function describeTransfers(c: TransferCounts, storedBytes: number): string {
  if (c.requests === 0) return '';
  const share = storedBytes > 0 ? ` (${((100 * c.bytesFetched) / storedBytes).toFixed(1)}%)` : '';
  return `fetched ${mib(c.bytesFetched)} of ${mib(storedBytes)} stored${share} in ${c.requests} request${c.requests === 1 ? '' : 's'}`;
}
