// What a code block in the chat offers for the editor: insert at the cursor, apply as a diff to accept, and links
// opened outside VS Code only for the schemes a chat answer may use.
import * as vscode from 'vscode';
import type { DifyLog } from '../../platform/log.js';
import type { Proposals } from './proposal.js';
import { fileName } from './file-name.js';
import { declaredName, indentedDefinition } from '../../core/code-target.js';

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** The editor the user was in: a sidebar webview having focus leaves it as the active one. */
const targetEditor = (): vscode.TextEditor | undefined => vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];

export async function insertCode(code: string): Promise<void> {
  const editor = targetEditor();
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open an editor to insert the code into.'));
    return;
  }
  await editor.edit((edit) => editor.selections.forEach((s) => edit.replace(s, code)));
}

/**
 * The code block as a diff to accept, against the selection; with nothing selected, against the definition in the
 * file that the block redefines (by name: the language's symbols, else an indented `def`/`class`), else inserted at
 * the cursor. Never the whole file for a snippet.
 */
export async function applyCode(proposals: Proposals, code: string): Promise<void> {
  const editor = targetEditor();
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open the file to apply the code to, select what it replaces, then Apply again.'));
    return;
  }
  const { document, selection } = editor;
  const name = fileName(document.uri);
  if (!selection.isEmpty) {
    await proposals.propose(document, new vscode.Range(selection.start, selection.end), code, vscode.l10n.t('{0} ↔ Dify suggestion', name));
    return;
  }
  const definition = await redefined(document, code);
  if (definition) {
    await proposals.propose(document, definition.range, code.replace(/\n$/, ''), vscode.l10n.t('{0} ↔ Dify suggestion for {1}', name, definition.name));
    return;
  }
  const at = selection.active;
  const inserted = at.character === 0 && !code.endsWith('\n') ? `${code}\n` : code;
  await proposals.propose(document, new vscode.Range(at, at), inserted, vscode.l10n.t('{0} ↔ Dify suggestion at line {1}', name, at.line + 1));
}

/** The whole lines of the definition that `code` redefines, when the document has one of that name. */
async function redefined(document: vscode.TextDocument, code: string): Promise<{ name: string; range: vscode.Range } | undefined> {
  const name = declaredName(code);
  if (!name) return undefined;
  const lines = (start: number, end: number) => new vscode.Range(start, 0, end, document.lineAt(end).text.length);
  const symbols = await vscode.commands
    .executeCommand<Array<vscode.DocumentSymbol | vscode.SymbolInformation> | undefined>('vscode.executeDocumentSymbolProvider', document.uri)
    .then((found) => found ?? [], () => []);
  const flat: Array<{ name: string; range: vscode.Range }> = [];
  const walk = (list: Array<vscode.DocumentSymbol | vscode.SymbolInformation>) => {
    for (const symbol of list) {
      flat.push({ name: symbol.name, range: 'location' in symbol ? symbol.location.range : symbol.range });
      if ('children' in symbol) walk(symbol.children);
    }
  };
  walk(symbols);
  const match = flat.find((s) => s.name === name || s.name.startsWith(`${name}(`));
  if (match) return { name, range: lines(match.range.start.line, match.range.end.line) };
  const block = indentedDefinition(document.getText().split(/\r?\n/), name);
  return block ? { name, range: lines(block.start, block.end - 1) } : undefined;
}

export async function openLink(href: string, log: DifyLog): Promise<void> {
  let uri: vscode.Uri;
  try {
    if (!LINK_SCHEMES.has(new URL(href).protocol)) throw new Error('scheme');
    uri = vscode.Uri.parse(href, true);
  } catch {
    log.warn(`Blocked a link from the chat view: ${href.slice(0, 200)}`);
    return;
  }
  await vscode.env.openExternal(uri);
}
