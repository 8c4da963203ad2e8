// What the chat asks or shows about a conversation outside the webview: the History pick, the new name of a
// conversation (typed, or Dify's), and a cited segment as a read-only document.
import * as vscode from 'vscode';
import type { AppChat } from '../../core/app-chat.js';
import { typedConversationName, type ConversationRename } from '../../core/conversation-list.js';
import type { RetrieverResource } from '../../dify/index.js';

/** The app's conversations, newest first (up to 100), to open one: its id, or undefined when none was picked. */
export async function pickConversation(chat: AppChat): Promise<string | undefined> {
  let page;
  try {
    page = await chat.client.getConversations({ limit: 100, sort_by: '-updated_at' });
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not list the conversations of "{0}": {1}', chat.profile.label, (error as Error).message));
    return undefined;
  }
  if (page.data.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" has no conversations yet.', chat.profile.label));
    return undefined;
  }
  const shown = chat.session.conversationId;
  const picked = await vscode.window.showQuickPick(
    page.data.map((c) => ({
      label: c.name || vscode.l10n.t('(untitled)'),
      description: c.id === shown ? vscode.l10n.t('open in chat') : undefined,
      detail: new Date(c.updated_at * 1000).toLocaleString(vscode.env.language),
      id: c.id,
    })),
    { title: vscode.l10n.t('Conversations with "{0}"', chat.profile.label), placeHolder: vscode.l10n.t('Type to filter by name'), matchOnDetail: true },
  );
  return picked && picked.id !== shown ? picked.id : undefined;
}

/**
 * A new name for the conversation called `current`: the text typed (Enter), or Dify's own (the "Let Dify Name It"
 * button); undefined when left or unchanged. Blank text is refused in the box, never taken for Dify's name.
 */
export function askConversationName(current: string): Promise<ConversationRename | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    const generate: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('sparkle'), tooltip: vscode.l10n.t('Let Dify Name It') };
    box.title = vscode.l10n.t('Rename Conversation');
    box.value = current;
    box.prompt = vscode.l10n.t('Type a new name and press Enter, or click "Let Dify Name It" (✨) to have Dify name it from the conversation.');
    box.buttons = [generate];
    const blank = (value: string) =>
      value ? vscode.l10n.t('A name cannot be only spaces.') : vscode.l10n.t('Type a name, or click "Let Dify Name It" (✨).');
    let settled = false;
    const settle = (rename: ConversationRename | undefined) => {
      if (settled) return;
      settled = true;
      resolve(rename);
      box.hide();
    };
    box.onDidChangeValue((value) => (box.validationMessage = typedConversationName(value, current) === 'blank' ? blank(value) : undefined));
    box.onDidAccept(() => {
      const typed = typedConversationName(box.value, current);
      if (typed === 'blank') box.validationMessage = blank(box.value);
      else settle(typed === 'unchanged' ? undefined : typed);
    });
    box.onDidTriggerButton((button) => button === generate && settle({ auto_generate: true }));
    box.onDidHide(() => {
      settle(undefined);
      box.dispose();
    });
    box.show();
  });
}

/** A cited segment as a document: its text as Dify cited it, under a line naming document, dataset, place, score. */
export function citationDocument(citation: RetrieverResource): { name: string; text: string } {
  const document = citation.document_name || citation.title || vscode.l10n.t('Untitled');
  const about = [
    vscode.l10n.t('Cited from "{0}"', document),
    citation.dataset_name ? vscode.l10n.t('dataset "{0}"', citation.dataset_name) : undefined,
    citation.segment_position !== null && citation.segment_position !== undefined ? vscode.l10n.t('segment {0}', citation.segment_position) : undefined,
    typeof citation.score === 'number' ? vscode.l10n.t('score {0}', citation.score.toFixed(2)) : undefined,
  ].filter(Boolean);
  const name = `${document.replace(/\.(md|markdown|txt)$/i, '')} #${citation.segment_position ?? 1}.md`;
  return { name, text: `<!-- ${about.join(' · ').replace(/--/g, '- -')} -->\n\n${citation.content ?? ''}\n` };
}
