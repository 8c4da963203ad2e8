// How a run is named wherever it shows (the Runs view, its documents, the progress): its status, a step's status,
// its duration, when it started, and where its output went.
import * as vscode from 'vscode';
import { secondsFigure } from '../../core/duration.js';
import { relativeTime } from '../../core/relative-time.js';
import type { RecordedStep } from '../../core/workflow-history.js';
import type { OutputMode } from '../../core/workflow-output.js';

export function statusLabel(status: string): string {
  switch (status) {
    case 'succeeded':
      return vscode.l10n.t('succeeded');
    case 'partial-succeeded':
      return vscode.l10n.t('partly succeeded');
    case 'failed':
      return vscode.l10n.t('failed');
    case 'stopped':
      return vscode.l10n.t('stopped');
    case 'paused':
      return vscode.l10n.t('paused');
    case 'running':
      return vscode.l10n.t('running');
    default:
      return status;
  }
}

/** A node's end: a run's words, plus a failure a node's error strategy handled and an attempt that was retried. */
export function stepStatusLabel(status: RecordedStep['status']): string {
  if (status === 'exception') return vscode.l10n.t('failed, handled');
  if (status === 'retry') return vscode.l10n.t('retried');
  return statusLabel(status);
}

/** "3.1 s", "45 s", "2 min 5 s". */
export function duration(seconds: number): string {
  if (seconds < 60) return vscode.l10n.t('{0} s', secondsFigure(seconds));
  const s = Math.round(seconds);
  return vscode.l10n.t('{0} min {1} s', Math.floor(s / 60), s % 60);
}

/** "Dec 7, 08:30:12" in the user's language. */
export const absoluteTime = (ms: number): string =>
  new Date(ms).toLocaleString(vscode.env.language, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** "5 minutes ago", "yesterday" in the user's language. */
export const timeAgo = (ms: number): string => relativeTime(ms, Date.now(), vscode.env.language);

/** Where the output goes, as the output picker offers it. */
export function outputModeLabel(mode: OutputMode): string {
  switch (mode) {
    case 'replace':
      return vscode.l10n.t('Replace the selection');
    case 'insertBelow':
      return vscode.l10n.t('Insert below the selection');
    case 'diff':
      return vscode.l10n.t('Show a diff to accept or reject');
    case 'newEditor':
      return vscode.l10n.t('Open in a new editor');
    case 'copy':
      return vscode.l10n.t('Copy to the clipboard');
    case 'chat':
      return vscode.l10n.t('Show in the chat view');
  }
}

/** Where the output went, in a word or two for a Runs row. */
export function outputModeName(mode: OutputMode): string {
  switch (mode) {
    case 'replace':
      return vscode.l10n.t('replace');
    case 'insertBelow':
      return vscode.l10n.t('insert');
    case 'diff':
      return vscode.l10n.t('diff');
    case 'newEditor':
      return vscode.l10n.t('new editor');
    case 'copy':
      return vscode.l10n.t('copy');
    case 'chat':
      return vscode.l10n.t('chat');
  }
}
