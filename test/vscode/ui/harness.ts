// The UI test harness: drives code-server's workbench in Debian's Chromium like a person would (keyboard, clicks,
// what is on screen). UI test files (test/vscode/ui/**/*.test.ts) run in the orchestrator's Node process
// (npm run test:vscode), which starts code-server, the browser and the test Dify server and hands them over here.
// Example: test/vscode/ui/add-app.test.ts (`const wb = useWorkbench()` per describe block, then wb.runCommand...).
// Every wait has a time limit (session().timeoutMs, 30 s) and fails with what it waited for; a failed test leaves a
// screenshot and the window's console in test/vscode/.artifacts/. Windows of one run share code-server's user data
// (settings: undo what a describe block changes), but each window is a fresh browser profile, and code-server keeps
// extension secrets and global state in the browser: every describe block starts with no apps and no keys.
// With wb.page.evaluate(fn), keep fn free of inner helper functions: tsx compiles them with a __name() call that
// does not exist in the page.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import { showToastsUnderSmokeTestDriver } from '../lib/toasts.js';
import { asRegExp, escapeRegExp, eventually, EXTENSION_ID, extensionLog, manifestProbe, session, sleep, type Matcher } from './session.js';
import { WorkbenchInput } from './workbench-input.js';

export { EXTENSION_ID, eventually, extensionLog, session, setSession, type UiSession } from './session.js';

/** One workbench window (a browser page on code-server) with the extension loaded, and helpers to drive it. */
export class Workbench extends WorkbenchInput {
  private context: BrowserContext | undefined;
  private _page: Page | undefined;
  /** The browser console of this window (errors and warnings), kept for failure reports. */
  readonly consoleLines: string[] = [];

  private readonly closing: (() => Promise<void>)[] = [];

  /**
   * Runs `undo` while the window is still open, just before useWorkbench() closes it (a describe block's own after()
   * runs later, with the window gone): e.g. putting back the user settings a test changed.
   */
  beforeClose(undo: () => Promise<void>): void {
    this.closing.push(undo);
  }

  /** The Playwright page, for anything the helpers do not cover. */
  override get page(): Page {
    if (!this._page) throw new Error('the workbench is not open: call open() (useWorkbench() does it in a before hook)');
    return this._page;
  }

  /** Whether a window is open. */
  get isOpen(): boolean {
    return !!this._page;
  }

