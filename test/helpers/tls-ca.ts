// A private certificate authority and a server certificate signed by it, made with the openssl CLI, and an HTTPS
// server that uses them: what a self-hosted Dify behind an internal CA looks like to the client.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawHandler, SeenRequest } from './raw-server.js';

export interface TestPki {
  /** The CA certificate (PEM): what a user would put in the extra CA file. */
  caPem: string;
  /** The server's key and certificate (PEM), for `localhost` and `127.0.0.1` by default. */
  key: string;
  cert: string;
}

/** Makes a CA and a server certificate it signs. Throws when openssl is missing (CI installs it). */
export function createTestPki(caName = 'Test Dify CA', hosts: string[] = ['localhost', '127.0.0.1']): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'dify-pki-'));
  try {
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    ssl('req', '-x509', ...ec, '-days', '2', '-subj', `/CN=${caName}`, '-keyout', 'ca.key', '-out', 'ca.pem');
    ssl('req', ...ec, '-subj', `/CN=${hosts[0] ?? 'localhost'}`, '-keyout', 'server.key', '-out', 'server.csr');
    const san = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
    writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=${san}\n`);
    ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext.cnf', '-out', 'server.pem');
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    return { caPem: read('ca.pem'), key: read('server.key'), cert: read('server.pem') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface HttpsTestServer {
  /** `https://127.0.0.1:<port>/v1` */
  baseUrl: string;
  port: number;
  requests: SeenRequest[];
  close(): Promise<void>;
}

const infoOk: RawHandler = (_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end('{"name": "tls ok"}');
};

/** An HTTPS server on 127.0.0.1 with the PKI's server certificate. By default it answers `{"name": "tls ok"}`. */
export async function startHttpsServer(pki: TestPki, handler: RawHandler = infoOk): Promise<HttpsTestServer> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer({ key: pki.key, cert: pki.cert }, async (req, res) => {
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
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A client that rejects our certificate makes the handshake fail; that is the test's business, not an error here.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `https://127.0.0.1:${port}/v1`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
