// `@dify` in VS Code's Chat view: asks the session's Dify chat app (ask-app.ts), and its slash commands: /app chooses
// the app for this chat session, /knowledge searches a knowledge base, /run runs a workflow on the selection or the
// files attached. Follow-ups are Dify's suggested questions; 👍/👎 go to Dify as the message's feedback.
import * as vscode from 'vscode';
import { answeredMessage, followupPrompts, searchedFor, threadState, type DifyTurnMetadata, type ThreadState } from '../../core/chat-thread.js';
import { isChatApp } from '../../core/profile-store.js';
import { escapeMarkdown } from '../../platform/markdown-text.js';
import { errorMessage } from '../apps/messages.js';
import { modeLabel } from '../apps/inputs.js';
import type { WorkflowRunner } from '../workflows/workflow-runner.js';
import { askApp, noChatApp, sessionApp, type AskServices } from './ask-app.js';
import { insertIntoEditor } from '../knowledge/search.js';
import { knowledgeBlock, searchKnowledgeInChat } from './knowledge-command.js';
import { KNOWLEDGE_TOOL } from './knowledge-tool.js';
import { promptContext } from './prompt-references.js';
import { runInChat } from './run-command.js';
import { promptWithoutTools, runToolReferences } from './tool-references.js';
import { WORKFLOW_TOOL } from './workflow-tool.js';

export const PARTICIPANT_ID = 'dify-vscode.dify';

export interface ParticipantServices extends AskServices {
  runner: WorkflowRunner;
}

export function registerChatParticipant(context: vscode.ExtensionContext, s: ParticipantServices): vscode.Disposable[] {
  // VS Code before 1.90, or a fork without chat: nothing to register.
  if (typeof vscode.chat?.createChatParticipant !== 'function') return [];
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, async (request, chatContext, stream, token) => {
    const result = await handle(s, request, threadState(chatContext.history, PARTICIPANT_ID), stream, token);
    // The model picked now: a Dify model picked anew later answers with its app (appOfRequest).
    const metadata: DifyTurnMetadata = { ...(result.metadata as DifyTurnMetadata | undefined), modelId: request.model?.id };
    return { ...result, metadata };
  });
  participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
  participant.followupProvider = {
    provideFollowups: (result, chatContext) =>
      followupPrompts(result.metadata).map(({ prompt, ask }) => {
        const app = ask && sessionApp(s.store, threadState(chatContext.history, PARTICIPANT_ID));
        // command '': VS Code would otherwise send it with the answer's own command (/knowledge) again.
        return ask ? { prompt, command: '', label: vscode.l10n.t('Ask {0} with these hits', app?.label ?? 'Dify') } : { prompt, label: prompt };
      }),
  };
  const feedback = participant.onDidReceiveFeedback((event) => void sendFeedback(s, event));
  return [
    participant,
    feedback,
    // /knowledge's Insert buttons.
    vscode.commands.registerCommand('dify.nativeChat.insert', (text: unknown) => typeof text === 'string' && insertIntoEditor(text)),
    // Retry of a failed answer: the same question to @dify again.
    vscode.commands.registerCommand('dify.nativeChat.ask', (prompt: unknown) =>
      vscode.commands.executeCommand('workbench.action.chat.open', { query: `@dify ${typeof prompt === 'string' ? prompt : ''}` }),
    ),
  ];
}

async function handle(
  s: ParticipantServices,
  request: vscode.ChatRequest,
  state: ThreadState,
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
): Promise<vscode.ChatResult> {
  try {
    switch (request.command) {
      case 'app':
        return await chooseApp(s, request, state, stream);
      case 'run':
        return await runInChat(s.runner, request, stream, token);
      case 'knowledge':
        return await searchKnowledgeInChat(s, request, stream, token);
      default:
        return await askWithTools(s, request, state, stream, token);
    }
  } catch (error) {
    s.log.warn(`@dify: ${errorMessage(error)}`);
    return { errorDetails: { message: errorMessage(error) } };
  }
}

/**
 * A question: with the hits of the /knowledge search just before when it is that search's "Ask" follow-up, or after
 * the #difyKnowledge / #difyWorkflow tools it references have run (a workflow's output answers it).
 */
async function askWithTools(
  s: ParticipantServices,
  request: vscode.ChatRequest,
  state: ThreadState,
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
): Promise<vscode.ChatResult> {
  const searched = searchedFor(state, request.prompt);
  if (searched) return askApp(s, request, state, stream, token, { prompt: request.prompt, blocks: [knowledgeBlock(searched)] });
  if (!request.toolReferences.some((t) => t.name === KNOWLEDGE_TOOL || t.name === WORKFLOW_TOOL)) return askApp(s, request, state, stream, token);
  const prompt = promptWithoutTools(request);
  const attached = await promptContext(request.references);
  const tools = await runToolReferences(s, request, prompt, attached.blocks, stream, token);
  if (tools.answered || token.isCancellationRequested) return {};
  return askApp(s, request, state, stream, token, { prompt, blocks: tools.blocks });
}

/** /app: the app this chat session talks to, picked (or named after /app), then said. */
async function chooseApp(s: ParticipantServices, request: vscode.ChatRequest, state: ThreadState, stream: vscode.ChatResponseStream): Promise<vscode.ChatResult> {
  const apps = s.store.apps().filter(isChatApp);
  const current = sessionApp(s.store, state, request.model);
  if (apps.length === 0) return noChatApp(stream);
  const named = request.prompt.trim();
  let chosen = named ? apps.find((p) => p.label === named) ?? apps.find((p) => p.label.toLowerCase() === named.toLowerCase()) : undefined;
  if (named && !chosen) stream.markdown(`${escapeMarkdown(vscode.l10n.t('No chat app is named "{0}".', named))}\n\n`);
  if (!chosen) {
    const picked = await vscode.window.showQuickPick(
      apps.map((p) => ({ label: p.label, description: p.id === current?.id ? vscode.l10n.t('{0} · current', modeLabel(p.mode)) : modeLabel(p.mode), detail: p.description || undefined, profile: p })),
      { title: vscode.l10n.t('Which Dify app should @dify chat with in this session?') },
    );
    chosen = picked?.profile;
  }
  const app = chosen ?? current;
  if (!app) return {};
  stream.markdown(
    chosen
      ? vscode.l10n.t('This chat now talks to **{0}** ({1}).', escapeMarkdown(app.label), modeLabel(app.mode))
      : vscode.l10n.t('This chat talks to **{0}** ({1}).', escapeMarkdown(app.label), modeLabel(app.mode)),
  );
  const metadata: DifyTurnMetadata = { appId: app.id };
  return { metadata };
}

async function sendFeedback(s: ParticipantServices, event: vscode.ChatResultFeedback): Promise<void> {
  const answered = answeredMessage(event.result.metadata);
  const profile = answered ? s.store.get(answered.appId) : undefined;
  if (!answered || !profile || profile.kind !== 'app') return;
  const rating = event.kind === vscode.ChatResultFeedbackKind.Helpful ? 'like' : 'dislike';
  try {
    const client = await s.connections.appClient(profile);
    await client.sendMessageFeedback(answered.messageId, { rating });
  } catch (error) {
    s.log.warn(`Feedback on an answer of "${profile.label}": ${errorMessage(error)}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('Dify did not take the feedback on the answer of "{0}": {1}', profile.label, errorMessage(error)));
  }
}
