// Bench child: serves the big-event and small-events workflow streams (big-event-fixture.ts) from memory as
// POST /v1/workflows/run, in fixed-size writes that respect backpressure; `inputs.shape` ("big" | "small") picks one.
// A process of its own, so the reader's event loop spends its time on the client only.
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import { buildBigEventStreams, type BigEventShape } from './big-event-fixture.js';
import { sendToParent } from './child-process.js';

const textBytes = Number(process.argv[2]);
const writeSize = Number(process.argv[3]);
const fixture = buildBigEventStreams(textBytes);

async function writeStream(res: ServerResponse, body: Buffer): Promise<void> {
  for (let offset = 0; offset < body.length && !res.destroyed; offset += writeSize) {
    if (!res.write(body.subarray(offset, offset + writeSize))) await once(res, 'drain');
  }
  res.end();
}

function shapeOf(json: string): BigEventShape | undefined {
  try {
    const shape = (JSON.parse(json) as { inputs?: { shape?: unknown } }).inputs?.shape;
    return shape === 'big' || shape === 'small' ? shape : undefined;
  } catch {
    return undefined;
  }
}

const server = createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (chunk: Buffer) => parts.push(chunk));
  req.on('end', () => {
    const shape = shapeOf(Buffer.concat(parts).toString('utf8'));
    if (req.method !== 'POST' || req.url !== '/v1/workflows/run' || !shape) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"code": "not_found", "message": "The requested URL was not found on the server.", "status": 404}');
      return;
    }
    // As Dify sends it: no Content-Length, so chunked transfer encoding.
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
    writeStream(res, fixture[shape].body).catch(() => res.destroy());
  });
});
server.keepAliveTimeout = 60_000;

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  sendToParent({ type: 'ready', port: address.port, bigSha256: fixture.big.sha256, smallSha256: fixture.small.sha256 });
});
function shutDown(): void {
  server.closeAllConnections();
  server.close(() => process.exit(0));
}
process.on('SIGTERM', shutDown);
process.on('disconnect', shutDown); // the bench is gone: never outlive it
