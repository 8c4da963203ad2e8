// Each enabled Dify chat app as a VS Code language model, "Dify: <app name>": a request's last user message is the
// question, the answer streams back as text parts as Dify streams it (the sidebar's ChatSession), and a thread
// continues its Dify conversation (core/lm-thread.ts). Cancelling stops the run on Dify.
import * as vscode from 'vscode';
import { ChatSession } from '../../core/chat-session.js';
import type { ChatTurn } from '../../core/chat-turn.js';
import { defaultInputs, enabledChatApps, MAX_INPUT_TOKENS, MAX_OUTPUT_TOKENS, type AppModel } from '../../core/lm-models.js';
import { answeredKey, NoQuestionError, planRequest, type ThreadConversation, type ThreadMessage, type ThreadPlan } from '../../core/lm-thread.js';
import { isChatApp, touches, type AppProfile, type ProfileStore } from '../../core/profile-store.js';
import { estimateTokens, MESSAGE_OVERHEAD_TOKENS } from '../../core/token-estimate.js';
import { type AppClient, type AppParameters, type Inputs } from '../../dify/index.js';
import { KeyedMemory } from '../../platform/keyed-memory.js';
import type { DifyLog } from '../../platform/log.js';
import type { DifyConnections } from '../apps/connections.js';
import { modeLabel } from '../apps/inputs.js';
import { describeChatError, isConversationGone } from '../chat/chat-errors.js';
import { whileNotCancelled } from './cancellation.js';
import type {
  LanguageModelChatInformation,
  LanguageModelChatProvider,
  LanguageModelChatRequestMessage,
  LanguageModelResponsePart,
} from './language-model-api.js';
import { threadMessage } from './language-model-messages.js';

export const LANGUAGE_MODEL_VENDOR = 'dify';
/** `dify.languageModels.apps`: the chat apps offered as models (`["*"]`: all, `[]`: none). */
const APPS_SETTING = 'dify.languageModels.apps';
/** Global state: thread key → the Dify conversation its answers went to; the newest THREADS_KEPT kept. */
const THREADS_KEY = 'dify.languageModels.threads';
const THREADS_KEPT = 200;

/** An app ready to be asked: its client, and the inputs its form takes by default. */
interface PreparedApp {
  client: AppClient;
  inputs: Inputs;
}

/** An answer streamed: its turn, the text shown, and whether the conversation it continued was gone in Dify. */
interface Answered {
  turn: ChatTurn;
  shown: string;
  goneConversation: boolean;
}

