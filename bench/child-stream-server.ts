// Bench child: serves the recorded chat stream from memory as POST /v1/chat-messages, in fixed-size writes that
// respect backpressure. A process of its own, so the bench's event loop spends its time on the client only.
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import { sendToParent } from './child-process.js';
import { buildChatStream } from './stream-fixture.js';

const minBytes = Number(process.argv[2]);
const writeSize = Number(process.argv[3]);
const fixture = buildChatStream(minBytes);
const body = fixture.body;

async function writeStream(res: ServerResponse): Promise<void> {
  for (let offset = 0; offset < body.length && !res.destroyed; offset += writeSize) {
    if (!res.write(body.subarray(offset, offset + writeSize))) await once(res, 'drain');
  }
  res.end();
}

const server = createServer((req, res) => {
  req.resume(); // the JSON request body is not needed
  req.on('end', () => {
    if (req.method !== 'POST' || req.url !== '/v1/chat-messages') {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"code": "not_found", "message": "The requested URL was not found on the server.", "status": 404}');
      return;
    }
    // As Dify sends it: no Content-Length, so chunked transfer encoding.
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
    writeStream(res).catch(() => res.destroy());
  });
});
server.keepAliveTimeout = 60_000;

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  sendToParent({ type: 'ready', port: address.port, bytes: body.length, sha256: fixture.sha256 });
});
function shutDown(): void {
  server.closeAllConnections();
  server.close(() => process.exit(0));
}
process.on('SIGTERM', shutDown);
process.on('disconnect', shutDown); // the bench is gone: never outlive it
