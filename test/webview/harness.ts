// The chat webview in real Chromium, served as VS Code would: the page from chatHtml() with its real CSP, the
// English strings from chat-strings.ts (through a tiny `vscode.l10n.t` shim), the bundle built now with esbuild,
// and an `acquireVsCodeApi()` that records what the view posts (window.__posted) and keeps its state across
// reloads (sessionStorage, like VS Code keeps it across a webview reload). Tests deliver host messages the way VS
// Code does, as `message` events on window, and every test checks that no CSP violation, page error or console
// error happened. Keep page.evaluate callbacks free of inner helper functions (tsx adds __name() calls).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ChatStrings, HostMessage, Reply, WebviewMessage, WebviewRequest } from '../../src/protocol.js';
import { chatHtml } from '../../src/features/chat/webview-html.js';
import { launchChromium } from '../vscode/lib/browser.js';

const root = join(__dirname, '..', '..');

interface Built {
  bundle: string;
  strings: ChatStrings;
}

let built: Promise<Built> | undefined;

/** The webview bundle and the English strings, built once per test run (in memory). */
export function buildWebview(options: { minify?: boolean } = {}): Promise<Built> {
  const build = async (): Promise<Built> => {
    const [bundle, strings] = await Promise.all([
      esbuild.build({
        entryPoints: [join(root, 'src/webview/main.ts')],
        bundle: true,
        write: false,
        platform: 'browser',
        format: 'iife',
        target: 'es2022',
        minify: options.minify ?? false,
        sourcemap: false,
        define: { 'process.env.NODE_ENV': JSON.stringify(options.minify ? 'production' : 'development') },
        logLevel: 'silent',
      }),
      esbuild.build({
        entryPoints: [join(root, 'src/features/chat/chat-strings.ts')],
        bundle: true,
        write: false,
        platform: 'node',
        format: 'cjs',
        logLevel: 'silent',
        plugins: [
          {
            name: 'vscode-l10n-shim',
            setup(b) {
              b.onResolve({ filter: /^vscode$/ }, () => ({ path: 'vscode', namespace: 'shim' }));
              b.onLoad({ filter: /.*/, namespace: 'shim' }, () => ({
                loader: 'js',
                contents: 'export const l10n = { t: (message, ...args) => message.replace(/\\{(\\d+)\\}/g, (m, i) => (args[i] === undefined ? m : String(args[i]))) };',
              }));
            },
          },
        ],
      }),
    ]);
    const module = { exports: {} as { chatStrings?: () => ChatStrings } };
    new Function('module', 'exports', 'require', strings.outputFiles[0]!.text)(module, module.exports, require);
    return { bundle: bundle.outputFiles[0]!.text, strings: module.exports.chatStrings!() };
  };
  if (options.minify) return build();
  built ??= build();
  return built;
}

/** Defines acquireVsCodeApi() before the bundle runs; nonce'd like the bundle, so the real CSP lets it run. */
const VSCODE_SHIM = `
(() => {
  const KEY = 'dify-webview-state';
  window.__posted = [];
  window.__stateWrites = 0;
  let acquired = false;
  // A page framed by another site (the benchmark's host page) may not use sessionStorage: keep the state in memory.
  let storage;
  try { storage = window.sessionStorage; } catch { const m = new Map(); storage = { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => m.set(k, v) }; }
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi() may only be called once');
    acquired = true;
    return Object.freeze({
      postMessage: (message) => { window.__posted.push(structuredClone(message)); },
      getState: () => { const raw = storage.getItem(KEY); return raw ? JSON.parse(raw) : undefined; },
      setState: (state) => { storage.setItem(KEY, JSON.stringify(state)); window.__stateWrites++; return state; },
    });
  };
})();`;

/** Recorded in every page before any of its scripts: CSP violations (init scripts are not subject to the CSP). */
const RECORDER = `
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
});`;

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };

export class WebviewHarness {
  private context: BrowserContext | undefined;

  private constructor(
    readonly browser: Browser,
    private readonly server: Server,
    readonly origin: string,
    readonly strings: ChatStrings,
  ) {}

