// The text editors as a person reaches them: open a workspace file, select lines, read what the editor shows.
import type { Locator } from 'playwright-core';
import type { Workbench } from './harness.js';

/** Opens a file of the workspace through Go to File. */
export async function openFile(wb: Workbench, name: string): Promise<void> {
  await wb.runCommand('Go to File...');
  await wb.quickPickType(name);
  await wb.quickPickSelect(name);
  await wb.page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: name }).waitFor();
}

/**
 * The editor tab whose file name contains `name` (VS Code 1.139 shows a name's extension in a span of its own, apart
 * from .label-name); `state` narrows it (e.g. '.active.dirty').
 */
export const editorTab = (wb: Workbench, name: string, state = ''): Locator =>
  wb.page.locator(`.tabs-container .tab${state}`).filter({ has: wb.page.locator('.monaco-icon-label-container', { hasText: name }) }).first();

/** The file name a tab shows: its name, and its extension when VS Code shows it apart (1.139). */
export async function tabName(tab: Locator): Promise<string> {
  return tab.evaluate((e) => ['.label-name', '.label-suffix'].map((c) => e.querySelector(c)?.textContent ?? '').join('').trim());
}

/** The text editor of the active editor group. */
export const activeEditor = (wb: Workbench): Locator => wb.page.locator('.editor-group-container.active .monaco-editor').first();

/**
 * The visible text of the active editor. Monaco reuses its line elements, so after lines were inserted above they
 * are not in document order: they are put in order by their position. Spaces are rendered as no-break spaces.
 */
export async function editorText(wb: Workbench): Promise<string> {
  const lines = await activeEditor(wb)
    .locator('.view-lines .view-line')
    .evaluateAll((elements) => elements.map((e) => ({ top: parseFloat((e as HTMLElement).style.top) || 0, text: e.textContent ?? '' })));
  return lines
    .sort((a, b) => a.top - b.top)
    .map((line) => line.text)
    .join('\n')
    .replace(/\u00a0/g, ' ');
}

/**
 * The lines of one side of the active diff editor: 'original' (left) or 'modified' (right). Only the side's own lines:
 * VS Code 1.139 may also show deleted lines inside the modified side (view zones that are `.view-lines` too).
 */
export const diffSide = (wb: Workbench, side: 'original' | 'modified'): Locator =>
  wb.page.locator(`.editor-group-container.active .monaco-diff-editor .editor.${side} .view-lines:not(.line-delete)`).first();

/** The text one side of the active diff editor shows (no-break spaces as spaces). */
export async function diffSideText(wb: Workbench, side: 'original' | 'modified'): Promise<string> {
  return (await diffSide(wb, side).innerText()).replace(/\u00a0/g, ' ');
}

/** Selects `count` whole lines from line `from` (1-based) with the keyboard. */
export async function selectLines(wb: Workbench, from: number, count: number): Promise<void> {
  await activeEditor(wb).locator('.view-lines').click();
  await wb.page.keyboard.press('Control+Home');
  for (let i = 1; i < from; i++) await wb.page.keyboard.press('ArrowDown');
  for (let i = 0; i < count; i++) await wb.page.keyboard.press('Shift+ArrowDown');
}
