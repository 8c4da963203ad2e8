// Which app the chat shows, and each app's loaded chat: chosen in the chat (remembered apart from the default chat
// app), loaded once (its parameters; its last conversation reopened from Dify), loaded afresh after a key or URL fix,
// dropped when the app is removed or its URL or mode changes; and what the chat keeps across window reloads.
import * as vscode from 'vscode';
import { AppChat } from '../../core/app-chat.js';
import { ChatSession } from '../../core/chat-session.js';
import type { AnswerRecord, AnswerRecords, SessionChange, StreamingAnswer, StreamingAnswers } from '../../core/chat-session-types.js';
import { isChatApp, touches, type AppProfile, type ProfileStore } from '../../core/profile-store.js';
import { DifyApiError } from '../../dify/index.js';
import { KeyedMemory } from '../../platform/keyed-memory.js';
import type { DifyLog } from '../../platform/log.js';
import type { TurnError } from '../../protocol.js';
import type { DifyConnections } from '../apps/connections.js';
import { modeLabel } from '../apps/inputs.js';
import { describeChatError } from './chat-errors.js';
import type { FormValues } from './turn-requests.js';

/** Global state: the app last chosen in the chat. */
const CHAT_APP_KEY = 'dify.chat.appId';

/** Answers whose stop and usage are remembered (about 200 bytes each). */
const ANSWERS_KEPT = 500;

export interface ChatAppsHost {
  /** What the chat shows changed: an app chosen, loading, loaded, failed or removed. */
  changed(): void;
  /** A loaded chat's session changed. */
  sessionChanged(chat: AppChat, change: SessionChange): void;
  /** A view is there to show an app chosen anew elsewhere (Apps view, status bar) at once. */
  viewConnected(): boolean;
}

export class ChatApps implements vscode.Disposable {
  private readonly chats = new Map<string, AppChat>();
  /** The chat shown. */
  current: AppChat | undefined;
  /** An app being loaded (the view shows it loading). */
  loading: { appId: string; promise: Promise<void> } | undefined;
  /** Why the app chosen could not be loaded. */
  appError: TurnError | undefined;
  /** The conversation each app last showed, and each app's form values not yet sent: both survive a reload. */
  readonly lastConversations: KeyedMemory<string>;
  readonly formValues: KeyedMemory<FormValues>;
  /** Finished answers' stop and usage by message id, for conversations reopened later (Dify's list has neither). */
  private readonly answers: AnswerRecords;
  /** The answer streaming in each conversation, so that one left by a window reload is followed on. */
  private readonly streaming: StreamingAnswers;
  /** The default chat app when last looked: a change of it (Apps view, status bar) shows that app in the chat. */
  private knownDefault: string | undefined;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly store: ProfileStore,
    private readonly connections: DifyConnections,
    private readonly state: vscode.Memento,
    private readonly log: DifyLog,
    private readonly host: ChatAppsHost,
  ) {
    this.lastConversations = new KeyedMemory(state, 'dify.chat.lastConversations');
    this.formValues = new KeyedMemory(state, 'dify.chat.formValues');
    const answers = new KeyedMemory<AnswerRecord>(state, 'dify.chat.answers', ANSWERS_KEPT);
    this.answers = { get: (id) => answers.get(id), remember: (id, record) => void answers.set(id, record) };
    const streaming = new KeyedMemory<StreamingAnswer>(state, 'dify.chat.streaming', ANSWERS_KEPT);
    this.streaming = { get: (id) => streaming.get(id), set: (id, answer) => void streaming.set(id, answer) };
    this.knownDefault = store.defaultChatApp()?.id;
    // What the chat shows: which apps there are, their names, where they are and how they chat, the default one, and
    // a key set (an app that could not load without one is loaded again).
    this.subscription = store.onDidChange(
      (change) =>
        change.kind === 'app' && (change.what === 'default' || change.what === 'key' || touches(change, 'label', 'baseUrl', 'mode')) && this.profilesChanged(),
    );
  }

  /** The loaded chat of an app, shown or not. */
  get(appId: string): AppChat | undefined {
    return this.chats.get(appId);
  }

  /** The app the chat shows first: the one last chosen in it, else the default chat app. */
  firstAppId(): string | undefined {
    const chosen = this.state.get<string>(CHAT_APP_KEY);
    const profile = chosen ? this.store.get(chosen) : undefined;
    return profile && isChatApp(profile) ? profile.id : this.store.defaultChatApp()?.id;
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
    if (picked) await this.select(picked.id);
  }

  async select(appId: string | undefined): Promise<void> {
    const profile = appId ? this.store.apps().find((p) => p.id === appId) : undefined;
    if (!profile || !isChatApp(profile)) {
      this.current = undefined;
      this.host.changed();
      return;
    }
    // Remembered for the chat alone: choosing an app here leaves the default chat app (status bar, Apps view) as is.
    void this.state.update(CHAT_APP_KEY, profile.id);
    const existing = this.chats.get(profile.id);
    if (existing) {
      this.current = existing;
      this.appError = undefined;
      this.host.changed();
      return;
    }
    if (this.loading?.appId === profile.id) return this.loading.promise;
    const promise = this.load(profile).finally(() => {
      if (this.loading?.promise === promise) this.loading = undefined;
      this.host.changed();
    });
    this.loading = { appId: profile.id, promise };
    this.host.changed();
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
      chat.session.onDidChange((change) => this.host.sessionChanged(chat, change));
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

  /** The app the view shows, is loading, or will show. */
  get shownAppId(): string | undefined {
    return this.current?.profile.id ?? this.loading?.appId ?? this.store.defaultChatApp()?.id;
  }

  /**
   * Forgets the app's loaded state and loads it again: after a key or URL fix. True when the draft went over to the
   * reloaded chat (the view then gets it).
   */
  async reload(): Promise<boolean> {
    const appId = this.shownAppId;
    const old = appId ? this.chats.get(appId) : undefined;
    if (old?.session.isRunning) return false;
    if (appId) this.chats.delete(appId);
    old?.dispose();
    this.current = undefined;
    await this.select(appId);
    const reloaded = this.current as AppChat | undefined;
    if (!old || !reloaded) return false;
    reloaded.session.draft = old.session.draft;
    return true;
  }

  private profilesChanged(): void {
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
    if (this.host.viewConnected() && defaultChanged && chosen && chosen !== shown) void this.select(chosen);
    else if (this.host.viewConnected() && shown === undefined) void this.select(this.firstAppId());
    else this.host.changed();
  }

  /** The window goes away (reload, close): answers streaming go on in Dify, and the next window follows them on. */
  dispose(): void {
    this.subscription.dispose();
    for (const chat of this.chats.values()) chat.detach();
    this.chats.clear();
  }
}
