// Drives the chat view: the app shown (chat-apps.ts), the view's requests (turn-requests.ts, attach-requests.ts),
// the conversation's header, and what the sessions do turned into HostMessages. The webview may come and go (hidden,
// reloaded): the host keeps everything and rehydrates on `ready`.
import * as vscode from 'vscode';
import type { AppChat } from '../../core/app-chat.js';
import type { SessionChange } from '../../core/chat-session-types.js';
import { DeltaBatcher } from '../../core/delta-batcher.js';
import { isChatApp, type ProfileStore } from '../../core/profile-store.js';
import type { ChatState, ChatTurn, ErrorAction, HostMessage, WebviewMessage, WebviewRequest } from '../../protocol.js';
import type { DifyLog } from '../../platform/log.js';
import type { DifyConnections } from '../apps/connections.js';
import type { Proposals } from '../editor/proposal.js';
import type { ReadOnlyDocs } from '../editor/read-only-docs.js';
import { applyCode, insertCode, openLink } from '../editor/code-actions.js';
import { runErrorAction } from './chat-errors.js';
import { AttachRequests } from './attach-requests.js';
import { ChatApps } from './chat-apps.js';
import { TurnRequests, type Decision, type FormValues } from './turn-requests.js';
import { askConversationName, citationDocument, pickConversation } from './conversation-prompts.js';

/** Where the controller posts: the live webview, when there is one that said `ready`. */
export interface ChatViewPort {
  post(message: HostMessage): void;
}

export class ChatController implements vscode.Disposable {
  private port: ChatViewPort | undefined;
  /** The app shown, the apps' loaded chats, and what they keep across reloads. */
  private readonly apps: ChatApps;
  private readonly conversationUsed = new vscode.EventEmitter<{ appId: string; conversationId: string }>();
  /** Deltas from one network read go to the view as one message. */
  private readonly deltas = new DeltaBatcher((batch) => this.port?.post({ type: 'delta', ...batch }));
  /** A conversation started, or got a new answer (its place in the list and maybe its name changed). */
  readonly onDidUseConversation = this.conversationUsed.event;

  private readonly requests = new TurnRequests({
    ready: () => (this.apps.loading ? undefined : this.apps.current),
    setInputs: (chat, values) => this.setInputs(chat, values),
    showInputErrors: (errors) => this.post({ type: 'inputErrors', errors }),
  });
  private readonly attachments = new AttachRequests({
    current: () => this.apps.current,
    postDraft: () => this.postDraft(),
    postState: () => this.postState(),
  });
  private readonly nameReads = new Map<AppChat, Promise<unknown>>();
  private readonly shownChanged = new vscode.EventEmitter<void>();
  /** The conversation shown in the chat changed (another one, a new one, another app). */
  readonly onDidChangeShownConversation = this.shownChanged.event;
  private lastShown: string | undefined;

  constructor(
    private readonly store: ProfileStore,
    connections: DifyConnections,
    state: vscode.Memento,
    private readonly proposals: Proposals,
    private readonly log: DifyLog,
    private readonly docs: ReadOnlyDocs,
  ) {
    this.apps = new ChatApps(store, connections, state, log, {
      changed: () => this.postState(),
      sessionChanged: (chat, change) => this.onSessionChange(chat, change),
      viewConnected: () => this.port !== undefined,
    });
  }

  /** The webview said `ready` (first show, re-show, reload): it gets everything. */
  connect(port: ChatViewPort | undefined): void {
    // The new page gets the whole state: text still queued for the old one is in it.
    this.deltas.dispose();
    this.port = port;
    if (!port) return;
    this.postState();
    if (!this.apps.current && !this.apps.loading) void this.apps.select(this.apps.firstAppId());
  }

  async handle(message: WebviewMessage): Promise<void> {
    const chat = this.apps.current;
    switch (message.type) {
      case 'ready':
        return; // the view provider calls connect()
      case 'send':
        return this.reply(message, this.requests.send(message.text, message.inputs));
      case 'stop':
        return chat?.session.stop();
      case 'newChat':
        return this.newChat();
      case 'history':
        return this.history();
      case 'renameConversation':
        return this.renameConversation();
      case 'retry':
        return this.reply(message, this.requests.retry(message.turnId));
      case 'askAgain':
        return this.reply(message, this.requests.askAgain(message.turnId));
      case 'answerForm':
        return this.reply(message, this.requests.answerForm(message.turnId, message.formId, { inputs: message.inputs, action: message.action }));
      case 'chooseApp':
        return this.apps.chooseApp();
      case 'selectApp':
        return this.apps.select(message.appId);
      case 'draftText':
        if (chat && !this.apps.loading) chat.session.draft.text = message.text;
        return;
      case 'inputs':
        if (chat && !this.apps.loading) this.setInputs(chat, message.values);
        return;
      case 'feedback':
        return this.feedback(message.turnId, message.rating);
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        return;
      case 'insertCode':
        return insertCode(message.code);
      case 'applyCode':
        return applyCode(this.proposals, message.code);
      case 'openLink':
        return openLink(message.href, this.log);
      case 'attach':
        return this.attachments.toDraft();
      case 'openCitation':
        return this.openCitation(message.turnId, message.segmentId);
      case 'attachInput':
        return this.attachments.toInput(message.variable);
      case 'attachData':
        return this.reply(message, this.attachments.data(message.name, message.data, message.mime));
      case 'removeAttachment':
        chat?.removeAttachment(message.id);
        return this.postDraft();
      case 'action':
        return this.runAction(message.action, message.turnId);
      case 'loadOlder':
        return this.reply(message, this.loadOlder());
    }
  }

