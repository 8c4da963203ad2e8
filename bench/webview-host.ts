// The chat view as VS Code frames it, for the benches: in an iframe of another site (so another renderer process)
// whose host page posts the host messages, as the webview host's frame posts into the webview.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CDPSession, Frame, Page } from 'playwright-core';
import type { WebviewHarness } from '../test/webview/harness.js';

/**
 * The chat view in an iframe of another site, so in another renderer process, whose page posts the host messages:
 * as in VS Code, where the webview host's frame posts into the webview. The view's process then pays for receiving
 * and rendering, not for sending.
 */
export async function openFramedView(harness: WebviewHarness, hostOrigin: string): Promise<{ page: Page; view: Frame; cdp: CDPSession }> {
  const context = await harness.browser.newContext({ viewport: { width: 420, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${hostOrigin}/?view=${encodeURIComponent(harness.origin)}`);
  const view = page.frames().find((frame) => frame.url().startsWith(harness.origin));
  if (!view) throw new Error(`the chat view frame did not load: ${page.frames().map((f) => f.url()).join(', ')}`);
  await view.waitForFunction(() => (window as unknown as { __posted?: Array<{ type: string }> }).__posted?.some((m) => m.type === 'ready'));
  // Only a frame in its own process has its own CDP session: this also checks that the view is out of process.
  const cdp = await context.newCDPSession(view);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  return { page, view, cdp };
}

/**
 * The host page, on `localhost` (another site than the view's 127.0.0.1): an iframe of the view named in `?view=`.
 * `routes` serve more paths to the host page (e.g. the messages it posts).
 */
export async function startHostPage(routes: Record<string, (res: ServerResponse) => void> = {}): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routes[url.pathname];
    if (route) return route(res);
    const view = url.searchParams.get('view') ?? '';
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(view)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><body style="margin:0"><iframe id="view" src="${view}/" style="border:0;width:420px;height:800px"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Posts a host message from the host page and resolves after the view's frame that follows its handling. */
export async function deliverFramed(page: Page, view: Frame, message: unknown): Promise<void> {
  await view.evaluate(() => {
    (window as unknown as { __handled: Promise<void> }).__handled = new Promise<void>((resolve) =>
      window.addEventListener('message', () => requestAnimationFrame(() => setTimeout(resolve, 0)), { once: true }),
    );
  });
  await page.evaluate((m) => (document.getElementById('view') as HTMLIFrameElement).contentWindow!.postMessage(m, '*'), message);
  await view.evaluate(() => (window as unknown as { __handled: Promise<void> }).__handled);
}

