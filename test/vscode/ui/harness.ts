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
import { asRegExp, escapeRegExp, eventually, EXTENSION_ID, manifestProbe, session, sleep, type Matcher } from './session.js';

export { EXTENSION_ID, eventually, extensionLog, session, setSession, type UiSession } from './session.js';

/** A quick pick row's label (not its description or detail line). */
const QUICK_PICK_LABEL = '.quick-input-list-rows > .quick-input-list-row:first-child .label-name';

/** One workbench window (a browser page on code-server) with the extension loaded, and helpers to drive it. */
export class Workbench {
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
  get page(): Page {
    if (!this._page) throw new Error('the workbench is not open: call open() (useWorkbench() does it in a before hook)');
    return this._page;
  }

  /** Whether a window is open. */
  get isOpen(): boolean {
    return !!this._page;
  }

  /** Opens a new window on the test workspace with the extension loaded; resolves once its contributions show. */
  async open(): Promise<this> {
    const s = session();
    this.context = await s.browser.newContext({ viewport: { width: 1400, height: 900 } });
    this.context.setDefaultTimeout(s.timeoutMs);
    const page = await this.context.newPage();
    this._page = page;
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') this.consoleLines.push(`[${m.type()}] ${m.text()}`.slice(0, 2000));
    });
    page.on('pageerror', (e) => this.consoleLines.push(`[pageerror] ${String(e)}`.slice(0, 2000)));
    await page.goto(s.codeServer.workbenchUrl({ extensionDevelopmentPath: s.extensionDevelopmentPath }));
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
    const { container, command } = manifestProbe(session().extensionDevelopmentPath);
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
  async reload(): Promise<void> {
    await this.page.reload();
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    await this.extensionReady();
  }

  /** The quick input widget (command palette, quick picks, input boxes). */
  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  private async openPalette(): Promise<void> {
    const input = this.quickInput.locator('input');
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.page.keyboard.press('F1');
      if (await input.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false)) return;
      // Keyboard focus may be outside the workbench (e.g. in a webview): click an empty spot of the status bar.
      await this.page.locator('.part.statusbar').click({ position: { x: 600, y: 5 } }).catch(() => {});
    }
    throw new Error('the command palette did not open (F1)');
  }

  /** Rows of the open quick input whose label is `label` (exact text when a string). */
  quickPickRows(label: Matcher): Locator {
    return this.quickInput
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator(QUICK_PICK_LABEL, { hasText: asRegExp(label) }) });
  }

  /** F1, types the command's palette title (e.g. "Dify: Show Log"), runs it with Enter. Retries until it is listed. */
  async runCommand(title: string): Promise<void> {
    const end = Date.now() + session().timeoutMs;
    for (;;) {
      await this.openPalette();
      await this.quickInput.locator('input').fill('>' + title);
      const row = this.quickPickRows(title).first();
      if (await row.waitFor({ timeout: 5_000 }).then(() => true, () => false)) {
        // Enter runs the focused row: make sure it is ours (fuzzy matching may rank another command first).
        for (let i = 0; i < 50 && !(await row.evaluate((e) => e.classList.contains('focused'))); i++) await this.page.keyboard.press('ArrowDown');
        await this.acceptQuickInput();
        return;
      }
      // Not listed (yet): the palette does not refresh when commands register later; close it and try again.
      await this.page.keyboard.press('Escape');
      if (Date.now() > end) throw new Error(`command "${title}" is not in the command palette`);
      await sleep(500);
    }
  }

  /** A fingerprint of the quick input's state (title, message, value, rows), to see it react to a keypress. */
  private async quickInputState(): Promise<string> {
    // No helper functions inside evaluate(): tsx compiles them with a __name() wrapper the page does not have.
    return this.quickInput
      .evaluate((w) =>
        [
          (w as HTMLElement).offsetParent !== null,
          (w.querySelector('.quick-input-title') as HTMLElement | null)?.innerText,
          (w.querySelector('.quick-input-message') as HTMLElement | null)?.innerText,
          (w.querySelector('input') as HTMLInputElement | null)?.value,
          Array.from(w.querySelectorAll('.quick-input-list .monaco-list-row'), (r) => (r as HTMLElement).innerText).join('|'),
        ].join('\u0000'),
      )
      .catch((e: unknown) => `error: ${String(e)}`);
  }

  /** Presses Enter in the quick input, then waits until it reacts: it closes, or the next step (or a validation
   *  message) shows. Without this, a quick next call could type into the box that is about to go away. */
  private async acceptQuickInput(): Promise<void> {
    const before = await this.quickInputState();
    await this.page.keyboard.press('Enter');
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      if (!(await this.quickInput.isVisible().catch(() => false))) return;
      if ((await this.quickInputState()) !== before) return;
      await sleep(50);
    }
  }

  /** Waits for the quick input to show, with this title and/or prompt (substrings when strings), if given. */
  private async waitQuickInput(expect: { title?: Matcher; prompt?: Matcher }): Promise<Locator> {
    const input = this.quickInput.locator('input');
    await input.waitFor({ state: 'visible' });
    if (expect.title !== undefined) await this.quickInput.locator('.quick-input-title', { hasText: expect.title }).waitFor();
    if (expect.prompt !== undefined) await this.quickInput.locator('.quick-input-message', { hasText: expect.prompt }).waitFor();
    return input;
  }

  /** Types `text` into the open quick pick's filter box (replacing what is there); `title` waits for that picker. */
  async quickPickType(text: string, expect: { title?: Matcher } = {}): Promise<void> {
    const input = await this.waitQuickInput(expect);
    await input.fill(text);
  }

  /** Picks the quick pick row labelled `label` (exact text when a string): focuses it and presses Enter. */
  async quickPickSelect(label: Matcher, expect: { title?: Matcher } = {}): Promise<void> {
    await this.waitQuickInput(expect);
    const row = this.quickPickRows(label).first();
    await row.waitFor();
    for (let i = 0; i < 200 && !(await row.evaluate((e) => e.classList.contains('focused'))); i++) await this.page.keyboard.press('ArrowDown');
    await this.acceptQuickInput();
  }

  /** The labels of the open quick pick's rows, in order. */
  async quickPickLabels(): Promise<string[]> {
    await this.quickInput.locator('.quick-input-list').waitFor({ state: 'visible' });
    return (await this.quickInput.locator(`.quick-input-list .monaco-list-row ${QUICK_PICK_LABEL}`).allInnerTexts()).map((t) => t.trim());
  }

  /**
   * Types `text` into the open input box (showInputBox/createInputBox), replacing its value, and presses Enter, then
   * waits until the box reacts (closes, next step, or validation message). `submit: false` leaves it open;
   * `title`/`prompt` first wait for the box that shows them (substrings when strings).
   */
  async inputBox(text: string, options: { submit?: boolean; title?: Matcher; prompt?: Matcher } = {}): Promise<void> {
    const input = await this.waitQuickInput(options);
    await input.fill(text);
    if (options.submit !== false) await this.acceptQuickInput();
  }

  /** The line under the quick input's text: its prompt, or its validation message when there is one ('' when hidden). */
  async inputBoxMessage(): Promise<string> {
    const m = this.quickInput.locator('.quick-input-message');
    return (await m.isVisible()) ? (await m.innerText()).trim() : '';
  }

  /** Waits for a status bar item whose text matches (substring when a string) and returns its text. */
  async statusBarText(matcher: Matcher): Promise<string> {
    const item = this.page.locator('.part.statusbar .statusbar-item', { hasText: matcher }).first();
    await item.waitFor({ state: 'visible' });
    return (await item.innerText()).trim();
  }

  /** Clicks the status bar item whose text matches. */
  async statusBarClick(matcher: Matcher): Promise<void> {
    await this.page.locator('.part.statusbar .statusbar-item', { hasText: matcher }).first().locator('a, .statusbar-item-label').first().click();
  }

  /** The messages of the notification toasts on screen now (possibly none). */
  async notifications(): Promise<string[]> {
    const texts = await this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
    return texts.map((t) => t.trim());
  }

  /** Waits for a notification toast whose message matches (substring when a string); returns the toast. */
  async waitForNotification(matcher: Matcher): Promise<Locator> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', {
      has: this.page.locator('.notification-list-item-message', { hasText: matcher }),
    }).first();
    await toast.waitFor({ state: 'visible' });
    return toast;
  }

  /** Clicks the button `button` of the notification whose message matches. */
  async notificationAction(matcher: Matcher, button: string): Promise<void> {
    const toast = await this.waitForNotification(matcher);
    await toast.locator('.monaco-button', { hasText: asRegExp(button) }).first().click();
  }

  /** Dismisses every notification toast (Clear All Notifications). */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
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

  /** Clicks the item `label` of the context menu of `target` (right-click, as a person does). */
  async contextMenu(target: Locator, label: Matcher): Promise<void> {
    await target.click({ button: 'right' });
    const menu = this.page.locator('.context-view .monaco-menu');
    await menu.waitFor();
    const item = menu.locator('.action-item .action-label', { hasText: asRegExp(label) }).first();
    await item.hover();
    await item.click();
    // A click right after the menu opened can be taken as the end of the right-click: Enter runs the focused item.
    if (!(await menu.waitFor({ state: 'hidden', timeout: 1_000 }).then(() => true, () => false))) await this.page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
  }

  /** Clicks the inline action (the icon shown on hover) titled `title` of a tree row. */
  async rowAction(row: Locator, title: string): Promise<void> {
    await row.hover();
    await row.locator(`.actions .action-label[aria-label="${title.replace(/"/g, '\\"')}"]`).first().click();
  }

  /** Waits for a modal dialog whose text matches, clicks its button `button`, and waits for it to close. */
  async dialogButton(matcher: Matcher, button: Matcher): Promise<void> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    await eventually(async () => {
      const text = await dialog.innerText();
      if (!(typeof matcher === 'string' ? text.includes(matcher) : matcher.test(text))) throw new Error(`the dialog says: ${text}`);
    });
    await dialog.locator('.monaco-button', { hasText: asRegExp(button) }).first().click();
    await dialog.waitFor({ state: 'hidden' });
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
  });
  after(async () => {
    await wb.runBeforeClose();
    await wb.close();
    writeSeed([]);
  });
  return wb;
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
