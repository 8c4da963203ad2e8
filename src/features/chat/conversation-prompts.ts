// What the chat asks or shows about a conversation outside the webview: the History pick, the new name of a
// conversation, and a cited segment as a read-only document.
import * as vscode from 'vscode';
import type { AppChat } from '../../core/app-chat.js';
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

/** A new name for the conversation called `current`; undefined when left or unchanged. */
export async function askConversationName(current: string): Promise<string | undefined> {
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('Rename Conversation'),
    value: current,
    prompt: vscode.l10n.t('The name Dify shows for this conversation'),
    validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Type a name')),
  });
  const trimmed = name?.trim();
  return trimmed && trimmed !== current ? trimmed : undefined;
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
