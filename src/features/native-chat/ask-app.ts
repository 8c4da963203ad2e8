// `@dify <question>`: the question, with what the user attached, goes to the chat app of this chat session, in the
// session's own Dify conversation (the same core as the sidebar: AppChat and ChatSession), and the answer streams
// into VS Code's Chat view. Stopping the request stops the answer on Dify.
import * as vscode from 'vscode';
import { AppChat } from '../../core/app-chat.js';
import { ChatSession } from '../../core/chat-session.js';
import { appOfRequest, type DifyTurnMetadata, type ThreadState } from '../../core/chat-thread.js';
import { toDifyInputs, type InputValue } from '../../core/input-form.js';
import { isChatApp, type AppProfile, type ProfileStore } from '../../core/profile-store.js';
import type { InputField } from '../../protocol.js';
import { escapeMarkdown } from '../../platform/markdown-text.js';
import type { DifyLog } from '../../platform/log.js';
import type { DifyConnections } from '../apps/connections.js';
import { describeChatError, isConversationGone } from '../chat/chat-errors.js';
import { chatStrings } from '../chat/chat-strings.js';
import { fileProblemText } from '../chat/chat-messages.js';
import type { ReadOnlyDocs } from '../editor/read-only-docs.js';
import { askField } from '../workflows/run-prompts.js';
import { finishAnswer, showError, streamInto } from './answer-stream.js';
import { LANGUAGE_MODEL_VENDOR } from './language-model-provider.js';
import { promptContext, queryWithContext } from './prompt-references.js';

export interface AskServices {
  store: ProfileStore;
  connections: DifyConnections;
  docs: ReadOnlyDocs;
  log: DifyLog;
}

/**
 * The chat app of a request: a Dify app just picked as the model, or the session's (chosen with /app, or answering so
 * far), else the default chat app (the one the status bar shows).
 */
export function sessionApp(store: ProfileStore, state: ThreadState, model?: { vendor: string; id: string }): AppProfile | undefined {
  const picked = model?.vendor === LANGUAGE_MODEL_VENDOR ? store.get(model.id) : undefined;
  const id = appOfRequest(state, picked && isChatApp(picked) ? picked.id : undefined);
  const chosen = id ? store.get(id) : undefined;
  return chosen && isChatApp(chosen) ? chosen : store.defaultChatApp();
}

/** Said when no chat app is configured, with the button that adds one. */
export function noChatApp(stream: vscode.ChatResponseStream): vscode.ChatResult {
  stream.markdown(vscode.l10n.t('No Dify chat app is set up yet. Add a chatbot, agent or chatflow app with its API key, then ask again.'));
  stream.button({ command: 'dify.addApp', title: chatStrings().actionAddApp });
  return {};
}

