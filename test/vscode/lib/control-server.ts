// A loopback HTTP face for the in-process test Dify server, so that code that cannot hold the server object (the
// in-host suites, running in VS Code's extension host) can still queue faults, reset it and read what it received.
//   POST /fault   {"fault": {...Fault}, "match": {...FaultMatch}?}   -> 204   (a RegExp path as {regexp, flags})
//   POST /reset                                                      -> 204
//   GET  /requests                                                   -> RecordedRequest[]
//   GET  /uploads                                                    -> UploadedFile[]
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DifyTestServer, Fault, FaultMatch } from '../../dify-server/server.js';

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export async function startControlServer(dify: DifyTestServer): Promise<ControlServer> {
  const server = createServer((req, res) => {
    const send = (status: number, value?: unknown): void => {
      const bytes = value === undefined ? '' : JSON.stringify(value);
      res.writeHead(status, value === undefined ? {} : { 'Content-Type': 'application/json' });
      res.end(bytes);
    };
    (async () => {
      const route = `${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`;
      switch (route) {
        case 'POST /fault': {
          // A RegExp path travels as { regexp, flags }.
          type WireMatch = Omit<FaultMatch, 'path'> & { path?: string | { regexp: string; flags: string } };
          const { fault, match } = (await body(req)) as { fault: Fault; match?: WireMatch };
          const path = match?.path;
          dify.fault(fault, match && { ...match, path: typeof path === 'object' ? new RegExp(path.regexp, path.flags) : path });
          return send(204);
        }
        case 'POST /reset':
          dify.reset();
          return send(204);
        case 'GET /requests':
          return send(200, dify.requests);
        case 'GET /uploads':
          return send(200, dify.uploads());
        default:
          return send(404, { error: `no route ${route}` });
      }
    })().catch((e: unknown) => send(500, { error: String(e) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
