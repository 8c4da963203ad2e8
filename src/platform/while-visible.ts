// Something on screen that goes stale with the clock ("5 minutes ago"): redrawn when it shows again and every
// interval while it is visible; no timer runs while it is hidden or once disposed.
import type * as vscode from 'vscode';

/** What of a view this needs (a TreeView or a WebviewView has it). */
export interface VisibleView {
  readonly visible: boolean;
  onDidChangeVisibility(listener: (e: { visible: boolean }) => unknown): vscode.Disposable;
}

export interface Timers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realTimers: Timers = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export function redrawWhileVisible(view: VisibleView, redraw: () => void, intervalMs = 60_000, timers: Timers = realTimers): vscode.Disposable {
  let handle: unknown;
  const stop = () => {
    if (handle !== undefined) timers.clearInterval(handle);
    handle = undefined;
  };
  const follow = () => {
    stop();
    if (view.visible) handle = timers.setInterval(redraw, intervalMs);
  };
  const subscription = view.onDidChangeVisibility(({ visible }) => {
    if (visible) redraw();
    follow();
  });
  follow();
  return {
    dispose: () => {
      subscription.dispose();
      stop();
    },
  };
}
