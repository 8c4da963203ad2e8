// What the chat remembers across window reloads, in global state, by key: per app the conversation it last showed
// and the inputs form's values not yet sent; per Dify message what its message list does not keep (stopped, usage).
// Never keys: those live in SecretStorage.
import type * as vscode from 'vscode';

export class KeyedMemory<T> {
  constructor(
    private readonly state: vscode.Memento,
    private readonly key: string,
    /** Keep only the newest this many (oldest written first out). */
    private readonly keep = Infinity,
  ) {}

  get(key: string): T | undefined {
    return this.all()[key];
  }

  /** Remembers `value` for `key` (as the newest); undefined forgets it. */
  async set(key: string, value: T | undefined): Promise<void> {
    const all = { ...this.all() };
    if (JSON.stringify(all[key]) === JSON.stringify(value)) return;
    delete all[key];
    if (value !== undefined) all[key] = value;
    const keys = Object.keys(all);
    for (const old of keys.slice(0, Math.max(0, keys.length - this.keep))) delete all[old];
    await this.state.update(this.key, all);
  }

  private all(): Record<string, T> {
    return this.state.get<Record<string, T>>(this.key, {});
  }
}
