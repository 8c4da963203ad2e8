// One Dify answer, shown in VS Code's Chat view as it streams: text as markdown, agent tool steps and chatflow nodes as
// progress, and at the end the citations as references, the files Dify made, and a failure in the sidebar's words
// with the same buttons.
import * as vscode from 'vscode';
import type { ChatSession } from '../../core/chat-session.js';
import type { ChatTurn } from '../../core/chat-turn.js';
import { ERROR_ACTION_LABELS, type RetrieverResource, type TurnError } from '../../protocol.js';
import { citationGroups, type CitedDocument } from '../../core/citation-groups.js';
import { escapeMarkdown } from '../../platform/markdown-text.js';
import { errorActionCommand } from '../chat/chat-errors.js';
import { chatStrings } from '../chat/chat-strings.js';
import type { ReadOnlyDocs } from '../editor/read-only-docs.js';

/** Streams the session's changes for `turn` into the response until disposed. */
export function streamInto(session: ChatSession, stream: vscode.ChatResponseStream): vscode.Disposable {
  const saidThoughts = new Set<string>();
  const saidNodes = new Set<string>();
  const subscription = session.onDidChange((change) => {
    if (change.kind === 'delta' && change.part === undefined) stream.markdown(change.text);
    else if (change.kind === 'node' && change.node.status === 'running' && !saidNodes.has(change.node.id)) {
      saidNodes.add(change.node.id);
      if (change.node.title) stream.progress(vscode.l10n.t('Running "{0}"…', change.node.title));
    } else if (change.kind === 'turn') {
      for (const thought of change.turn.thoughts) {
        if (!thought.tool || saidThoughts.has(thought.id)) continue;
        saidThoughts.add(thought.id);
        stream.progress(vscode.l10n.t('Using {0}…', thought.tool));
      }
    }
  });
  return { dispose: () => subscription.dispose() };
}

/** What is shown after the answer's text: files, citations, why it stopped or failed. */
export function finishAnswer(turn: ChatTurn, stream: vscode.ChatResponseStream, docs: ReadOnlyDocs, error: { appId: string; prompt: string }): void {
  if (turn.replacedBecause) stream.markdown(`\n\n> ${escapeMarkdown(vscode.l10n.t('Dify replaced the answer: {0}', turn.replacedBecause))}`);
  // Files Dify made (images, documents): links the user opens, never loaded into the chat by themselves.
  for (const file of turn.files) {
    if (/^https?:/i.test(file.url)) stream.anchor(vscode.Uri.parse(file.url), vscode.l10n.t('File from Dify ({0})', file.type));
  }
  for (const reference of citationReferences(turn.citations, docs)) stream.reference(reference);
  if (turn.status === 'paused') stream.markdown(`\n\n${vscode.l10n.t('The chatflow is waiting for a form to be answered. Open this conversation in the Dify chat view to answer it.')}`);
  if (turn.status === 'error' && turn.error) showError(turn.error, stream, error.appId, error.prompt);
}

/**
 * The buttons of an error (the sidebar's); its words go in the result's errorDetails, which VS Code shows as the
 * response's error. Retry (and Reload) ask @dify the same question again.
 */
export function showError(error: TurnError, stream: vscode.ChatResponseStream, appId: string | undefined, prompt: string): void {
  const strings = chatStrings();
  for (const action of error.actions) {
    const run = errorActionCommand(action, appId) ?? { command: 'dify.nativeChat.ask', arguments: [prompt] };
    stream.button({ ...run, title: strings[ERROR_ACTION_LABELS[action]] });
  }
}

/**
 * The documents an answer cites, one reference each (Dify cites segments: those of one document go together), as a
 * read-only document with the cited text under the document's name.
 */
export function citationReferences(citations: RetrieverResource[], docs: ReadOnlyDocs): vscode.Uri[] {
  // Named as the document is (its extension picks the highlighting), so the reference reads as Dify names it.
  return citationGroups(citations).map((group) => docs.put(group.document || vscode.l10n.t('Untitled document'), citedMarkdown(group), `cited:${group.key}`));
}

function citedMarkdown(group: CitedDocument): string {
  const lines = [`# ${group.document || vscode.l10n.t('Untitled document')}`, ''];
  if (group.dataset) lines.push(vscode.l10n.t('Knowledge base: {0}', group.dataset), '');
  for (const segment of group.segments) {
    const score = typeof segment.score === 'number' ? ` · ${vscode.l10n.t('score {0}', segment.score.toFixed(2))}` : '';
    lines.push(`## ${vscode.l10n.t('Segment {0}', segment.segment_position ?? segment.position ?? '?')}${score}`, '', segment.content ?? '', '');
  }
  return lines.join('\n');
}
