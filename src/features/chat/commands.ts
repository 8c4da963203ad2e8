// The chat commands: new chat, choose the app, and "Ask Dify about selection" from the editor.
import * as vscode from 'vscode';
import { codeAsMarkdown } from '../editor/code-markdown.js';
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
  return codeAsMarkdown(editor.document, editor.selection.isEmpty ? undefined : editor.selection);
}