export async function askApp(
  s: AskServices,
  request: vscode.ChatRequest,
  state: ThreadState,
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
  found: { prompt: string; blocks: string[] } = { prompt: request.prompt, blocks: [] },
): Promise<vscode.ChatResult> {
  const profile = sessionApp(s.store, state, request.model);
  if (!profile) return noChatApp(stream);
  const known = state.conversations.get(profile.id) ?? {};
  const metadata: DifyTurnMetadata = { appId: profile.id, ...known };
  let chat: AppChat;
  // Whether Dify said the conversation asked in no longer exists (deleted in Dify, or by the Conversations view).
  let conversationGone = false;
  const describe = (error: unknown) => {
    conversationGone ||= isConversationGone(error);
    return describeChatError(error, profile.label);
  };
  try {
    const client = await s.connections.appClient(profile);
    const parameters = await client.getParameters();
    chat = new AppChat(profile, client, (c, options) => new ChatSession(c, describe, options), parameters);
  } catch (error) {
    return failed(describeChatError(error, profile.label), stream, metadata, profile, request.prompt);
  }
  try {
    const fields = chat.view.inputForm;
    const inputs = await formValues(fields, known.inputs ?? {}, profile.label);
    if (!inputs) {
      stream.markdown(vscode.l10n.t('Not sent: "{0}" needs its inputs filled in first. Ask again to fill them in.', profile.label));
      return { metadata };
    }
    metadata.inputs = inputs;
    stream.progress(vscode.l10n.t('Asking {0}…', profile.label));
    const context = await promptContext(request.references);
    for (const { name, reason } of context.unreadable) stream.markdown(`${escapeMarkdown(vscode.l10n.t('{0} was not sent: {1}', name, reason))}\n\n`);
    for (const file of context.files) {
      const problem = await chat.attach(file, { kind: 'draft' }, () => {});
      if (problem) stream.markdown(`${escapeMarkdown(fileProblemText(file.name, problem))}\n\n`);
    }
    for (const refused of chat.draft().attachments.filter((a) => a.status === 'error')) {
      stream.markdown(`${escapeMarkdown(vscode.l10n.t('{0} was not sent: {1}', refused.name, refused.error ?? ''))}\n\n`);
    }
    if (token.isCancellationRequested) return { metadata };
    const query = queryWithContext(found.prompt, { ...context, blocks: [...context.blocks, ...found.blocks] });
    const difyInputs = toDifyInputs(fields, inputs);
    let turn = await answer(chat, known.conversationId, { query, inputs: difyInputs }, stream, token);
    // The session's Dify conversation was deleted meanwhile: this question starts a new one instead of failing.
    if (known.conversationId && turn.status === 'error' && conversationGone) {
      stream.markdown(`${vscode.l10n.t('(The earlier Dify conversation of this chat no longer exists; this starts a new one.)')}\n\n`);
      turn = await answer(chat, undefined, { query, inputs: difyInputs }, stream, token);
    }
    finishAnswer(turn, stream, s.docs, { appId: profile.id, prompt: request.prompt });
    metadata.conversationId = turn.conversationId ?? chat.session.conversationId ?? metadata.conversationId;
    if (turn.messageId) metadata.messageId = turn.messageId;
    if (turn.suggestions?.length) metadata.suggestions = turn.suggestions;
    if (turn.status === 'error' && turn.error) {
      s.log.warn(`@dify with "${profile.label}": ${turn.error.message}`);
      return { metadata, errorDetails: { message: turn.error.message } };
    }
    return { metadata };
  } finally {
    chat.dispose();
  }
}

/** Sends one question in `conversationId` (undefined: a new conversation) and streams it; Stop stops it on Dify. */
async function answer(
  chat: AppChat,
  conversationId: string | undefined,
  request: { query: string; inputs: Record<string, unknown> },
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
) {
  chat.session.conversationId = conversationId;
  const streaming = streamInto(chat.session, stream);
  const cancel = token.onCancellationRequested(() => void chat.session.stop());
  try {
    return await chat.session.send({ ...request, attachments: chat.session.draft.attachments.slice() });
  } finally {
    cancel.dispose();
    streaming.dispose();
  }
}

/**
 * The form's values for this session: those kept from earlier in the session, and the required ones without a
 * default asked now, once (Escape: undefined, nothing is sent).
 */
async function formValues(fields: InputField[], kept: Record<string, InputValue>, appLabel: string): Promise<Record<string, InputValue> | undefined> {
  const values = { ...kept };
  for (const field of fields) {
    if (!field.required || field.type === 'file' || field.type === 'file-list') continue;
    const value = values[field.variable] ?? field.default;
    if (value !== undefined && value !== '') continue;
    const asked = await askField(field, appLabel, undefined);
    if (asked === undefined) return undefined;
    values[field.variable] = asked;
  }
  return values;
}

function failed(error: ReturnType<typeof describeChatError>, stream: vscode.ChatResponseStream, metadata: DifyTurnMetadata, profile: AppProfile, prompt: string): vscode.ChatResult {
  showError(error, stream, profile.id, prompt);
  return { metadata, errorDetails: { message: error.message } };
}