  /**
   * Opens a new window on the test workspace with the extension loaded (from source, or the installed .vsix when the
   * session has no extensionDevelopmentPath); resolves once its contributions show.
   */
  async open(): Promise<this> {
    const s = session();
    this.context = await s.browser.newContext({ viewport: { width: 1400, height: 900 } });
    this.context.setDefaultTimeout(s.timeoutMs);
    if (s.codeServer.smokeTestDriver) await showToastsUnderSmokeTestDriver(this.context);
    const page = await this.context.newPage();
    this._page = page;
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') this.consoleLines.push(`[${m.type()}] ${m.text()}`.slice(0, 2000));
    });
    page.on('pageerror', (e) => this.consoleLines.push(`[pageerror] ${String(e)}`.slice(0, 2000)));
    // Every notification message the window shows, as it shows it (toasts and progress updates come and go faster than
    // a failure report looks): kept in the page for failureReport().
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __difyNotificationsSeen: string[] }).__difyNotificationsSeen = seen;
      const t0 = Date.now();
      new MutationObserver(() => {
        for (const e of Array.from(document.querySelectorAll('.notification-list-item-message'))) {
          const text = `${((Date.now() - t0) / 1000).toFixed(1)}s ${(e as HTMLElement).innerText.trim()}`;
          if (!seen.some((l) => l.slice(l.indexOf(' ')) === text.slice(text.indexOf(' ')))) seen.push(text);
        }
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.goto(s.codeServer.workbenchUrl(s.extensionDevelopmentPath ? { extensionDevelopmentPath: s.extensionDevelopmentPath } : {}));
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    await page.locator('.part.activitybar .action-item').first().waitFor({ timeout: 60_000 });
    // The extension's static contributions (its view container) appear once the remote extension host has
    // scanned it; before that the palette would not list its commands.
    await this.extensionReady();
    return this;
  }

  /**
   * Waits until the workbench has registered the extension's static contributions: its first activity-bar view
   * container shows, or (without one) the command palette lists its first command.
   */
  async extensionReady(timeoutMs = 60_000): Promise<void> {
    const { container, command } = manifestProbe(session().extensionPath);
    if (container) {
      await this.page.locator(`.part.activitybar .action-item a[aria-label^="${container.replace(/"/g, '\\"')}"]`).first().waitFor({ timeout: timeoutMs });
    } else if (command) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        await this.openPalette();
        await this.quickInput.locator('input').fill('>' + command);
        const listed = await this.quickPickRows(command).first().waitFor({ timeout: 3_000 }).then(() => true, () => false);
        await this.page.keyboard.press('Escape');
        if (listed) return;
        if (Date.now() > end) throw new Error(`the extension's command "${command}" never showed in the palette`);
      }
    }
  }

  /** The beforeClose() steps, each once, errors logged (the window closes anyway). */
  async runBeforeClose(): Promise<void> {
    for (const undo of this.closing.splice(0)) {
      if (this.isOpen) await undo().catch((e: unknown) => console.log(`      (beforeClose step failed: ${String(e).split('\n')[0]})`));
    }
  }

  /** Closes the window (its extension host stops with it). */
  async close(): Promise<void> {
    await this.context?.close().catch(() => {});
    this.context = undefined;
    this._page = undefined;
  }

  /** Reloads the window (the extension host restarts, secrets and settings persist) and waits until it is ready. */
  /**
   * Reloads the window: the browser's reload (F5), or with `command` VS Code's "Developer: Reload Window", which
   * shuts the workbench down first (its state written out, as a person reloading from VS Code gets).
   */
  async reload(options: { command?: boolean } = {}): Promise<void> {
    if (options.command) {
      const navigated = this.page.waitForEvent('framenavigated', { predicate: (frame) => frame === this.page.mainFrame(), timeout: 60_000 });
      await this.runCommand('Developer: Reload Window');
      await navigated;
    } else {
      await this.page.reload();
    }
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    await this.extensionReady();
  }

  /** Reloads the window as a person does (Developer: Reload Window) and shows the Dify chat again: its frame. */
  async reloadToChat(): Promise<FrameLocator> {
    await this.reload({ command: true });
    await this.activityBarOpen('Dify');
    await this.sideBarSection('Chat');
    return this.webviewFrame();
  }

  /** Opens the activity-bar view container titled `viewContainerTitle` (e.g. "Dify"), unless it is open already. */
  async activityBarOpen(viewContainerTitle: string): Promise<Locator> {
    const item = this.page.locator('.part.activitybar .action-item', {
      has: this.page.locator(`a[aria-label^="${viewContainerTitle.replace(/"/g, '\\"')}"]`),
    }).first();
    await item.waitFor();
    const sidebar = this.page.locator('.part.sidebar');
    const title = sidebar.locator('.composite.title', { hasText: new RegExp(escapeRegExp(viewContainerTitle), 'i') }).first();
    // Just after a (re)load the workbench may still be restoring the side bar: a click made before it has would
    // toggle the container closed again. So: click only while it is not open, and look again until it shows.
    let opening = false;
    for (let attempt = 0; ; attempt++) {
      if (await title.isVisible()) break;
      if (attempt === 10) throw new Error(`the ${viewContainerTitle} view container did not open`);
      if (!(await item.evaluate((e) => e.classList.contains('checked')))) {
        opening = true;
        await item.click();
      }
      await title.waitFor({ timeout: 3_000 }).catch(() => {});
    }
    // A webview view (the chat) takes the focus when its page has loaded, which would close a quick input opened
    // before that: let it load first.
    if (opening) {
      await this.page
        .locator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`)
        .first()
        .waitFor({ timeout: 10_000 })
        .then(() => sleep(500), () => {});
    }
    return sidebar;
  }

  /** The section (pane) of the side bar titled `title` (e.g. "Apps"), expanded. */
  async sideBarSection(title: string): Promise<Locator> {
    const pane = this.page
      .locator('.part.sidebar .pane')
      .filter({ has: this.page.locator('.pane-header h3.title', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`, 'i') }) })
      .first();
    await pane.waitFor();
    const header = pane.locator('.pane-header').first();
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    return pane;
  }

  /**
   * Only section `title` of the open view container expanded, the others collapsed: its rows are then on screen
   * (lists render only the rows that are visible).
   */
  async soloSection(title: string): Promise<Locator> {
    const headers = this.page.locator('.part.sidebar .pane-header');
    for (const header of await headers.all()) {
      const name = (await header.locator('h3.title').innerText().catch(() => '')).trim();
      if (!name || name.toLowerCase() === title.toLowerCase()) continue;
      await eventually(async () => {
        if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
        if ((await header.getAttribute('aria-expanded')) !== 'false') throw new Error(`section "${name}" is still expanded`);
      });
    }
    return this.sideBarSection(title);
  }

  /** Waits for the row of the tree view in side bar section `section` whose label matches (exact when a string). */
  async treeItem(section: string, label: Matcher): Promise<Locator> {
    const pane = await this.sideBarSection(section);
    const row = pane
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: asRegExp(label) }) })
      .first();
    await row.waitFor();
    return row;
  }

  /** The labels of the rows the tree view in side bar section `section` shows now (possibly none). */
  async treeLabels(section: string): Promise<string[]> {
    const pane = await this.sideBarSection(section);
    return (await pane.locator('.monaco-list-row .label-name').allInnerTexts()).map((t) => t.trim());
  }

  /** The Explorer's row of the file or folder `name` (the Explorer must be showing). */
  async explorerRow(name: string): Promise<Locator> {
    const exact = new RegExp(`^${escapeRegExp(name)}$`);
    const row = this.page.locator('.explorer-folders-view .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exact }) }).first();
    await row.waitFor();
    return row;
  }

  /** Clicks the inline action (the icon shown on hover) titled `title` of a tree row. */
  async rowAction(row: Locator, title: string): Promise<void> {
    await row.hover();
    await row.locator(`.actions .action-label[aria-label="${title.replace(/"/g, '\\"')}"]`).first().click();
  }

  /** The content frame of the extension's webview (two nested iframes); `extensionId` defaults to this extension. */
  webviewFrame(extensionId = EXTENSION_ID): FrameLocator {
    return this.page.frameLocator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`).frameLocator('#active-frame');
  }

  /** The channel the Output panel shows now (e.g. "Dify"), or undefined when the Output panel is not visible. */
  async outputChannel(): Promise<string | undefined> {
    const select = this.page.locator('.part.panel select.monaco-select-box').filter({ visible: true }).first();
    if (!(await select.isVisible().catch(() => false))) return undefined;
    return select.evaluate((e) => {
      const s = e as HTMLSelectElement;
      return s.options[s.selectedIndex]?.text;
    });
  }

  /** Waits until the Output panel is visible and shows channel `name` (e.g. "Dify"). */
  async waitForOutputChannel(name: string, timeoutMs = session().timeoutMs): Promise<void> {
    await eventually(async () => {
      const shown = await this.outputChannel();
      if (shown !== name) throw new Error(`the Output panel shows ${shown === undefined ? 'nothing' : `"${shown}"`}, not "${name}"`);
    }, timeoutMs);
  }

  /** The text shown in the Output panel (the visible lines of its editor). */
  async outputText(): Promise<string> {
    return (await this.page.locator('.part.panel .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
  }

  /**
   * Merges `patch` into the user settings (`undefined` removes a key) the way a person does: "Preferences: Open User
   * Settings (JSON)", replace the text, save. VS Code applies it at once (an outside write of the file may never reach
   * a remote extension host). The test user settings turn off auto-closing, so the typed JSON stays as typed.
   */
  async updateUserSettings(patch: Record<string, unknown>): Promise<void> {
    const file = join(session().userDataDir, 'User', 'settings.json');
    const settings = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) delete settings[key];
      else settings[key] = value;
    }
    await this.runCommand('Preferences: Open User Settings (JSON)');
    const editor = this.page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor();
    await editor.click({ position: { x: 200, y: 20 } });
    const selectAll = process.platform === 'darwin' ? 'Meta+A' : 'Control+A';
    await this.page.keyboard.press(selectAll);
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(JSON.stringify(settings, null, 2));
    await this.page.keyboard.press(process.platform === 'darwin' ? 'Meta+S' : 'Control+S');
    await eventually(async () => {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      for (const [key, value] of Object.entries(patch)) if (JSON.stringify(saved[key]) !== JSON.stringify(value)) throw new Error(`${key} not saved yet`);
    });
    await this.runCommand('View: Close Editor');
  }

  /** Saves a full-window screenshot to test/vscode/.artifacts/<name>.png; returns its path. */
  async screenshot(name: string): Promise<string> {
    const dir = session().env.artifactsDir;
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name.replace(/[^\w.-]+/g, '_').slice(0, 120)}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Writes this window's browser console (errors, warnings) next to the screenshots; returns its path. */
  saveConsole(name: string): string {
    const dir = session().env.artifactsDir;
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name.replace(/[^\w.-]+/g, '_').slice(0, 120)}.console.txt`);
    writeFileSync(file, this.consoleLines.join('\n') + '\n');
    return file;
  }
}

