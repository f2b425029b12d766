/**
 * A loopback stand-in for Splunk's HTTP Event Collector: it answers as HEC does, records every
 * request (headers, gunzipped body) and counts the events it accepted.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface HecRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** the body as sent (gzip bytes when Content-Encoding is gzip) */
  raw: Buffer;
  /** decoded body */
  body: string;
}

/** What to answer: a status and Splunk's {"text","code"} (plus ackId), or drop the connection. */
export type HecReply = { status: number; text: string; code: number; extra?: Record<string, unknown>; headers?: Record<string, string> } | 'drop';

export const REPLIES = {
  success: { status: 200, text: 'Success', code: 0 },
  busy: { status: 503, text: 'Server is busy', code: 9 },
  tooMany: { status: 429, text: 'Too many requests', code: 9 },
  invalidToken: { status: 401, text: 'Invalid token', code: 4 },
  invalidFormat: { status: 400, text: 'Invalid data format', code: 6 },
  tokenDisabled: { status: 403, text: 'Token disabled', code: 1 },
  channelMissing: { status: 400, text: 'Data channel is missing', code: 10 },
} as const;

export interface HecServer {
  url: string;
  requests: HecRequest[];
  /** events HEC accepted (answered 200), as parsed envelopes, in order of arrival */
  accepted: Record<string, unknown>[];
  /** per event request, in order; the default answers success (with an ackId when a channel is sent) */
  script: HecReply[];
  /** ack queries: how many answer "not yet" before an ackId reads true */
  ackPending: number;
  close(): Promise<void>;
}

function reply(res: ServerResponse, r: Exclude<HecReply, 'drop'>): void {
  res.writeHead(r.status, { 'Content-Type': 'application/json', ...r.headers });
  res.end(JSON.stringify({ text: r.text, code: r.code, ...r.extra }));
}

/** Splits a body of concatenated JSON objects (newline-separated here) into the objects. */
function envelopes(body: string): Record<string, unknown>[] {
  return body.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

export async function startHecServer(opts: { token: string; ackEnabled?: boolean }): Promise<HecServer> {
  let nextAckId = 0;
  const ackQueries = new Map<number, number>();
  const state: HecServer = {
    url: '', requests: [], accepted: [], script: [], ackPending: 0,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
    const path = req.url ?? '';
    state.requests.push({ method: req.method ?? '', path, headers: req.headers, raw, body });
    if (req.headers.authorization !== `Splunk ${opts.token}`) return reply(res, REPLIES.invalidToken);
    const channel = req.headers['x-splunk-request-channel'];
    if (path === '/services/collector/ack') {
      if (!opts.ackEnabled) return reply(res, { status: 400, text: 'ACK is disabled', code: 14 });
      const ids = (JSON.parse(body) as { acks: number[] }).acks;
      const acks: Record<string, boolean> = {};
      for (const id of ids) {
        const n = (ackQueries.get(id) ?? 0) + 1;
        ackQueries.set(id, n);
        acks[String(id)] = n > state.ackPending;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ acks }));
      return;
    }
    if (path !== '/services/collector/event') return reply(res, { status: 404, text: 'The requested URL was not found on this server.', code: 404 });
    const r = state.script.shift() ?? REPLIES.success;
    if (r === 'drop') {
      req.socket.destroy();
      return;
    }
    if (r.status !== 200) return reply(res, r);
    if (opts.ackEnabled && !channel) return reply(res, REPLIES.channelMissing);
    let events: Record<string, unknown>[];
    try {
      events = envelopes(body);
    } catch {
      return reply(res, REPLIES.invalidFormat);
    }
    state.accepted.push(...events);
    reply(res, { ...r, extra: opts.ackEnabled ? { ackId: nextAckId++ } : undefined });
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
