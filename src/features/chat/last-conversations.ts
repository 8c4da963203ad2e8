// The conversation each chat app last showed, kept in global state so a window reload opens it again.
import type * as vscode from 'vscode';

const KEY = 'dify.chat.lastConversations';

export class LastConversations {
  constructor(private readonly state: vscode.Memento) {}

  get(appId: string): string | undefined {
    return this.all()[appId];
  }

  /** Remembers `conversationId` for the app; undefined forgets it. */
  async set(appId: string, conversationId: string | undefined): Promise<void> {
    const all = { ...this.all() };
    if (all[appId] === conversationId) return;
    if (conversationId) all[appId] = conversationId;
    else delete all[appId];
    await this.state.update(KEY, all);
  }

  /** Forgets the app's conversation if it is `conversationId` (deleted). */
  async forget(appId: string, conversationId: string): Promise<void> {
    if (this.get(appId) === conversationId) await this.set(appId, undefined);
  }

  private all(): Record<string, string> {
    return this.state.get<Record<string, string>>(KEY, {});
  }
}