  static async start(options: { minify?: boolean } = {}): Promise<WebviewHarness> {
    const [{ bundle, strings }, browser] = await Promise.all([buildWebview(options), launchChromium()]);
    const files: Record<string, () => Promise<Buffer | string>> = {
      '/dist/webview.js': async () => bundle,
      '/codicons/codicon.css': () => readFile(join(root, 'node_modules/@vscode/codicons/dist/codicon.css')),
      '/codicons/codicon.ttf': () => readFile(join(root, 'node_modules/@vscode/codicons/dist/codicon.ttf')),
      '/media/markdown.css': () => readFile(join(root, 'media/markdown.css')),
      '/media/chat.css': () => readFile(join(root, 'media/chat.css')),
      '/media/test-theme.css': () => readFile(join(__dirname, 'lib/test-theme.css')),
    };
    let origin = '';
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/' || path === '/chat.html') {
        const nonce = randomBytes(16).toString('base64');
        const html = chatHtml({
          cspSource: origin,
          nonce,
          scriptUri: `${origin}/dist/webview.js`,
          styleUris: [`${origin}/codicons/codicon.css`, `${origin}/media/test-theme.css`, `${origin}/media/markdown.css`, `${origin}/media/chat.css`],
          imgSources: [],
          strings,
          lang: 'en',
        });
        const bundleTag = `<script nonce="${nonce}" src=`;
        assert.ok(html.includes(bundleTag), 'the page loads the bundle with the nonce');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(html.replace(bundleTag, `<script nonce="${nonce}">${VSCODE_SHIM}</script>\n  ${bundleTag}`));
        return;
      }
      const file = files[path];
      if (path === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      file().then(
        (body) => {
          // Cached within the run: each test's new page then loads the bundle from the browser's cache.
          res.writeHead(200, { 'content-type': TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream', 'cache-control': 'max-age=3600' });
          res.end(body);
        },
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return new WebviewHarness(browser, server, origin, strings);
  }

  /** A fresh page (a new tab: its own webview state) with the chat view loaded and `ready` posted. */
  async open(options: { width?: number; height?: number } = {}): Promise<ChatPage> {
    this.context ??= await this.browser.newContext();
    this.context.setDefaultTimeout(5_000);
    const page = await this.context.newPage();
    await page.setViewportSize({ width: options.width ?? 420, height: options.height ?? 700 });
    const chat = new ChatPage(page, this.strings);
    await page.addInitScript(RECORDER);
    await page.goto(`${this.origin}/`, { waitUntil: 'domcontentloaded' });
    await chat.waitForPosted((m) => m.type === 'ready');
    return chat;
  }

  async close(): Promise<void> {
    await this.browser.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** One chat view page: deliver host messages, read what it posted, and check nothing went wrong. */
export class ChatPage {
  readonly problems: string[] = [];
  private readonly answered = new Set<number>();

  constructor(
    readonly page: Page,
    readonly strings: ChatStrings,
  ) {
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.problems.push(`console error: ${message.text()}`);
    });
  }

  /** Delivers a host message (or anything else, to test that it is ignored) as VS Code does. */
  async post(message: HostMessage | unknown): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message);
  }

  /** Delivers messages and waits until the page handled them (a round trip through its event loop). */
  async deliver(...messages: unknown[]): Promise<void> {
    await this.page.evaluate(
      (ms) =>
        new Promise<void>((resolve) => {
          window.addEventListener('message', (event) => {
            if (event.data === 'harness-flush') requestAnimationFrame(() => resolve());
          });
          for (const m of ms) window.postMessage(m, '*');
          window.postMessage('harness-flush', '*');
        }),
      messages,
    );
  }

  /** What the view posted so far (bytes as arrays of numbers). */
  async posted(): Promise<WebviewMessage[]> {
    return this.page.evaluate(() =>
      (window as unknown as { __posted: Array<Record<string, unknown>> }).__posted.map((m) =>
        m.data instanceof Uint8Array ? { ...m, data: Array.from(m.data) } : m,
      ),
    ) as Promise<WebviewMessage[]>;
  }

  async postedOf<T extends WebviewMessage['type']>(type: T): Promise<Array<Extract<WebviewMessage, { type: T }>>> {
    return (await this.posted()).filter((m): m is Extract<WebviewMessage, { type: T }> => m.type === type);
  }

  async clearPosted(): Promise<void> {
    await this.page.evaluate(() => {
      (window as unknown as { __posted: unknown[] }).__posted.length = 0;
    });
  }

  /** Waits until a posted message matches; returns it. */
  async waitForPosted(match: (message: WebviewMessage) => boolean, timeoutMs = 5_000): Promise<WebviewMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await this.posted()).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`nothing matching was posted; posted: ${JSON.stringify(await this.posted()).slice(0, 2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /**
   * Waits for the next request of `type` the view posted (send, retry, loadOlder) that is not answered yet, and
   * returns it without its request id, with `answer` to deliver the host's messages and then its reply.
   */
  async request<T extends WebviewRequest['type']>(
    type: T,
    timeoutMs = 5_000,
  ): Promise<{ body: Omit<Extract<WebviewRequest, { type: T }>, 'requestId'>; answer: (reply: Reply, ...before: HostMessage[]) => Promise<void> }> {
    const found = (await this.waitForPosted((m) => m.type === type && 'requestId' in m && !this.answered.has(m.requestId), timeoutMs)) as Extract<WebviewRequest, { type: T }>;
    this.answered.add(found.requestId);
    const { requestId, ...body } = found;
    return { body, answer: (reply, ...before) => this.deliver(...before, { type: 'reply', requestId, ...reply }) };
  }

  /** CSP violations, page errors and console errors: every test expects none. */
  async assertClean(): Promise<void> {
    const violations = await this.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    assert.deepEqual([...violations.map((v) => `CSP violation: ${v}`), ...this.problems], []);
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}

/** mocha wiring: one browser for the file; `open()` gives a new page, closed after the test. */
export function useWebview(): { harness: () => WebviewHarness; open: (options?: { width?: number; height?: number }) => Promise<ChatPage> } {
  let harness: WebviewHarness | undefined;
  const pages: ChatPage[] = [];
  before(async function () {
    this.timeout(60_000);
    harness = await WebviewHarness.start();
  });
  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
  });
  after(async () => {
    await harness?.close();
  });
  return {
    harness: () => harness!,
    open: async (options) => {
      const page = await harness!.open(options);
      pages.push(page);
      return page;
    },
  };
}
