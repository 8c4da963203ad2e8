// The "Dify" log channel. Request lines carry method, path, status and duration; every key the extension has
// loaded is registered here and masked in any line, as a second guard behind never logging them at all.
import * as vscode from 'vscode';
import type { RequestLogEntry } from '../dify/index.js';

export class DifyLog implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor() {
    this.channel = vscode.window.createOutputChannel('Dify', { log: true });
  }

  /** Masks this value wherever it would appear in a log line. */
  registerSecret(value: string): void {
    if (value.length >= 8) this.secrets.add(value);
  }

  /** `POST /chat-messages 200 412ms [app label]`; failures as warnings. */
  request(entry: RequestLogEntry, source: string): void {
    const status = entry.status ?? 'ERR';
    const retry = entry.attempt > 1 ? ` (attempt ${entry.attempt})` : '';
    const line = `${entry.method} ${entry.path} ${status} ${entry.durationMs}ms [${source}]${retry}${entry.error ? ` ${entry.error}` : ''}`;
    if (entry.error || (entry.status ?? 0) >= 400) this.channel.warn(this.redact(line));
    else this.channel.info(this.redact(line));
  }

  info(message: string): void {
    this.channel.info(this.redact(message));
  }

  warn(message: string): void {
    this.channel.warn(this.redact(message));
  }

  error(message: string): void {
    this.channel.error(this.redact(message));
  }

  redact(text: string): string {
    let out = text.replace(/Bearer\s+\S+/gi, 'Bearer ***');
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }

  dispose(): void {
    this.channel.dispose();
  }
}
