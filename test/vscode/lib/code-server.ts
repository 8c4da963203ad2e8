// code-server (= a real VS Code with a real Node extension host) on loopback, for the tests: the oldest VS Code the
// extension supports (4.100.3 = 1.100.3, on the system's Node) and the current one (4.139.1 = 1.139.1, on Node 24 from
// npm), both installed by test/vscode/setup-code-server.sh. Started in a process group of its own (it forks a file
// watcher and one extension host per window) and stopped as a group.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One installed code-server: which VS Code, and how to start it. */
export interface CodeServerInstall {
  /** code-server's version, e.g. '4.139.1'. */
  version: string;
  /** The VS Code inside it, e.g. '1.139.1'. */
  vscode: string;
  /** The Node that runs it (its extension hosts too: code-server forks them with its own Node). */
  node: string;
  /** Its entry script, node_modules/code-server/out/node/entry.js (the launcher's `#!/usr/bin/env node` would pick
   *  whatever Node is first on PATH). */
  entry: string;
}

/** Which VS Code a run uses: the oldest the extension supports (engines ^1.95), or the current one people run. */
export type VsCodeChannel = 'oldest' | 'current';

/**
 * The two code-servers setup-code-server.sh installs into `cacheDir` (<repo>/.cache unless DIFY_VSCODE_CACHE says
 * otherwise); keep the versions and folders in step with that script.
 */
export function codeServerInstalls(cacheDir: string): Record<VsCodeChannel, CodeServerInstall> {
  const entry = (dir: string): string => join(cacheDir, dir, 'node_modules/code-server/out/node/entry.js');
  return {
    // The newest code-server whose engines accept Node 20: the Node running the tests (setup built it with that).
    oldest: { version: '4.100.3', vscode: '1.100.3', node: process.execPath, entry: entry('code-server') },
    current: { version: '4.139.1', vscode: '1.139.1', node: join(cacheDir, 'node24/package/bin/node'), entry: entry('code-server-4.139.1') },
  };
}

/** "code-server 4.139.1 (VS Code 1.139.1)" */
export const describeInstall = (install: CodeServerInstall): string => `code-server ${install.version} (VS Code ${install.vscode})`;

function versionAtLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** The command line that runs `install` with `args`. */
function command(install: CodeServerInstall, args: string[]): [string, string[]] {
  return [install.node, [install.entry, '--config', '/dev/null', ...args]];
}

/** Installs a .vsix into `extensionsDir` as a person does (`code-server --install-extension x.vsix`). */
export function installExtension(install: CodeServerInstall, vsix: string, extensionsDir: string, userDataDir: string): void {
  const [cmd, args] = command(install, ['--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir]);
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${describeInstall(install)} --install-extension ${vsix} failed (${r.status}):\n${r.stdout}${r.stderr}`);
}

export interface CodeServerOptions {
  /** Which code-server to start. */
  install: CodeServerInstall;
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
  /**
   * Whether windows load extensions from the URL payload (extensionDevelopmentPath, extensionTestsPath); default
   * true. From 4.133 that needs the smoke-test driver; without it (an installed .vsix) the workbench is as shipped.
   */
  urlPayload?: boolean;
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
  /** Which code-server it is. */
  install: CodeServerInstall;
  /** Whether its workbench runs with the smoke-test driver (from 4.133: toasts then need lib/toasts.ts). */
  smokeTestDriver: boolean;
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
  const { install } = options;
  for (const f of [install.node, install.entry]) {
    if (!existsSync(f)) throw new Error(`${describeInstall(install)}: ${f} is missing (bash test/vscode/setup-code-server.sh installs it)`);
  }

  const smokeTestDriver = options.urlPayload !== false && versionAtLeast(install.version, '4.133.0');
  const args = [
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
    // From 4.133 on, the workbench ignores the URL payload's extensionDevelopmentPath and extensionTestsPath unless
    // the smoke-test driver is enabled (the option is there from 4.134). It also hides toasts: see lib/toasts.ts.
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    options.folder,
  ];
  const log = createWriteStream(options.logFile);
  // detached: setsid, so that the server, its watcher and its extension hosts share a process group we can kill.
  const [cmd, cmdArgs] = command(install, args);
  const child: ChildProcess = spawn(cmd, cmdArgs, {
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
    const timer = setTimeout(() => reject(new Error(`${describeInstall(install)} did not start within 60 s; log: ${options.logFile}`)), 60_000);
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
    install,
    smokeTestDriver,
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