/**
 * Mocha hooks for a describe block: opens a fresh workbench window (with `seed`: these apps already added) before its tests, screenshots it (plus its browser
 * console) into test/vscode/.artifacts/ when a test fails, closes it after. Returns the Workbench to drive.
 */
export function useWorkbench(options: { seed?: SeedProfile[] } = {}): Workbench {
  const wb = new Workbench();
  before(async function () {
    this.timeout(120_000);
    try {
      writeSeed(options.seed ?? []);
      await wb.open();
    } catch (e) {
      const name = `${this.test?.parent?.fullTitle() ?? 'workbench'} - open`;
      if (wb.isOpen) await wb.screenshot(name).then((f) => console.log(`      screenshot: ${f}`), () => {});
      if (wb.isOpen) wb.saveConsole(name);
      throw e;
    }
  });
  afterEach(async function () {
    const t = this.currentTest;
    if (t?.state !== 'failed') return;
    const name = t.titlePath().join(' - ');
    try {
      const file = await wb.screenshot(name);
      wb.saveConsole(name);
      console.log(`      screenshot: ${file}`);
    } catch (e) {
      console.log(`      (no screenshot: ${String(e).split('\n')[0]})`);
    }
    // CI keeps only its output: say what was on screen and what went over the wire.
    console.log(await failureReport(wb));
  });
  after(async () => {
    await wb.runBeforeClose();
    await wb.close();
    writeSeed([]);
  });
  return wb;
}

