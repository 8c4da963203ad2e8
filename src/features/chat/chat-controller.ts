// Drives the chat view: picks the app, loads its parameters, runs its ChatSession, and turns what happens into
// HostMessages. The webview may come and go (hidden, reloaded): the host keeps everything and rehydrates on `ready`.
import * as vscode from 'vscode';
import { AppChat, type AttachTarget, type FileToAttach } from '../../core/app-chat.js';
import type { FileProblem } from '../../core/file-rules.js';
import { ChatSession } from '../../core/chat-session.js';
import type { AnswerRecord, AnswerRecords, SessionChange, StreamingAnswer, StreamingAnswers } from '../../core/chat-session-types.js';
import { DeltaBatcher } from '../../core/delta-batcher.js';
import { checkInputs, toDifyInputs } from '../../core/input-form.js';
import { isChatApp, type AppProfile, type ProfileStore } from '../../core/profile-store.js';
import { DifyApiError } from '../../dify/index.js';
import type { ChatState, ChatTurn, ErrorAction, HostMessage, TurnError, WebviewMessage, WebviewRequest } from '../../protocol.js';
import type { DifyLog } from '../../platform/log.js';
import type { DifyConnections } from '../apps/connections.js';
import { modeLabel } from '../apps/inputs.js';
import type { Proposals } from '../editor/proposal.js';
import type { ReadOnlyDocs } from '../editor/read-only-docs.js';
import { applyCode, insertCode, openLink } from '../editor/code-actions.js';
import { describeChatError, runErrorAction } from './chat-errors.js';
import { askAttachment, pickFiles } from './attach-prompts.js';
import { fileProblemText, inputProblemText } from './chat-messages.js';
import { KeyedMemory } from '../../platform/keyed-memory.js';
import { askConversationName, citationDocument, pickConversation } from './conversation-prompts.js';

type FormValues = Record<string, string | number | boolean>;

/** Global state: the app last chosen in the chat. */
const CHAT_APP_KEY = 'dify.chat.appId';

/** Answers whose stop and usage are remembered (about 200 bytes each). */
const ANSWERS_KEPT = 500;

/** Where the controller posts: the live webview, when there is one that said `ready`. */
export interface ChatViewPort {
  post(message: HostMessage): void;
}

export class ChatController implements vscode.Disposable {
  private port: ChatViewPort | undefined;
  private readonly chats = new Map<string, AppChat>();
  private current: AppChat | undefined;
  private loading: { appId: string; promise: Promise<void> } | undefined;
  private appError: TurnError | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly conversationUsed = new vscode.EventEmitter<{ appId: string; conversationId: string }>();
  /** Deltas from one network read go to the view as one message. */
  private readonly deltas = new DeltaBatcher((batch) => this.port?.post({ type: 'delta', ...batch }));
  /** The conversation each app last showed, and each app's form values not yet sent: both survive a reload. */
  private readonly lastConversations: KeyedMemory<string>;
  private readonly formValues: KeyedMemory<FormValues>;
  /** Finished answers' stop and usage by message id, for conversations reopened later (Dify's list has neither). */
  private readonly answers: AnswerRecords;
  /** The answer streaming in each conversation, so that one left by a window reload is followed on. */
  private readonly streaming: StreamingAnswers;
  /** A conversation started, or got a new answer (its place in the list and maybe its name changed). */
  readonly onDidUseConversation = this.conversationUsed.event;

  private readonly nameReads = new Map<AppChat, Promise<unknown>>();
  private readonly shownChanged = new vscode.EventEmitter<void>();
  /** The conversation shown in the chat changed (another one, a new one, another app). */
  readonly onDidChangeShownConversation = this.shownChanged.event;
  private lastShown: string | undefined;
  /** The default chat app when last looked: a change of it (Apps view, status bar) shows that app in the chat. */
  private knownDefault: string | undefined;