  /**
   * Answers a request of the view with what the host decided: `undefined` done, a string refused with that reason,
   * `false` refused with the reason already shown (problems at the form's fields).
   */
  private async reply(request: WebviewRequest, decision: Decision | Promise<Decision>): Promise<void> {
    const outcome = await decision;
    this.post({ type: 'reply', requestId: request.requestId, ok: outcome === undefined, ...(typeof outcome === 'string' ? { message: outcome } : {}) });
  }

  private async loadOlder(): Promise<string | undefined> {
    try {
      await this.apps.current?.session.loadOlder();
      return undefined;
    } catch (error) {
      this.log.warn(`Older messages: ${(error as Error).message}`);
      return vscode.l10n.t('Could not load older messages: {0}', (error as Error).message);
    }
  }

  /** Puts text into the draft (e.g. "Ask Dify about selection") with the input focused; the view is already shown. */
  async addToDraft(text: string): Promise<void> {
    if (!this.apps.current) await (this.apps.loading?.promise ?? this.apps.select(this.apps.firstAppId()));
    const chat = this.apps.current as AppChat | undefined;
    if (!chat) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Add a Dify chat app first: run "Dify: Add App".'));
      return;
    }
    const draft = chat.session.draft.text;
    chat.session.draft.text = draft ? `${draft.replace(/\n*$/, '')}\n\n${text}` : text;
    this.postDraft({ focus: true, setText: true });
  }

  /** Asks which chat app to chat with. */
  chooseApp(): Promise<void> {
    return this.apps.chooseApp();
  }

  /** Shows an existing conversation of an app (from the Conversations view) with its latest messages. */
  async openConversation(appId: string, conversationId: string): Promise<void> {
    await this.apps.select(appId);
    const chat = this.apps.current as AppChat | undefined;
    if (!chat || chat.profile.id !== appId) return;
    if (chat.session.conversationId === conversationId && chat.session.turns.length > 0) return;
    if (!(await chat.openConversation(conversationId))) return; // another conversation was opened meanwhile
    await this.apps.lastConversations.set(appId, conversationId);
    this.postState();
    this.showConversationName(chat);
  }

  /**
   * A cited segment in an editor (read-only, as Dify cited it): its text under a line naming the document, the
   * dataset, the segment's place and the score.
   */
  private async openCitation(turnId: string, segmentId: string): Promise<void> {
    const turn = this.apps.current?.session.turns.find((t) => t.id === turnId);
    const citation = turn?.citations.find((c) => c.segment_id === segmentId);
    if (!citation) return;
    const { name, text } = citationDocument(citation);
    await this.docs.show(name, text, `citation:${segmentId}`);
  }


  /** The conversation shown in the chat (the Conversations view marks it). */
  get shownConversation(): { appId: string; conversationId: string } | undefined {
    const chat = this.apps.current;
    const conversationId = chat?.session.conversationId;
    return chat && conversationId ? { appId: chat.profile.id, conversationId } : undefined;
  }

  /** The app's conversations, newest first, to open one: the Conversations view without its room in the side bar. */
  async history(): Promise<void> {
    const chat = this.apps.current;
    const picked = chat && (await pickConversation(chat));
    if (chat && picked) await this.openConversation(chat.profile.id, picked);
  }


  /** Renames the conversation shown, in Dify; the Conversations view follows. */
  async renameConversation(): Promise<void> {
    const chat = this.apps.current;
    const id = chat?.session.conversationId;
    if (!chat || !id) return;
    const current = chat.state().conversationName ?? '';
    const rename = await askConversationName(current);
    if (!rename) return;
    try {
      await chat.renameConversation(rename);
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Renaming failed for "{0}": {1}', current || id, (error as Error).message));
      return;
    }
    if (chat === this.apps.current) this.postState();
    this.conversationUsed.fire({ appId: chat.profile.id, conversationId: id });
  }

  /** Reads the shown conversation's name from Dify (after an answer, Dify may have named it) and shows it. */
  private showConversationName(chat: AppChat): void {
    if (this.nameReads.has(chat)) return; // one read at a time (an answer's end and its suggestions come together)
    const read = chat
      .readConversationName()
      .then(
        (changed) => changed && chat === this.apps.current && this.postState(),
        (error: unknown) => this.log.warn(`Conversation name of "${chat.profile.label}": ${(error as Error).message}`),
      )
      .finally(() => this.nameReads.delete(chat));
    this.nameReads.set(chat, read);
  }

  /** The conversation was deleted (here or in Dify): a chat showing it starts afresh, keeping the draft. */
  async conversationDeleted(appId: string, conversationId: string): Promise<void> {
    const chat = this.apps.get(appId);
    if (chat?.session.conversationId === conversationId) chat.session.newConversation();
    if (this.apps.lastConversations.get(appId) === conversationId) await this.apps.lastConversations.set(appId, undefined);
  }

  /** A new conversation with the app shown: an answer still streaming is stopped, and nothing of it comes back. */
  async newChat(): Promise<void> {
    const chat = this.apps.current;
    if (!chat) return;
    chat.session.newConversation();
    await this.apps.lastConversations.set(chat.profile.id, undefined);
  }

  /** Only the session's current owner tells: a turn it no longer shows never gets here (core/chat-session.ts). */
  private onSessionChange(chat: AppChat, change: SessionChange): void {
    const conversationId = chat.session.conversationId;
    if (change.kind === 'conversation' && conversationId) void this.apps.lastConversations.set(chat.profile.id, conversationId);
    if (change.kind === 'turn' && change.turn.status !== 'streaming') {
      if (conversationId) {
        this.conversationUsed.fire({ appId: chat.profile.id, conversationId });
        this.showConversationName(chat);
      }
      if (change.turn.status === 'error') this.logFailure(chat, change.turn);
    }
    if (chat !== this.apps.current) return;
    switch (change.kind) {
      case 'reset':
      case 'conversation': // the form locks (or unlocks after a failed start)
        return this.postState();
      case 'turn':
        return this.post({ type: 'turn', turn: change.turn });
      case 'node':
        return this.post({ type: 'node', turnId: change.turn.id, node: change.node });
      case 'delta':
        return this.deltas.add(change.turn.id, change.text, change.part);
    }
  }

  /** A failed answer goes to the log (Show Log), with the chatflow's failed steps and their errors. */
  private logFailure(chat: AppChat, turn: ChatTurn): void {
    const failed = turn.nodes.filter((n) => n.status === 'failed' || n.status === 'exception');
    const steps = failed.map((n) => `\n  step "${n.title}" (${n.nodeType}) ${n.status}${n.error ? `: ${n.error}` : ''}`).join('');
    this.log.error(`Chat with "${chat.profile.label}" failed: ${turn.error?.message ?? 'unknown error'}${steps}`);
  }

  /** The form's values while the conversation has not started: kept here (and across reloads), shown by the view. */
  private setInputs(chat: AppChat, values: FormValues): void {
    chat.inputs = { ...values };
    void this.apps.formValues.set(chat.profile.id, chat.inputs);
  }

  private async feedback(turnId: string, rating: 'like' | 'dislike' | null): Promise<void> {
    try {
      await this.apps.current?.session.setFeedback(turnId, rating);
    } catch (error) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Dify did not take the feedback: {0}', (error as Error).message));
      const turn = this.apps.current?.session.turns.find((t) => t.id === turnId);
      if (turn) this.post({ type: 'turn', turn }); // back to what Dify has
    }
  }

  private async runAction(action: ErrorAction, turnId: string | undefined): Promise<void> {
    if (action === 'retry' && turnId) {
      const refused = this.requests.retry(turnId);
      if (refused) void vscode.window.showWarningMessage(refused);
      return;
    }
    if ((await runErrorAction(action, this.apps.shownAppId)) && (await this.apps.reload())) this.postDraft({ setText: true });
  }

  private chatState(): ChatState {
    const apps = this.store.apps().filter(isChatApp).map((p) => ({ id: p.id, name: p.label, mode: p.mode }));
    const base: ChatState = {
      apps,
      loadingApp: this.apps.loading !== undefined,
      appError: this.apps.appError,
      turns: [],
      draft: { text: '', attachments: [] },
      inputs: {},
      inputFiles: {},
      inputsLocked: false,
      hasOlder: false,
    };
    // While another app loads, nothing of the one before can be typed into or sent to.
    return this.apps.current && !this.apps.loading ? { ...base, ...this.apps.current.state() } : base;
  }

  private postState(): void {
    this.post({ type: 'state', state: this.chatState() });
    const shown = this.shownConversation;
    const key = shown ? `${shown.appId}/${shown.conversationId}` : undefined;
    if (key !== this.lastShown) {
      this.lastShown = key;
      this.shownChanged.fire();
    }
  }

  /** The draft's attachments to the view; its text too when the host changed it (`setText`). */
  private postDraft(options: { focus?: boolean; setText?: boolean } = {}): void {
    if (this.apps.current) this.post({ type: 'draft', draft: this.apps.current.draft(), focus: options.focus ?? false, setText: options.setText ?? false });
  }

  /** Any other message to the view goes after the streamed text queued before it. */
  private post(message: HostMessage): void {
    this.deltas.flush();
    this.port?.post(message);
  }

  /** The window goes away (reload, close): answers streaming go on in Dify, and the next window follows them on. */
  dispose(): void {
    this.deltas.dispose();
    this.apps.dispose();
    this.conversationUsed.dispose();
    this.shownChanged.dispose();
  }
}
