// VS Code's own Chat view (1.104+), driven like a person: open it, ask, read the answers. Used by the @dify, LM tool
// and Dify-model UI tests, which run on the current VS Code only (the oldest has no Chat view without Copilot).
import type { Locator } from 'playwright-core';
import { eventually, type Workbench } from './harness.js';

/** Opens the Chat view (Ctrl+Alt+I) and waits for its input. */
export async function openChat(wb: Workbench): Promise<Locator> {
  const input = chatInput(wb);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await input.isVisible().catch(() => false)) return input;
    await wb.page.keyboard.press('Control+Alt+KeyI');
    if (await input.waitFor({ timeout: 5_000 }).then(() => true, () => false)) return input;
  }
  await wb.runCommand('Chat: Open Chat');
  await input.waitFor();
  return input;
}

export const chatInput = (wb: Workbench): Locator => wb.page.locator('.interactive-input-editor .monaco-editor').first();

/** The responses shown in the Chat view, oldest first. */
export const chatResponses = (wb: Workbench): Locator => wb.page.locator('.interactive-item-container.interactive-response');

/** The row index of the newest request or response on screen (the view is a virtual list: DOM order is not its order). */
async function newestRow(wb: Workbench, kind: 'request' | 'response'): Promise<number> {
  return wb.page.evaluate((cls) => {
    let newest = -1;
    for (const row of document.querySelectorAll('.interactive-session .monaco-list-row')) {
      if (row.querySelector(cls)) newest = Math.max(newest, Number(row.getAttribute('data-index')));
    }
    return newest;
  }, `.interactive-item-container.interactive-${kind}`);
}

const row = (wb: Workbench, index: number, kind: 'request' | 'response'): Locator =>
  wb.page.locator(`.interactive-session .monaco-list-row[data-index="${index}"] .interactive-item-container.interactive-${kind}`);

/** The newest response (as it is now: a later request has its own). */
export async function lastResponse(wb: Workbench): Promise<Locator> {
  return row(wb, await newestRow(wb, 'response'), 'response');
}

/**
 * Waits until the Chat view's model picker shows `model` (a Dify app's model): VS Code runs a participant only on a
 * model, and the apps a test seeds become models a moment after the window opens.
 */
export async function waitForModel(wb: Workbench, model: RegExp = /Dify: /): Promise<void> {
  await openChat(wb);
  await wb.page.locator('.interactive-input-part .action-item', { hasText: model }).first().waitFor();
}

/**
 * Types a request into the Chat view's input and sends it with Enter; resolves with its response once the request
 * shows as the newest one. (The view is a virtual list: only the rows on screen are in the page.)
 */
export async function sendChat(wb: Workbench, text: string): Promise<Locator> {
  await waitForModel(wb);
  const input = chatInput(wb);
  // Keys go where the focus is: make sure it is the chat's input (not the editor the test selected code in).
  await eventually(async () => {
    await input.click();
    const inChat = await wb.page.evaluate(() => !!document.activeElement?.closest('.interactive-input-part'));
    if (!inChat) throw new Error('the chat input does not have the focus');
  });
  await wb.page.keyboard.press('Control+A');
  await wb.page.keyboard.press('Backspace');
  // Inserted, not typed: typing "@d…" opens the participant completions, and a space accepts the one selected.
  await wb.page.keyboard.insertText(text);
  const suggest = wb.page.locator('.interactive-input-part .suggest-widget.visible, .monaco-workbench .suggest-widget.visible');
  if (await suggest.isVisible().catch(() => false)) await wb.page.keyboard.press('Escape');
  // A test may send the same text twice: the new request is a row after the newest one before Enter.
  const before = await newestRow(wb, 'request');
  await wb.page.keyboard.press('Enter');
  const index = await eventually(async () => {
    const newest = await newestRow(wb, 'request');
    if (newest <= before) throw new Error(`no request after row ${before} yet`);
    const last = (await row(wb, newest, 'request').innerText({ timeout: 1_000 })).replace(/\s+/g, ' ').trim();
    if (!last.includes(text)) throw new Error(`the newest request is "${last}", not "${text}"`);
    return newest;
  });
  const response = row(wb, index + 1, 'response');
  await response.waitFor();
  return response;
}

/** Waits until `response` is complete (its footer with the time it took shows). */
export async function responseDone(response: Locator, timeout = 30_000): Promise<void> {
  await response.locator('.chat-footer-details').first().waitFor({ timeout });
}

/** The follow-ups offered under the last response. */
export const followups = (wb: Workbench): Locator => wb.page.locator('.interactive-followup-reply');

/** Opens a response's collapsed details ("Completed N steps…", "Used N references") until they show `expected`. */
export async function responseDetails(response: Locator, expected: RegExp): Promise<string> {
  return eventually(async () => {
    // Clicked in the page: the list may have scrolled the summary under the view's title bar.
    const summary = response.locator('details.completed-response-disclosure').first();
    if ((await summary.count()) && !(await summary.evaluate((d) => (d as HTMLDetailsElement).open))) await summary.locator('summary').evaluate((e) => (e as HTMLElement).click());
    const references = response.locator('.chat-used-context-label [aria-expanded="false"]').first();
    if (await references.isVisible().catch(() => false)) await references.evaluate((e) => (e as HTMLElement).click());
    const text = await response.innerText();
    if (!expected.test(text)) throw new Error(`the response's details do not show ${expected}:\n${text}`);
    return text;
  });
}

/** Picks `model` in the Chat view's model picker. */
export async function pickModel(wb: Workbench, model: string): Promise<void> {
  await waitForModel(wb);
  // The picker opens with its search box focused; models beyond the first are folded under "Other Models". Opened
  // while the chat input still re-renders (a new session), it can come up empty: closed and opened again then.
  await eventually(async () => {
    await wb.page.locator('.interactive-input-part .action-item', { hasText: /Dify: / }).first().click();
    const search = wb.page.getByPlaceholder('Search models');
    await search.waitFor({ timeout: 3_000 });
    await search.fill(model);
    const row = wb.page.getByText(model, { exact: true }).filter({ visible: true }).last();
    if (!(await row.waitFor({ timeout: 3_000 }).then(() => true, () => false))) {
      await wb.page.keyboard.press('Escape');
      throw new Error(`the model picker does not list "${model}"`);
    }
    await row.click();
  }, 30_000);
  await wb.page.locator('.interactive-input-part .action-item', { hasText: model }).first().waitFor();
}

/** Starts a new chat session (the Chat view's "New Chat"). */
export async function newChatSession(wb: Workbench): Promise<void> {
  await openChat(wb);
  await wb.page.locator('.part.auxiliarybar .title-actions [aria-label^="New Chat"], .part.auxiliarybar .actions-container [aria-label^="New Chat"]').first().click();
}