/** What a failed test's window showed (toasts, quick input) and the last requests and log lines, indented for mocha. */
async function failureReport(wb: Workbench): Promise<string> {
  const lines: string[] = [];
  if (wb.isOpen) {
    lines.push(`notification toasts: ${JSON.stringify(await wb.notifications().catch(() => []))}`);
    const focused = await wb.page.evaluate(() => {
      const e = document.activeElement;
      return e ? `${e.tagName.toLowerCase()}.${Array.from(e.classList).join('.')} ${e.getAttribute('aria-label') ?? ''}`.trim() : 'none';
    }).catch((e: unknown) => String(e));
    lines.push(`focus: ${focused}`);
    // Toasts without buttons hide after 10-15 s; the notification center keeps them all (it shows them when opened).
    const center = wb.notificationCenter;
    const wasOpen = await center.isVisible().catch(() => false);
    if (!wasOpen) await wb.runCommand('Notifications: Show Notifications').catch(() => {});
    const texts = await center.locator('.notification-list-item-message').allInnerTexts().catch(() => []);
    const seen = await wb.page.evaluate(() => (window as unknown as { __difyNotificationsSeen?: string[] }).__difyNotificationsSeen ?? []).catch(() => []);
    lines.push(`notifications shown since the window (re)loaded: ${JSON.stringify(seen.slice(-15))}`);
    lines.push(`notification center${wasOpen ? ' (was open, so no toasts showed)' : ''}: ${JSON.stringify(texts)}`);
    if (!wasOpen) await wb.runCommand('Notifications: Hide Notifications').catch(() => {});
    if (await wb.quickInput.isVisible().catch(() => false)) {
      const text = await wb.quickInput.innerText().catch((e: unknown) => String(e));
      lines.push(`quick input: ${JSON.stringify(text.slice(0, 400))}`);
    }
  }
  const requests = session().dify.requests.slice(-10).map((r) => `${r.method} ${r.path} ${r.status ?? '…'}`);
  lines.push(`last requests to the test Dify server: ${requests.join(', ') || 'none'}`);
  lines.push('Dify log (last lines):', ...extensionLog().trimEnd().split('\n').slice(-12).map((l) => '  ' + l));
  return lines.map((l) => '      ' + l).join('\n');
}

/** An app or knowledge key the extension adds by itself when the window opens (its DIFY_DEV_SEED, Development mode). */
export interface SeedProfile {
  kind: 'app' | 'knowledge';
  label: string;
  key: string;
  mode?: string;
  default?: boolean;
}

function writeSeed(profiles: SeedProfile[]): void {
  const { seedFile, baseUrl } = session().env;
  writeFileSync(seedFile, JSON.stringify({ profiles: profiles.map((p) => ({ baseUrl, ...p })) }));
}
