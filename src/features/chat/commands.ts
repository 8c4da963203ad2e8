// The chat commands: new chat, choose the app, and "Ask Dify about selection" from the editor.
import * as vscode from 'vscode';
import type { ChatController } from './chat-controller.js';
import type { ChatViewProvider } from './chat-view.js';

export function registerChatCommands(controller: ChatController, view: ChatViewProvider): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('dify.newChat', async () => {
      await view.reveal();
      await controller.newChat();
    }),
    vscode.commands.registerCommand('dify.chooseChatApp', async () => {
      await view.reveal();
      await controller.chooseApp();
    }),
    // Other features hand text to the chat (a knowledge hit, a workflow's output): it lands in the input, unsent.
    vscode.commands.registerCommand('dify.askInChat', async (text: unknown) => {
      if (typeof text !== 'string' || text === '') return;
      await view.reveal();
      await controller.addToDraft(text);
    }),
    vscode.commands.registerCommand('dify.askAboutSelection', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Select some code in an editor first, then ask Dify about it.'));
        return;
      }
      await view.reveal();
      await controller.addToDraft(selectionAsMarkdown(editor));
    }),
  ];
}

/** The selection (or the whole file when nothing is selected) as a fenced block under its file name and lines. */
export function selectionAsMarkdown(editor: vscode.TextEditor): string {
  const { document, selection } = editor;
  const range = selection.isEmpty ? undefined : selection;
  const code = document.getText(range).replace(/\s+$/, '');
  const name = vscode.workspace.asRelativePath(document.uri, false);
  const where = range
    ? range.start.line === range.end.line
      ? vscode.l10n.t('{0}, line {1}', name, range.start.line + 1)
      : vscode.l10n.t('{0}, lines {1}–{2}', name, range.start.line + 1, range.end.line + 1)
    : name;
  // A fence longer than any backtick run inside the code, so the block cannot end early.
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `\`${where}\`\n${fence}${document.languageId}\n${code}\n${fence}\n`;
}
