// The UI tests' session plumbing: what the orchestrator started (setSession/session), the extension under test, its log, waits and matchers.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { DifyTestServer } from '../../dify-server/server.js';
import type { CodeServer } from '../lib/code-server.js';
import type { TestEnv } from '../lib/test-env.js';

/** What the orchestrator started for the UI tests. */
export interface UiSession {
  browser: Browser;
  codeServer: CodeServer;
  /** The test Dify server itself (same process): `fault()`, `reset()`, `requests`, `keys`, `baseUrl`... */
  dify: DifyTestServer;
  /** The same test-env the in-host suites read (baseUrl, keys, controlUrl, workspaceFolder, artifactsDir). */
  env: TestEnv;
  /** The extension folder loaded as in an Extension Development Host; absent when the packaged .vsix is installed. */
  extensionDevelopmentPath?: string;
  /** The folder of the extension under test (its manifest): the development folder, or where the .vsix was installed. */
  extensionPath: string;
  /** code-server's user data dir (User/settings.json is the user settings VS Code watches). */
  userDataDir: string;
  /** Default time limit of the harness's waits, ms. */
  timeoutMs: number;
}

const SESSION_KEY = Symbol.for('dify-vscode.ui-session');
type Holder = { [SESSION_KEY]?: UiSession };

/** Called by the orchestrator before the UI files load. */
export function setSession(s: UiSession | undefined): void {
  (globalThis as Holder)[SESSION_KEY] = s;
}

/** The running session (code-server, browser, test Dify server, test env); throws outside `npm run test:vscode`. */
export function session(): UiSession {
  const s = (globalThis as Holder)[SESSION_KEY];
  if (!s) throw new Error('UI tests run inside `npm run test:vscode` (test/vscode/run.ts), which starts code-server and the browser');
  return s;
}

export const EXTENSION_ID = 'dify-vscode.dify-vscode';

/** The title of the extension's first activity-bar view container and of its first command, from its manifest. */
export function manifestProbe(extensionPath: string): { container?: string; command?: string } {
  type Manifest = {
    contributes?: {
      viewsContainers?: { activitybar?: { title: string }[] };
      commands?: { command: string; title: string; category?: string }[];
      menus?: { commandPalette?: { command: string; when?: string }[] };
    };
  };
  const pkg = JSON.parse(readFileSync(join(extensionPath, 'package.json'), 'utf8')) as Manifest;
  const nlsFile = join(extensionPath, 'package.nls.json');
  const nls = existsSync(nlsFile) ? (JSON.parse(readFileSync(nlsFile, 'utf8')) as Record<string, string | { message: string }>) : {};
  const t = (s: string | undefined): string | undefined => {
    const m = s && /^%(.+)%$/.exec(s);
    if (!m) return s;
    const v = nls[m[1]!];
    return typeof v === 'string' ? v : v?.message;
  };
  const container = t(pkg.contributes?.viewsContainers?.activitybar?.[0]?.title);
  const hidden = new Set((pkg.contributes?.menus?.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command));
  const cmd = pkg.contributes?.commands?.find((c) => !hidden.has(c.command));
  const command = cmd && [t(cmd.category), t(cmd.title)].filter(Boolean).join(': ');
  return { container, command };
}

/** Text to find on screen: a string (exact or substring, as each helper says) or a RegExp. */
export type Matcher = string | RegExp;
export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exact = (s: string): RegExp => new RegExp(`^\\s*${escapeRegExp(s)}\\s*$`);
export const asRegExp = (m: Matcher): RegExp => (typeof m === 'string' ? exact(m) : m);
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The extension's "Dify" log as written to disk so far (the newest extension host's), '' before it exists. */
export function extensionLog(): string {
  const logs = join(session().userDataDir, 'logs');
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name === 'Dify.log') found.push(path);
    }
  };
  walk(logs);
  const newest = found.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs).at(-1);
  return newest ? readFileSync(newest, 'utf8') : '';
}

/** Retries `check` (an async assertion) until it passes or `timeoutMs` has passed; returns its value. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000, intervalMs = 200): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > end) throw e;
      await sleep(intervalMs);
    }
  }
}
