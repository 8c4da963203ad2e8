// A bare HTTP server for unit tests of the client: each test scripts the exact bytes and timing.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface RawServer {
  baseUrl: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export type RawHandler = (req: IncomingMessage & { body: string }, res: ServerResponse) => void | Promise<void>;

export async function startRawServer(handler: RawHandler): Promise<RawServer> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    requests.push({ method: req.method!, path: req.url!, headers: req.headers, body });
    try {
      await handler(Object.assign(req, { body }), res);
    } catch {
      res.destroy();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes bytes in chunks of `size`, yielding to the event loop between writes so they go out separately. */
export async function writeChunked(res: ServerResponse, bytes: Buffer, size: number): Promise<void> {
  for (let i = 0; i < bytes.length; i += size) {
    res.write(bytes.subarray(i, i + size));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8' });
}

/** Resolves once `check()` holds (polled every 10 ms); throws after `ms`. For effects that run in the background. */
export async function waitFor(check: () => boolean, ms = 2_000): Promise<void> {
  const until = performance.now() + ms;
  while (!check()) {
    if (performance.now() > until) throw new Error('condition not met in time');
    await tick(10);
  }
}
