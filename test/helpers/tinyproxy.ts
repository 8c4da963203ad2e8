// A real forward proxy for the dispatcher tests: Debian's tinyproxy (apt-get install tinyproxy), one private instance
// per call on a free port, in the foreground, with its config and log in a temp dir. Its log shows every request it
// handled: `Request (file descriptor 5): GET http://127.0.0.1:1234/v1/info HTTP/1.1` or `... CONNECT 127.0.0.1:4321 HTTP/1.1`.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface TinyproxyOptions {
  /** tinyproxy `BasicAuth user password`: then it answers 407 without credentials. tinyproxy allows [-a-z0-9._] only. */
  basicAuth?: { user: string; password: string };
  /** tinyproxy `ConnectPort` lines: the ports CONNECT may tunnel to (any other gets 403). Unset: all. */
  connectPorts?: number[];
}

export interface Tinyproxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** `127.0.0.1:<port>`, as errors name it. */
  host: string;
  /** The log so far. */
  log(): string;
  /** How many log lines contain `text`. */
  count(text: string): number;
  /** Waits until the log has more than `before` lines containing `text` (tinyproxy logs as it goes). */
  waitForCount(text: string, before: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

/** The tinyproxy binary, or undefined when it is not installed. */
export function findTinyproxy(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'tinyproxy');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  return undefined;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startTinyproxy(options: TinyproxyOptions = {}): Promise<Tinyproxy> {
  const bin = findTinyproxy();
  if (!bin) throw new Error('tinyproxy is not installed (apt-get install -y tinyproxy)');
  const dir = mkdtempSync(join(tmpdir(), 'dify-tinyproxy-'));
  const logFile = join(dir, 'tinyproxy.log');
  const port = await freePort();
  const lines = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 30',
    `LogFile "${logFile}"`,
    'LogLevel Connect',
    'MaxClients 50',
    'Allow 127.0.0.1',
  ];
  if (options.basicAuth) lines.push(`BasicAuth ${options.basicAuth.user} ${options.basicAuth.password}`);
  for (const p of options.connectPorts ?? []) lines.push(`ConnectPort ${p}`);
  const config = join(dir, 'tinyproxy.conf');
  writeFileSync(config, `${lines.join('\n')}\n`);

  const child = spawn(bin, ['-d', '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const stop = async () => {
    if (running) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  // Ready when the port accepts connections.
  const deadline = Date.now() + 5000;
  for (;;) {
    if (!running) {
      const why = `${output}${log()}`.trim();
      await stop();
      throw new Error(`tinyproxy exited at start: ${why}`);
    }
    if (await canConnect(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`tinyproxy did not listen on ${port} within 5 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }

  const count = (text: string) => log().split('\n').filter((l) => l.includes(text)).length;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    host: `127.0.0.1:${port}`,
    log,
    count,
    async waitForCount(text, before, timeoutMs = 2000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const n = count(text);
        if (n > before || Date.now() > until) return n;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop,
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
