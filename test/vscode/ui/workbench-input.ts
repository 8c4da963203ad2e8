// The parts of the UI harness that talk to the workbench's own widgets: the command palette and quick picks, input
// boxes, the status bar, notifications, context menus and dialogs. Workbench (harness.ts) adds windows, views, trees,
// webviews and settings.
import type { Locator, Page } from 'playwright-core';
import { asRegExp, eventually, session, sleep, type Matcher } from './session.js';

/** A quick pick row's label (not its description or detail line). */
const QUICK_PICK_LABEL = '.quick-input-list-rows > .quick-input-list-row:first-child .label-name';

export abstract class WorkbenchInput {
  /** The Playwright page of the window. */
  abstract get page(): Page;

  /** The quick input widget (command palette, quick picks, input boxes). */
  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  async openPalette(): Promise<void> {
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
    // page.evaluate, not a locator's: that would wait for a widget that a reloading window (a new page) has not made
    // yet (VS Code 1.139 makes it on first use), up to the default time limit.
    return this.page
      .evaluate(() => {
        const w = document.querySelector('.quick-input-widget');
        if (!w) return 'none';
        return [
          (w as HTMLElement).offsetParent !== null,
          (w.querySelector('.quick-input-title') as HTMLElement | null)?.innerText,
          (w.querySelector('.quick-input-message') as HTMLElement | null)?.innerText,
          (w.querySelector('input') as HTMLInputElement | null)?.value,
          Array.from(w.querySelectorAll('.quick-input-list .monaco-list-row'), (r) => (r as HTMLElement).innerText).join('|'),
        ].join('\u0000');
      })
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

  /** Clicks the action shown as the text `title` (exact when a string) in the title bar of the active editor. */
  async editorTitleAction(title: Matcher): Promise<void> {
    await this.page.locator('.editor-group-container.active .editor-actions .action-label', { hasText: asRegExp(title) }).first().click();
  }

  /** The messages of the notification toasts on screen now (possibly none). */
  async notifications(): Promise<string[]> {
    const texts = await this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
    return texts.map((t) => t.trim());
  }

  /** The notification center (the bell's list), which keeps every notification, also those never shown as toasts. */
  get notificationCenter(): Locator {
    return this.page.locator('.notifications-center');
  }

  /**
   * Waits for the notification whose message matches (substring when a string) and returns it: its toast, or its row
   * in the notification center. VS Code toasts at most 3 new notifications per 800 ms (spam protection; a progress
   * notification counts) and none while the center is open; the others go only to the center, where a person finds
   * them under the bell. So when no toast shows for a while, this opens the center and looks there (and leaves it
   * open, for the caller to press the row's buttons; clearNotifications closes it).
   */
  async waitForNotification(matcher: Matcher): Promise<Locator> {
    const message = this.page.locator('.notification-list-item-message', { hasText: matcher });
    const toast = this.page.locator('.notifications-toasts .notification-toast', { has: message }).first();
    const inCenter = this.notificationCenter.locator('.notification-list-item', { has: message }).first();
    const start = Date.now();
    let lookedInCenter = start;
    for (;;) {
      if (await toast.isVisible()) return toast;
      if (await this.notificationCenter.isVisible()) {
        if (await inCenter.isVisible()) return inCenter;
      } else if (Date.now() - lookedInCenter > 5_000) {
        lookedInCenter = Date.now();
        await this.runCommand('Notifications: Show Notifications');
        if (await inCenter.waitFor({ timeout: 1_000 }).then(() => true, () => false)) return inCenter;
        await this.runCommand('Notifications: Hide Notifications');
      }
      if (Date.now() - start > session().timeoutMs) throw new Error(`no notification matching ${String(matcher)} (neither a toast nor in the notification center)`);
      await sleep(100);
    }
  }

  /** Clicks the button `button` of the notification whose message matches. */
  async notificationAction(matcher: Matcher, button: string): Promise<void> {
    const toast = await this.waitForNotification(matcher);
    await toast.locator('.monaco-button', { hasText: asRegExp(button) }).first().click();
  }

  /** Dismisses every notification (Clear All Notifications) and closes the notification center if it is open. */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    if (await this.notificationCenter.isVisible()) await this.runCommand('Notifications: Hide Notifications');
  }

  /** Clicks the item `label` of the context menu of `target` (right-click, as a person does). */
  async contextMenu(target: Locator, label: Matcher): Promise<void> {
    const menu = await this.openContextMenu(target);
    const item = menu.locator('.action-item .action-label', { hasText: asRegExp(label) }).first();
    await item.hover();
    await item.click();
    // A click right after the menu opened can be taken as the end of the right-click: Enter runs the focused item.
    if (!(await menu.waitFor({ state: 'hidden', timeout: 1_000 }).then(() => true, () => false))) await this.page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
  }

  /** The labels of the context menu `target` opens (the menu is closed again). */
  async contextMenuLabels(target: Locator): Promise<string[]> {
    const menu = await this.openContextMenu(target);
    const labels = (await menu.locator('.action-item .action-label').allInnerTexts()).map((l) => l.trim()).filter(Boolean);
    await this.page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
    return labels;
  }

  private async openContextMenu(target: Locator): Promise<Locator> {
    await target.click({ button: 'right' });
    const menu = this.page.locator('.context-view .monaco-menu');
    await menu.waitFor();
    return menu;
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
}
