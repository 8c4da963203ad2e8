// What the extension remembers across window reloads in a Memento (global or workspace state), by key, newest kept:
// the chat's conversation per app and its form values, per Dify message what its message list does not keep, and
// the workflow runs left while they streamed. Never keys: those live in SecretStorage.
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

  /** Everything remembered, oldest first. */
  entries(): [string, T][] {
    return Object.entries(this.all());
  }

  private all(): Record<string, T> {
    return this.state.get<Record<string, T>>(this.key, {});
  }
}
