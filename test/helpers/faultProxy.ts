/**
 * An HTTP proxy on 127.0.0.1 in front of a test server (s3rver): it counts what passes (requests,
 * ranged body bytes, requests in flight at once) and can answer a request with an injected error
 * or cut its body off half-way, to test retries and error messages against real client code.
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  range?: string;
}

/** An S3 error answer, or 'cut': pass the answer on but drop the connection half-way through its body. */
export type Fault = { status: number; code: string } | 'cut' | undefined;

export interface FaultProxy {
  endpoint: string;
  requests: SeenRequest[];
  /** body bytes of answers to ranged GETs, as the client received them */
  rangedBytes: number;
  maxInFlight: number;
  /** decides per request; `index` counts from 0 over all requests */
  fault: (req: SeenRequest, index: number) => Fault;
  /** delay before forwarding, so that concurrent requests overlap */
  delayMs: number;
  reset(): void;
  stop(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let inFlight = 0;
  const proxy: FaultProxy = {
    endpoint: '', requests: [], rangedBytes: 0, maxInFlight: 0, fault: () => undefined, delayMs: 0,
    reset() {
      proxy.requests = [];
      proxy.rangedBytes = 0;
      proxy.maxInFlight = 0;
      proxy.fault = () => undefined;
      proxy.delayMs = 0;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const seen: SeenRequest = { method: req.method ?? 'GET', url: req.url ?? '/', ...(req.headers.range ? { range: req.headers.range } : {}) };
    const index = proxy.requests.push(seen) - 1;
    inFlight++;
    proxy.maxInFlight = Math.max(proxy.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const fault = proxy.fault(seen, index);
    setTimeout(() => {
      if (fault && fault !== 'cut') {
        const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${fault.code}</Code><Message>injected by the test</Message></Error>`;
        res.writeHead(fault.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up: IncomingMessage) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        const length = Number(up.headers['content-length'] ?? 0);
        let sent = 0;
        up.on('data', (chunk: Buffer) => {
          if (fault === 'cut' && sent + chunk.length > length / 2) {
            res.write(chunk.subarray(0, Math.max(0, Math.floor(length / 2) - sent)));
            res.socket?.destroy();
            up.destroy();
            return;
          }
          sent += chunk.length;
          if (seen.range) proxy.rangedBytes += chunk.length;
          res.write(chunk);
        });
        up.on('end', () => res.end());
      });
      out.on('error', () => res.destroy());
      req.pipe(out);
    }, proxy.delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
