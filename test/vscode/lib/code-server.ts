// code-server 4.100.3 (= VS Code 1.100.3 with a real Node extension host) on loopback, for the tests: started in a
// process group of its own (it forks a file watcher and one extension host per window) and stopped as a group.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CodeServerOptions {
  /** The code-server executable (node_modules/.bin/code-server of the install dir). */
  bin: string;
  userDataDir: string;
  extensionsDir: string;
  /** The folder the server opens by default. */
  folder: string;
  /** User settings (written to <userDataDir>/User/settings.json). */
  settings: Record<string, unknown>;
  /** Extra environment for the server and so for its extension hosts. */
  env?: Record<string, string>;
  /** code-server's stdout and stderr go there. */
  logFile: string;
}

export interface WorkbenchUrlOptions {
  folder?: string;
  /** Absolute path of an extension folder to load as in an Extension Development Host. */
  extensionDevelopmentPath?: string;
  /** Absolute path of the module (no .js) whose `run()` the extension host calls, then reports the exit code. */
  extensionTestsPath?: string;
}

export interface CodeServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  pid: number;
  /** The workbench URL with a folder and, optionally, extensionDevelopmentPath/extensionTestsPath in its payload. */
  workbenchUrl(options?: WorkbenchUrlOptions): string;
  /** Stops the whole process group (SIGTERM, then SIGKILL after 5 s); resolves when no process of it is left. */
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  for (const d of [options.userDataDir, options.extensionsDir, options.folder]) mkdirSync(d, { recursive: true });
  mkdirSync(join(options.userDataDir, 'User'), { recursive: true });
  writeFileSync(join(options.userDataDir, 'User', 'settings.json'), JSON.stringify(options.settings, null, 2));
  if (!existsSync(options.bin)) throw new Error(`code-server not found at ${options.bin}`);

  const args = [
    '--config', '/dev/null',
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
    options.folder,
  ];
  const log = createWriteStream(options.logFile);
  // detached: setsid, so that the server, its watcher and its extension hosts share a process group we can kill.
  const child: ChildProcess = spawn(options.bin, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const pgid = child.pid!;
  // Should this process die without stopping it, take the group down too.
  const onExit = (): void => killGroup(pgid, 'SIGKILL');
  process.on('exit', onExit);

  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const origin = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s; log: ${options.logFile}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      log.write(chunk);
      out += chunk.toString();
      const m = /HTTP server listening on (http:\/\/[^\s/]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}) before listening:\n${out || readFileSync(options.logFile, 'utf8')}`));
    });
  });

  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok) break;
    } catch {
      // not yet
    }
    if (exited !== undefined) throw new Error(`code-server exited (${exited}); log: ${options.logFile}`);
    if (Date.now() > deadline) throw new Error(`code-server's /healthz did not answer within 30 s; log: ${options.logFile}`);
    await sleep(100);
  }

  const authority = new URL(origin).host;
  const remote = (p: string): string => `vscode-remote://${authority}${p}`;
  return {
    origin,
    pid: pgid,
    workbenchUrl({ folder = options.folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
      const payload: [string, string][] = [];
      if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
      if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
      const query = `folder=${encodeURIComponent(folder)}` + (payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '');
      return `${origin}/?${query}`;
    },
    async stop() {
      killGroup(pgid, 'SIGTERM');
      const end = Date.now() + 5_000;
      while (groupAlive(pgid) && Date.now() < end) await sleep(100);
      if (groupAlive(pgid)) killGroup(pgid, 'SIGKILL');
      while (groupAlive(pgid)) await sleep(50);
      process.off('exit', onExit);
      await new Promise<void>((r) => log.end(r));
    },
  };
}
