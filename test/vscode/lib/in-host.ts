// Runs the in-host suites: opens a workbench window whose URL payload carries extensionDevelopmentPath and
// extensionTestsPath; the extension host calls the suite module's run() and the workbench reports its outcome through
// window.codeAutomationExit(code), its console (mocha's reporter) through window.codeAutomationLog(level, args).
import { join } from 'node:path';
import { format } from 'node:util';
import type { Browser } from 'playwright-core';
import type { CodeServer } from './code-server.js';
import { showToastsUnderSmokeTestDriver } from './toasts.js';

export interface InHostOptions {
  extensionDevelopmentPath: string;
  /** The suite module, without .js (out/vscode-suite/index). */
  extensionTestsPath: string;
  artifactsDir: string;
  /** The screenshot left in artifactsDir when the suites fail (<name>.png). */
  screenshotName: string;
  timeoutMs: number;
  verbose: boolean;
}

// Offline noise of the extension host: gallery/telemetry lookups that cannot resolve, remote-connection chatter, and
// (VS Code 1.139) the built-in Copilot Chat's agent host and model picker, signed out.
const NOISE =
  /^(Resolv|Creating a socket|Updating additional|ChatSessionStore|\[Service Worker\]|\[lifecycle\] Long running operations|\[AgentHost|\[ChatModelSelection\]|\[AccountPolicyGate\]|\[reconnection-grace-time\])|ENOTFOUND|EAI_AGAIN|marketplace|update\.code\.visualstudio/;

/** Returns the suite's exit code: 0 all passed, 1 a test failed or run() threw, 124 timed out. */
export async function runInHostSuites(browser: Browser, server: CodeServer, options: InHostOptions): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // The watch below looks for a toast.
  if (server.smokeTestDriver) await showToastsUnderSmokeTestDriver(context);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  if (options.verbose) page.on('console', (m) => console.log('[browser]', m.text()));
  await page.exposeFunction('codeAutomationLog', (_level: string, args: unknown[]) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    if (options.verbose || !NOISE.test(text)) console.log(text.replace(/\n$/, ''));
  });
  let timer: NodeJS.Timeout | undefined;
  let watch: NodeJS.Timeout | undefined;
  const code = await new Promise<number>((resolve) => {
    timer = setTimeout(() => resolve(124), options.timeoutMs);
    // A crashed extension host never reports: the workbench says so in a notification; stop waiting then.
    watch = setInterval(() => {
      page
        .locator('.notifications-toasts .notification-list-item-message', { hasText: /extension host .*terminated/i })
        .first()
        .innerText({ timeout: 500 })
        .then((text) => {
          console.error(`in-host suites: the workbench says "${text.trim()}"`);
          resolve(1);
        }, () => {});
    }, 2_000);
    page
      .exposeFunction('codeAutomationExit', (c: number) => resolve(c))
      .then(() =>
        page.goto(
          server.workbenchUrl({
            extensionDevelopmentPath: options.extensionDevelopmentPath,
            extensionTestsPath: options.extensionTestsPath,
          }),
        ),
      )
      .catch((e: unknown) => {
        console.error('in-host suites: could not open the workbench:', e);
        resolve(1);
      });
  });
  clearTimeout(timer);
  clearInterval(watch);
  if (code === 124) {
    console.error(`in-host suites: no result after ${options.timeoutMs / 1000} s (DIFY_VSCODE_SUITE_TIMEOUT)`);
    if (pageErrors.length) console.error('page errors:\n  ' + pageErrors.join('\n  '));
  }
  if (code !== 0) await page.screenshot({ path: join(options.artifactsDir, `${options.screenshotName}.png`) }).catch(() => {});
  await context.close();
  return code;
}
