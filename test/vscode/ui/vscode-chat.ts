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

/** The newest response. */
export const lastResponse = (wb: Workbench): Locator => chatResponses(wb).last();

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
  await input.click();
  await wb.page.keyboard.press('Control+A');
  await wb.page.keyboard.press('Backspace');
  await wb.page.keyboard.type(text);
  await wb.page.keyboard.press('Enter');
  const shown = text.replace(/^@dify\s+/, '').trim();
  await eventually(async () => {
    const last = (await wb.page.locator('.interactive-item-container.interactive-request').last().innerText()).replace(/\s+/g, ' ').trim();
    if (!last.endsWith(shown)) throw new Error(`the newest request is "${last}", not "${text}"`);
  });
  return lastResponse(wb);
}

/** Waits until `response` is complete (its footer with the time it took shows). */
export async function responseDone(response: Locator, timeout = 30_000): Promise<void> {
  await response.locator('.chat-footer-details').first().waitFor({ timeout });
}

/** The follow-ups offered under the last response. */
export const followups = (wb: Workbench): Locator => wb.page.locator('.interactive-followup-reply');

/** Opens a response's collapsed details ("Completed N steps…", "Used N references") and returns their text. */
export async function responseDetails(response: Locator): Promise<string> {
  for (const selector of ['summary.completed-response-summary', '.chat-used-context-label [aria-expanded="false"]']) {
    const toggle = response.locator(selector).first();
    if (await toggle.isVisible().catch(() => false)) await toggle.click();
  }
  return response.innerText();
}

/** Starts a new chat session (the Chat view's "New Chat"). */
export async function newChatSession(wb: Workbench): Promise<void> {
  await openChat(wb);
  await wb.page.locator('.part.auxiliarybar .title-actions [aria-label^="New Chat"], .part.auxiliarybar .actions-container [aria-label^="New Chat"]').first().click();
}