  constructor(
    private readonly store: ProfileStore,
    private readonly connections: DifyConnections,
    private readonly state: vscode.Memento,
    private readonly proposals: Proposals,
    private readonly log: DifyLog,
    private readonly docs: ReadOnlyDocs,
  ) {
    this.lastConversations = new KeyedMemory(state, 'dify.chat.lastConversations');
    this.formValues = new KeyedMemory(state, 'dify.chat.formValues');
    const answers = new KeyedMemory<AnswerRecord>(state, 'dify.chat.answers', ANSWERS_KEPT);
    this.answers = { get: (id) => answers.get(id), remember: (id, record) => void answers.set(id, record) };
    const streaming = new KeyedMemory<StreamingAnswer>(state, 'dify.chat.streaming', ANSWERS_KEPT);
    this.streaming = { get: (id) => streaming.get(id), set: (id, answer) => void streaming.set(id, answer) };
    this.knownDefault = store.defaultChatApp()?.id;
    this.disposables.push(store.onDidChange(() => this.onProfilesChanged()));
  }

  /** The app the chat shows first: the one last chosen in it, else the default chat app. */
  private firstAppId(): string | undefined {
    const chosen = this.state.get<string>(CHAT_APP_KEY);
    const profile = chosen ? this.store.get(chosen) : undefined;
    return profile && isChatApp(profile) ? profile.id : this.store.defaultChatApp()?.id;
  }

  /** The webview said `ready` (first show, re-show, reload): it gets everything. */
  connect(port: ChatViewPort | undefined): void {
    // The new page gets the whole state: text still queued for the old one is in it.
    this.deltas.dispose();
    this.port = port;
    if (!port) return;
    this.postState();
    if (!this.current && !this.loading) void this.selectApp(this.firstAppId());
  }

