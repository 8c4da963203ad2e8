// Bench child: POST /v1/files/upload that parses the multipart body, discards the file bytes while counting them,
// and answers 201 with a Dify-shaped body (CONTRACT.md §3.8). Each upload is reported to the bench over IPC.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { extname } from 'node:path';
import busboy from 'busboy';
import { sendToParent } from './child-process.js';

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/v1/files/upload') {
    req.resume();
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end('{"code": "not_found", "message": "The requested URL was not found on the server.", "status": 404}');
    return;
  }
  let fileBytes = 0;
  let parts = 0;
  let filename = '';
  let mimeType = '';
  let user = '';
  const parser = busboy({ headers: req.headers });
  parser.on('file', (_field, stream, info) => {
    parts++;
    filename = info.filename ?? '';
    mimeType = info.mimeType;
    stream.on('data', (chunk: Buffer) => {
      fileBytes += chunk.length;
    });
  });
  parser.on('field', (field, value) => {
    if (field === 'user') user = value;
  });
  parser.on('close', () => {
    const id = randomUUID();
    const body = {
      id,
      name: filename,
      size: fileBytes,
      extension: extname(filename).slice(1),
      mime_type: mimeType,
      created_by: randomUUID(),
      created_at: Math.floor(Date.now() / 1000),
      preview_url: null,
      source_url: `http://127.0.0.1/files/${id}/file-preview?timestamp=1774094400&nonce=bench&sign=bench`,
      original_url: null,
      user_id: null,
      tenant_id: randomUUID(),
      conversation_id: null,
      file_key: null,
    };
    res.writeHead(201, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
    sendToParent({ type: 'received', fileBytes, parts, filename, mimeType, user });
  });
  parser.on('error', (error: unknown) => {
    res.writeHead(400, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ code: 'invalid_param', message: String(error), status: 400 }));
  });
  req.pipe(parser);
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  sendToParent({ type: 'ready', port: address.port });
});
function shutDown(): void {
  server.closeAllConnections();
  server.close(() => process.exit(0));
}
process.on('SIGTERM', shutDown);
process.on('disconnect', shutDown); // the bench is gone: never outlive it
