// The workbench's modal dialogs, answered for the in-host suites (which run in the extension host and cannot reach
// the page): VS Code asks before a language model tool runs outside a chat, with a dialog the suite must answer.
import type { Page } from 'playwright-core';

export interface AnsweredDialog {
  /** The dialog's text: its message, then its detail. */
  text: string;
}

/** Waits for a dialog, reads it, clicks the button whose label contains `button`, and waits for it to close. */
export async function answerDialog(page: Page, button: string, timeoutMs = 20_000): Promise<AnsweredDialog> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: timeoutMs });
  const text = (await dialog.locator('.dialog-message-row').innerText()).trim();
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: button }).first().click({ timeout: timeoutMs });
  await dialog.waitFor({ state: 'hidden', timeout: timeoutMs });
  return { text };
}
