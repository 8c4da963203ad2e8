// A chat request's (or tool invocation's) CancellationToken as the AbortSignal the Dify client takes: cancelling it
// aborts the request in flight (and a run's stop endpoint is called by the run itself).
import * as vscode from 'vscode';

export function abortOn(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const listener = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => listener.dispose() };
}

/** Runs `call` with a signal aborted when `token` is cancelled. */
export async function whileNotCancelled<T>(token: vscode.CancellationToken, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = abortOn(token);
  try {
    return await call(abort.signal);
  } finally {
    abort.dispose();
  }
}

/** A cancelled invocation ends as cancelled, never with a result that looks like a success. */
export function throwIfCancelled(token: vscode.CancellationToken): void {
  if (token.isCancellationRequested) throw new vscode.CancellationError();
}