export class DifyLanguageModels implements LanguageModelChatProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly threads: KeyedMemory<ThreadConversation>;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly store: ProfileStore,
    private readonly connections: DifyConnections,
    state: vscode.Memento,
    private readonly log: DifyLog,
  ) {
    this.threads = new KeyedMemory(state, THREADS_KEY, THREADS_KEPT);
    this.subscriptions = [
      this.changed,
      // What the model list shows: which chat apps there are, their names, where they are and how they chat.
      store.onDidChange((change) => change.kind === 'app' && touches(change, 'label', 'appName', 'baseUrl', 'mode') && this.modelsChanged()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(APPS_SETTING) && this.modelsChanged()),
    ];
  }

  /** Tells VS Code to ask for the models again. */
  modelsChanged(): void {
    this.changed.fire();
  }

  provideLanguageModelChatInformation(): LanguageModelChatInformation[] {
    return enabledChatApps(this.store.all(), vscode.workspace.getConfiguration().get(APPS_SETTING)).map(modelInformation);
  }

  async provideLanguageModelChatResponse(
    model: LanguageModelChatInformation,
    messages: readonly LanguageModelChatRequestMessage[],
    _options: unknown,
    progress: vscode.Progress<LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const profile = this.store.get(model.id);
    if (!profile || !isChatApp(profile)) {
      throw new Error(vscode.l10n.t('The Dify app of "{0}" is no longer configured. Choose another model, or add the app again with "Dify: Add App".', model.name));
    }
    const thread = messages.map(threadMessage);
    let plan: ThreadPlan;
    try {
      plan = planRequest(thread, profile.id, this.threads);
    } catch (error) {
      if (error instanceof NoQuestionError) throw new Error(vscode.l10n.t('There is no question to send to "{0}": the request has no message from you with text.', profile.label));
      throw error;
    }
    const app = await this.prepare(profile, token);
    if (!app) return;
    // A chatflow asked to continue a conversation Dify no longer has sends nothing at all (Dify publishes the 404 from
    // its worker, where no stream hears it) until the stall watchdog gives up: look first.
    if (plan.conversationId && profile.mode === 'advanced-chat' && (await this.isGone(app.client, plan.conversationId, profile, token))) {
      plan = this.startOver(thread, profile);
    }
    let answered = await this.answer(profile, app, plan, progress, token);
    if (answered?.goneConversation && !token.isCancellationRequested) {
      answered = await this.answer(profile, app, this.startOver(thread, profile), progress, token);
    }
    if (!answered) return;
    const { turn, shown } = answered;
    if (turn.status === 'error') throw new Error(namingApp(turn.error?.message ?? '', profile.label));
    if (turn.conversationId) await this.threads.set(answeredKey(thread, shown), { appId: profile.id, conversationId: turn.conversationId });
    if (turn.status === 'paused') {
      throw new Error(
        vscode.l10n.t('"{0}" is waiting for an answer to a form in its chatflow. Open the conversation from the Dify Conversations view to answer it.', profile.label),
      );
    }
  }

  provideTokenCount(_model: LanguageModelChatInformation, text: string | LanguageModelChatRequestMessage): Promise<number> {
    if (typeof text === 'string') return Promise.resolve(estimateTokens(text));
    return Promise.resolve(estimateTokens(threadMessage(text).text) + MESSAGE_OVERHEAD_TOKENS);
  }

  /**
   * Sends the plan's question and streams the answer into `progress`; undefined when cancelled before it was sent.
   * `shown` is the text reported, as the thread will show it; `goneConversation`: the conversation to continue no
   * longer exists in Dify (nothing was shown).
   */
  private async answer(
    profile: AppProfile,
    app: PreparedApp,
    plan: ThreadPlan,
    progress: vscode.Progress<LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<Answered | undefined> {
    if (token.isCancellationRequested) return undefined;
    let failure: unknown;
    const chat = new ChatSession(app.client, (error) => {
      failure = error;
      return describeChatError(error, profile.label);
    });
    chat.conversationId = plan.conversationId;
    let shown = '';
    chat.onDidChange((change) => {
      if (change.kind !== 'delta' || change.part) return;
      shown += change.text;
      progress.report(new vscode.LanguageModelTextPart(change.text));
    });
    // Cancelled: nobody reads on, so the session is done with; its answer is stopped on Dify (the stop endpoint).
    const stop = token.onCancellationRequested(() => chat.dispose());
    try {
      const turn = await chat.send({ query: plan.query, inputs: app.inputs });
      // Output moderation replaces an answer as a whole: what streamed cannot be taken back, so the replacement follows.
      if (turn.answer !== shown && (turn.status === 'done' || turn.status === 'stopped') && !token.isCancellationRequested) {
        const rest = turn.answer.startsWith(shown) ? turn.answer.slice(shown.length) : `\n\n${turn.answer}`;
        shown += rest;
        progress.report(new vscode.LanguageModelTextPart(rest));
      }
      const goneConversation = turn.status === 'error' && plan.conversationId !== undefined && shown === '' && isConversationGone(failure);
      return { turn, shown, goneConversation };
    } finally {
      stop.dispose();
      chat.dispose();
    }
  }

  /** The app's client and the inputs its form takes by default; undefined when cancelled meanwhile. */
  private async prepare(profile: AppProfile, token: vscode.CancellationToken): Promise<PreparedApp | undefined> {
    let client: AppClient;
    let parameters: AppParameters;
    try {
      client = await this.connections.appClient(profile);
      parameters = await whileNotCancelled(token, (signal) => client.getParameters({ signal }));
    } catch (error) {
      if (token.isCancellationRequested) return undefined;
      throw new Error(namingApp(describeChatError(error, profile.label).message, profile.label));
    }
    const { inputs, missing } = defaultInputs(parameters);
    if (missing.length > 0) {
      throw new Error(
        vscode.l10n.t(
          '"{0}" needs its form filled in before it can chat ({1}), which a language model request cannot ask for. Chat with it through @dify or the Dify chat view, or give those fields a default in Dify.',
          profile.label,
          missing.join(', '),
        ),
      );
    }
    return { client, inputs };
  }

  /** Whether Dify no longer has the conversation (deleted there); false when cancelled meanwhile. */
  private async isGone(client: AppClient, conversationId: string, profile: AppProfile, token: vscode.CancellationToken): Promise<boolean> {
    try {
      await whileNotCancelled(token, (signal) => client.getMessages({ conversation_id: conversationId, limit: 1 }, { signal }));
      return false;
    } catch (error) {
      if (isConversationGone(error)) return true;
      if (token.isCancellationRequested) return false;
      throw new Error(namingApp(describeChatError(error, profile.label).message, profile.label));
    }
  }

  /** The conversation a thread continued is gone in Dify: a new one, with the thread so far as context. */
  private startOver(thread: ThreadMessage[], profile: AppProfile): ThreadPlan {
    this.log.info(`"${profile.label}" as a language model: the conversation a thread continued is gone in Dify; starting a new one.`);
    return planRequest(thread, profile.id, undefined);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

function modelInformation(model: AppModel): LanguageModelChatInformation {
  return {
    id: model.id,
    name: vscode.l10n.t('Dify: {0}', model.label),
    family: LANGUAGE_MODEL_VENDOR,
    version: model.mode,
    maxInputTokens: MAX_INPUT_TOKENS,
    maxOutputTokens: MAX_OUTPUT_TOKENS,
    tooltip: vscode.l10n.t('The Dify app "{0}" ({1}) at {2}', model.label, modeLabel(model.mode), model.host),
    detail: model.host,
    // VS Code's Chat view (1.139: agent mode only) offers, and runs @participants on, only models that take tools.
    // A Dify app runs its own tools in Dify: the tools VS Code offers with a request are not passed on, and the
    // answer is text. Without this a Dify model could not carry @dify where no other model is signed in.
    capabilities: { toolCalling: true, imageInput: false },
  };
}

/** The sidebar's words name the app in most errors; where they do not, the app is named first. */
function namingApp(message: string, label: string): string {
  return message.includes(label) ? message : vscode.l10n.t('Dify app "{0}": {1}', label, message);
}

