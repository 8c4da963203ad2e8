// What the chat remembers per app across window reloads, in global state: the conversation it last showed, and the
// inputs form's values not yet sent. Never keys: those live in SecretStorage.
import type * as vscode from 'vscode';

export class PerAppMemory<T> {
  constructor(
    private readonly state: vscode.Memento,
    private readonly key: string,
  ) {}

  get(appId: string): T | undefined {
    return this.all()[appId];
  }

  /** Remembers `value` for the app; undefined forgets it. */
  async set(appId: string, value: T | undefined): Promise<void> {
    const all = { ...this.all() };
    if (JSON.stringify(all[appId]) === JSON.stringify(value)) return;
    if (value === undefined) delete all[appId];
    else all[appId] = value;
    await this.state.update(this.key, all);
  }

  private all(): Record<string, T> {
    return this.state.get<Record<string, T>>(this.key, {});
  }
}