  async handle(message: WebviewMessage): Promise<void> {
    const chat = this.current;
    switch (message.type) {
      case 'ready':
        return; // the view provider calls connect()
      case 'send':
        return this.reply(message, this.send(message.text, message.inputs));
      case 'stop':
        return chat?.session.stop();
      case 'newChat':
        return this.newChat();
      case 'history':
        return this.history();
      case 'renameConversation':
        return this.renameConversation();
      case 'retry':
        return this.reply(message, this.retry(message.turnId));
      case 'askAgain':
        return this.reply(message, this.askAgain(message.turnId));
      case 'answerForm':
        return this.reply(message, this.answerForm(message.turnId, message.formId, { inputs: message.inputs, action: message.action }));
      case 'chooseApp':
        return this.chooseApp();
      case 'selectApp':
        return this.selectApp(message.appId);
      case 'draftText':
        if (chat && !this.loading) chat.session.draft.text = message.text;
        return;
      case 'inputs':
        if (chat && !this.loading) this.setInputs(chat, message.values);
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
        return this.attachToDraft();
      case 'openCitation':
        return this.openCitation(message.turnId, message.segmentId);
      case 'attachInput':
        for (const file of await pickFiles(false)) await this.attach(file, { kind: 'input', variable: message.variable });
        return;
      case 'attachData': {
        const file = { name: message.name, size: message.data.byteLength, source: { blob: new Blob([message.data as Uint8Array<ArrayBuffer>], { type: message.mime }), filename: message.name } };
        return this.reply(message, this.accept(file, { kind: 'draft' }).then((problem) => problem && fileProblemText(file.name, problem)));
      }
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
  private async reply(request: WebviewRequest, decision: Promise<string | false | undefined>): Promise<void> {
    const outcome = await decision;
    this.post({ type: 'reply', requestId: request.requestId, ok: outcome === undefined, ...(typeof outcome === 'string' ? { message: outcome } : {}) });
  }

  private async loadOlder(): Promise<string | undefined> {
    try {
      await this.current?.session.loadOlder();
      return undefined;
    } catch (error) {
      this.log.warn(`Older messages: ${(error as Error).message}`);
      return vscode.l10n.t('Could not load older messages: {0}', (error as Error).message);
    }
  }

  /** Puts text into the draft (e.g. "Ask Dify about selection") with the input focused; the view is already shown. */
  async addToDraft(text: string): Promise<void> {
    if (!this.current) await (this.loading?.promise ?? this.selectApp(this.firstAppId()));
    const chat = this.current as AppChat | undefined;
    if (!chat) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Add a Dify chat app first: run "Dify: Add App".'));
      return;
    }
    const draft = chat.session.draft.text;
    chat.session.draft.text = draft ? `${draft.replace(/\n*$/, '')}\n\n${text}` : text;
    this.postDraft({ focus: true, setText: true });
  }

  /** Shows an existing conversation of an app (from the Conversations view) with its latest messages. */
  async openConversation(appId: string, conversationId: string): Promise<void> {
    await this.selectApp(appId);
    const chat = this.current as AppChat | undefined;
    if (!chat || chat.profile.id !== appId) return;
    if (chat.session.conversationId === conversationId && chat.session.turns.length > 0) return;
    if (!(await chat.openConversation(conversationId))) return; // another conversation was opened meanwhile
    await this.lastConversations.set(appId, conversationId);
    this.postState();
    this.showConversationName(chat);
  }

  /**
   * A cited segment in an editor (read-only, as Dify cited it): its text under a line naming the document, the
   * dataset, the segment's place and the score.
   */
  private async openCitation(turnId: string, segmentId: string): Promise<void> {
    const turn = this.current?.session.turns.find((t) => t.id === turnId);
    const citation = turn?.citations.find((c) => c.segment_id === segmentId);
    if (!citation) return;
    const { name, text } = citationDocument(citation);
    await this.docs.show(name, text, `citation:${segmentId}`);
  }


  /** The conversation shown in the chat (the Conversations view marks it). */
  get shownConversation(): { appId: string; conversationId: string } | undefined {
    const chat = this.current;
    const conversationId = chat?.session.conversationId;
    return chat && conversationId ? { appId: chat.profile.id, conversationId } : undefined;
  }

  /** The app's conversations, newest first, to open one: the Conversations view without its room in the side bar. */
  async history(): Promise<void> {
    const chat = this.current;
    const picked = chat && (await pickConversation(chat));
    if (chat && picked) await this.openConversation(chat.profile.id, picked);
  }


  /** Renames the conversation shown, in Dify; the Conversations view follows. */
  async renameConversation(): Promise<void> {
    const chat = this.current;
    const id = chat?.session.conversationId;
    if (!chat || !id) return;
    const current = chat.state().conversationName ?? '';
    const name = await askConversationName(current);
    if (!name) return;
    try {
      await chat.renameConversation(name);
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Renaming failed for "{0}": {1}', current || id, (error as Error).message));
      return;
    }
    if (chat === this.current) this.postState();
    this.conversationUsed.fire({ appId: chat.profile.id, conversationId: id });
  }

  /** Reads the shown conversation's name from Dify (after an answer, Dify may have named it) and shows it. */
  private showConversationName(chat: AppChat): void {
    if (this.nameReads.has(chat)) return; // one read at a time (an answer's end and its suggestions come together)
    const read = chat
      .readConversationName()
      .then(
        (changed) => changed && chat === this.current && this.postState(),
        (error: unknown) => this.log.warn(`Conversation name of "${chat.profile.label}": ${(error as Error).message}`),
      )
      .finally(() => this.nameReads.delete(chat));
    this.nameReads.set(chat, read);
  }

  /** The conversation was deleted (here or in Dify): a chat showing it starts afresh, keeping the draft. */
  async conversationDeleted(appId: string, conversationId: string): Promise<void> {
    const chat = this.chats.get(appId);
    if (chat?.session.conversationId === conversationId) chat.session.newConversation();
    if (this.lastConversations.get(appId) === conversationId) await this.lastConversations.set(appId, undefined);
  }

  /** A new conversation with the app shown: an answer still streaming is stopped, and nothing of it comes back. */
  async newChat(): Promise<void> {
    const chat = this.current;
    if (!chat) return;
    chat.session.newConversation();
    await this.lastConversations.set(chat.profile.id, undefined);
  }

  async chooseApp(): Promise<void> {
    const apps = this.store.apps().filter(isChatApp);
    if (apps.length === 0) {
      await vscode.commands.executeCommand('dify.addApp');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      apps.map((p) => ({ label: p.label, description: modeLabel(p.mode), detail: p.description || undefined, id: p.id, picked: p.id === this.current?.profile.id })),
      { title: vscode.l10n.t('Chat with which Dify app?') },
    );
    if (picked) await this.selectApp(picked.id);
  }

  async selectApp(appId: string | undefined): Promise<void> {
    const profile = appId ? this.store.apps().find((p) => p.id === appId) : undefined;
    if (!profile || !isChatApp(profile)) {
      this.current = undefined;
      this.postState();
      return;
    }
    // Remembered for the chat alone: choosing an app here leaves the default chat app (status bar, Apps view) as is.
    void this.state.update(CHAT_APP_KEY, profile.id);
    const existing = this.chats.get(profile.id);
    if (existing) {
      this.current = existing;
      this.appError = undefined;
      this.postState();
      return;
    }
    if (this.loading?.appId === profile.id) return this.loading.promise;
    const promise = this.load(profile).finally(() => {
      if (this.loading?.promise === promise) this.loading = undefined;
      this.postState();
    });
    this.loading = { appId: profile.id, promise };
    this.postState();
    return promise;
  }

  private async load(profile: AppProfile): Promise<void> {
    this.appError = undefined;
    try {
      const client = await this.connections.appClient(profile);
      const parameters = await client.getParameters();
      const chat = new AppChat(
        profile,
        client,
        (c, options) => new ChatSession(c, (e) => describeChatError(e, profile.label), { ...options, answers: this.answers, streaming: this.streaming }),
        parameters,
      );
      chat.inputs = { ...(this.formValues.get(profile.id) ?? {}) };
      chat.session.onDidChange((change) => this.onSessionChange(chat, change));
      this.chats.set(profile.id, chat);
      this.current = chat;
      await this.restoreConversation(chat);
    } catch (error) {
      this.current = undefined;
      this.appError = describeChatError(error, profile.label);
      if (!this.appError.actions.includes('reload')) this.appError.actions.push('reload');
      this.log.warn(`Chat with "${profile.label}": ${(error as Error).message}`);
    }
  }

  /** The last conversation with this app comes back after a window reload, from Dify's own history. */
  private async restoreConversation(chat: AppChat): Promise<void> {
    const id = this.lastConversations.get(chat.profile.id);
    if (!id) return;
    try {
      await chat.openConversation(id);
    } catch (error) {
      // Deleted in Dify, or the end user changed: start fresh rather than fail the view.
      this.log.warn(`Could not reopen the last conversation with "${chat.profile.label}": ${(error as Error).message}`);
      if (error instanceof DifyApiError && error.status === 404) await this.lastConversations.set(chat.profile.id, undefined);
    }
  }

  /** Only the session's current owner tells: a turn it no longer shows never gets here (core/chat-session.ts). */
  private onSessionChange(chat: AppChat, change: SessionChange): void {
    const conversationId = chat.session.conversationId;
    if (change.kind === 'conversation' && conversationId) void this.lastConversations.set(chat.profile.id, conversationId);
    if (change.kind === 'turn' && change.turn.status !== 'streaming') {
      if (conversationId) {
        this.conversationUsed.fire({ appId: chat.profile.id, conversationId });
        this.showConversationName(chat);
      }
      if (change.turn.status === 'error') this.logFailure(chat, change.turn);
    }
    if (chat !== this.current) return;
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

  /** Sends what the view shows: the text and the form's values. Resolves once the turn started, or with why not. */
  private async send(text: string, values: FormValues): Promise<string | false | undefined> {
    const chat = this.current;
    if (!chat || this.loading) return vscode.l10n.t('The app is still loading; send again in a moment.');
    if (chat.session.isRunning) return this.streamingRefusal();
    chat.session.draft.text = text;
    if (!chat.inputsLocked) this.setInputs(chat, values);
    const fields = chat.view.inputForm;
    const problems = checkInputs(fields, chat.inputs);
    const missingFiles = chat.missingFileInputs();
    if (problems.length || missingFiles.length) {
      const errors: Record<string, string> = Object.fromEntries(problems.map((p) => [p.variable, inputProblemText(p)]));
      for (const variable of missingFiles) errors[variable] = vscode.l10n.t('Required: attach a file.');
      this.post({ type: 'inputErrors', errors });
      return false;
    }
    if (text.trim() === '') return vscode.l10n.t('Type a message to send');
    if (chat.uploading) return vscode.l10n.t('Wait until the attachments have uploaded');
    const inputs = { ...toDifyInputs(fields, chat.inputs), ...chat.fileInputs() };
    const attachments = chat.session.draft.attachments;
    this.post({ type: 'inputErrors', errors: {} });
    // The turn is posted as the send starts; the answer streams on after the reply.
    void chat.session.send({ query: text, inputs, attachments });
    return undefined;
  }

  /** The failed turn's question again, with its files; the form's values are today's unless the conversation began. */
  private async retry(turnId: string): Promise<string | undefined> {
    const chat = this.current;
    if (!chat || this.loading) return vscode.l10n.t('The app is still loading; retry in a moment.');
    if (chat.session.isRunning) return this.streamingRefusal();
    if (!chat.session.turns.some((t) => t.id === turnId && t.status === 'error')) return vscode.l10n.t('That question is no longer in this conversation.');
    const inputs = { ...toDifyInputs(chat.view.inputForm, chat.inputs), ...chat.fileInputs() };
    void chat.session.retry(turnId, { inputs });
    return undefined;
  }

  /** A human-input form's answer; the resumed run streams into the same turn. Refused with the reason the view shows. */
  private async answerForm(turnId: string, formId: string, answer: { inputs: Record<string, string>; action: string }): Promise<string | undefined> {
    const chat = this.current;
    if (!chat || this.loading) return vscode.l10n.t('The app is still loading; retry in a moment.');
    if (chat.session.isRunning) return this.streamingRefusal();
    const turn = chat.session.turns.at(-1);
    const form = turn?.id === turnId ? turn.forms?.find((f) => f.id === formId) : undefined;
    if (!form || form.state !== 'open' || turn?.status !== 'paused') return vscode.l10n.t('This form can no longer be answered here.');
    if (!form.actions.some((a) => a.id === answer.action)) return vscode.l10n.t('This form has no such button.');
    void chat.session.answerForm(turnId, formId, answer);
    return undefined;
  }

  /** The last question once more, for another answer; refused with the reason the view shows. */
  private async askAgain(turnId: string): Promise<string | undefined> {
    const chat = this.current;
    if (!chat || this.loading) return vscode.l10n.t('The app is still loading; retry in a moment.');
    switch (chat.session.askAgainRefusal(turnId)) {
      case 'running':
        return this.streamingRefusal();
      case 'not-last':
        return vscode.l10n.t('Only the last answer can be asked for again.');
      case 'files':
        return vscode.l10n.t("This question's files are not known here any more: ask it again with its files.");
    }
    const inputs = { ...toDifyInputs(chat.view.inputForm, chat.inputs), ...chat.fileInputs() };
    void chat.session.askAgain(turnId, { inputs });
    return undefined;
  }

  private streamingRefusal(): string {
    return vscode.l10n.t('An answer is still streaming: stop it or wait for it to finish.');
  }

  /** The form's values while the conversation has not started: kept here (and across reloads), shown by the view. */
  private setInputs(chat: AppChat, values: FormValues): void {
    chat.inputs = { ...values };
    void this.formValues.set(chat.profile.id, chat.inputs);
  }

  private async feedback(turnId: string, rating: 'like' | 'dislike' | null): Promise<void> {
    try {
      await this.current?.session.setFeedback(turnId, rating);
    } catch (error) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Dify did not take the feedback: {0}', (error as Error).message));
      const turn = this.current?.session.turns.find((t) => t.id === turnId);
      if (turn) this.post({ type: 'turn', turn }); // back to what Dify has
    }
  }

  /** The app the view shows, is loading, or will show. */
  private get shownAppId(): string | undefined {
    return this.current?.profile.id ?? this.loading?.appId ?? this.store.defaultChatApp()?.id;
  }

  private async runAction(action: ErrorAction, turnId: string | undefined): Promise<void> {
    if (action === 'retry' && turnId) {
      const refused = await this.retry(turnId);
      if (refused) void vscode.window.showWarningMessage(refused);
      return;
    }
    if (await runErrorAction(action, this.shownAppId)) await this.reloadApp();
  }

  /** Forgets the app's loaded state (the draft survives) and loads it again: after a key or URL fix. */
  private async reloadApp(): Promise<void> {
    const appId = this.shownAppId;
    const old = appId ? this.chats.get(appId) : undefined;
    if (old?.session.isRunning) return;
    if (appId) this.chats.delete(appId);
    old?.dispose();
    this.current = undefined;
    await this.selectApp(appId);
    const reloaded = this.current as AppChat | undefined;
    if (old && reloaded) {
      reloaded.session.draft = old.session.draft;
      this.postDraft({ setText: true });
    }
  }

  /** Files from this computer, or (when the app allows it) a file on the web that Dify fetches itself. */
  private async attachToDraft(): Promise<void> {
    const choice = await askAttachment(this.current?.view.fileUpload);
    if (choice?.kind === 'url') this.attachUrl(choice.url);
    for (const file of choice?.kind === 'files' ? choice.files : []) await this.attach(file, { kind: 'draft' });
  }

  /** Files picked in VS Code's dialogs: a refusal is said in a notification, beside the dialog. */
  private async attach(file: FileToAttach, target: AttachTarget): Promise<void> {
    const problem = await this.accept(file, target);
    if (problem) void vscode.window.showWarningMessage(fileProblemText(file.name, problem));
  }

  /**
   * Starts uploading a file into the draft or a form field. Resolves as soon as the host decided: undefined when the
   * upload started (its progress and outcome show on the file's chip), or why the file was refused.
   */
  private accept(file: FileToAttach, target: AttachTarget): Promise<FileProblem | undefined> {
    const chat = this.current;
    if (!chat) return Promise.resolve({ kind: 'disabled' });
    return new Promise((resolve) => {
      const changed = () => {
        resolve(undefined); // accepted: the chip shows uploading (first call), then ready or failed
        if (target.kind === 'draft') this.postDraft();
        else this.postState();
      };
      void chat.attach(file, target, changed).then(resolve);
    });
  }

  private attachUrl(url: string): void {
    const problem = this.current?.attachUrl(url);
    if (problem) void vscode.window.showWarningMessage(fileProblemText(url, problem));
    this.postDraft();
  }

  private onProfilesChanged(): void {
    for (const [id, chat] of this.chats) {
      const now = this.store.get(id);
      // A removed app, or one whose URL or mode changed, is loaded afresh next time.
      if (!now || now.kind !== 'app' || now.baseUrl !== chat.profile.baseUrl || now.mode !== chat.profile.mode) {
        // Its answer, if one streams, stops: a removed app's chat must not go on talking to Dify.
        this.chats.delete(id);
        chat.dispose();
        if (chat === this.current) this.current = undefined;
      } else if (now.label !== chat.profile.label) {
        chat.view.name = now.label;
      }
    }
    // A default chosen anew (Apps view, status bar) is shown; an app removed gives way to the next one to show.
    const chosen = this.store.defaultChatApp()?.id;
    const defaultChanged = chosen !== this.knownDefault;
    this.knownDefault = chosen;
    const shown = this.loading?.appId ?? this.current?.profile.id;
    if (this.port && defaultChanged && chosen && chosen !== shown) void this.selectApp(chosen);
    else if (this.port && shown === undefined) void this.selectApp(this.firstAppId());
    else this.postState();
  }

  private chatState(): ChatState {
    const apps = this.store.apps().filter(isChatApp).map((p) => ({ id: p.id, name: p.label, mode: p.mode }));
    const base: ChatState = {
      apps,
      loadingApp: this.loading !== undefined,
      appError: this.appError,
      turns: [],
      draft: { text: '', attachments: [] },
      inputs: {},
      inputFiles: {},
      inputsLocked: false,
      hasOlder: false,
    };
    // While another app loads, nothing of the one before can be typed into or sent to.
    return this.current && !this.loading ? { ...base, ...this.current.state() } : base;
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
    if (this.current) this.post({ type: 'draft', draft: this.current.draft(), focus: options.focus ?? false, setText: options.setText ?? false });
  }

  /** Any other message to the view goes after the streamed text queued before it. */
  private post(message: HostMessage): void {
    this.deltas.flush();
    this.port?.post(message);
  }

  dispose(): void {
    this.deltas.dispose();
    // The window goes away (reload, close): answers streaming go on in Dify, and the next window follows them on.
    for (const chat of this.chats.values()) chat.detach();
    this.chats.clear();
    for (const d of this.disposables) d.dispose();
    this.conversationUsed.dispose();
    this.shownChanged.dispose();
  }
}
