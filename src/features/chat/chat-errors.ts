// A failure in the chat view as the user reads it: what went wrong in words, and the buttons that fix it.
import * as vscode from 'vscode';
import { DifyApiError, DifyNetworkError, DifyRateLimitError, DifyStreamError, DifyUnexpectedResponseError } from '../../dify/index.js';
import type { ErrorAction, TurnError } from '../../protocol.js';
import { KeyUnavailableError } from '../apps/connections.js';
import { errorMessage } from '../apps/messages.js';

/** Dify says the conversation asked in no longer exists (deleted in Dify, or from the Conversations view). */
export function isConversationGone(error: unknown): boolean {
  return error instanceof DifyApiError && error.status === 404 && /conversation/i.test(error.difyMessage);
}

export function describeChatError(error: unknown, appLabel: string): TurnError {
  if (error instanceof KeyUnavailableError) return { message: error.message, actions: ['setKey'] };
  if (error instanceof DifyRateLimitError) return { message: errorMessage(error), actions: ['retry'] };
  if (error instanceof DifyApiError) {
    if (error.status === 401)
      return { message: vscode.l10n.t('Dify rejected the key of "{0}". Set the key again from the app\'s "API Access" page.', appLabel), actions: ['setKey', 'retry'] };
    if (error.code === 'app_unavailable' || error.code === 'not_chat_app' || error.status === 403)
      return { message: vscode.l10n.t('"{0}" cannot chat now: {1}', appLabel, error.difyMessage || error.code), actions: ['editApp', 'retry'] };
    if (error.code === 'provider_quota_exceeded' || error.code === 'provider_not_initialize' || error.code === 'model_currently_not_support')
      return { message: vscode.l10n.t('The model of "{0}" cannot answer: {1} Check the model provider in Dify.', appLabel, error.difyMessage || error.code), actions: ['retry'] };
    if (isConversationGone(error))
      return { message: vscode.l10n.t('This conversation no longer exists in Dify. Your message is kept: start a new chat and send it again.'), actions: ['reload'] };
    return { message: errorMessage(error), actions: ['retry', 'showLog'] };
  }
  if (error instanceof DifyStreamError)
    return { message: vscode.l10n.t('The answer stopped before it was complete ({0}). Your question is kept: retry to ask again.', error.kind), actions: ['retry', 'showLog'] };
  if (error instanceof DifyNetworkError) return { message: errorMessage(error), actions: ['retry', 'openSettings', 'showLog'] };
  if (error instanceof DifyUnexpectedResponseError) return { message: errorMessage(error), actions: ['retry', 'editApp', 'showLog'] };
  return { message: errorMessage(error), actions: ['retry', 'showLog'] };
}

/** The command an error's button runs for the app `appId`; none for Retry and Reload, which each surface does itself. */
export function errorActionCommand(action: ErrorAction, appId: string | undefined): { command: string; arguments?: unknown[] } | undefined {
  switch (action) {
    case 'setKey':
      return { command: 'dify.setKey', arguments: [appId] };
    case 'editApp':
      return { command: 'dify.editApp', arguments: [appId] };
    case 'addApp':
      return { command: 'dify.addApp' };
    case 'showLog':
      return { command: 'dify.showLog' };
    case 'openSettings':
      return { command: 'workbench.action.openSettings', arguments: ['dify.network http.proxy'] };
    case 'retry':
    case 'reload':
      return undefined;
  }
}

/**
 * Does what an error's button says, for the app `appId` (Retry of a failed turn is the session's, not here).
 * True when the app should then be loaded again (its key or address may have changed).
 */
export async function runErrorAction(action: ErrorAction, appId: string | undefined): Promise<boolean> {
  const run = errorActionCommand(action, appId);
  if (run) await vscode.commands.executeCommand(run.command, ...(run.arguments ?? []));
  return action === 'retry' || action === 'reload' || action === 'setKey' || action === 'editApp';
}
