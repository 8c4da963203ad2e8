// A failure in the chat view as the user reads it: what went wrong in words, and the buttons that fix it.
import * as vscode from 'vscode';
import { DifyApiError, DifyNetworkError, DifyRateLimitError, DifyStreamError, DifyUnexpectedResponseError } from '../../dify/index.js';
import type { ErrorAction, TurnError } from '../../protocol.js';
import { KeyUnavailableError } from '../apps/connections.js';
import { errorMessage } from '../apps/messages.js';

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
    if (error.status === 404 && /conversation/i.test(error.difyMessage))
      return { message: vscode.l10n.t('This conversation no longer exists in Dify. Your message is kept: start a new chat and send it again.'), actions: ['reload'] };
    return { message: errorMessage(error), actions: ['retry', 'showLog'] };
  }
  if (error instanceof DifyStreamError)
    return { message: vscode.l10n.t('The answer stopped before it was complete ({0}). Your question is kept: retry to ask again.', error.kind), actions: ['retry', 'showLog'] };
  if (error instanceof DifyNetworkError) return { message: errorMessage(error), actions: ['retry', 'openSettings', 'showLog'] };
  if (error instanceof DifyUnexpectedResponseError) return { message: errorMessage(error), actions: ['retry', 'editApp', 'showLog'] };
  return { message: errorMessage(error), actions: ['retry', 'showLog'] };
}

/**
 * Does what an error's button says, for the app `appId` (Retry of a failed turn is the session's, not here).
 * True when the app should then be loaded again (its key or address may have changed).
 */
export async function runErrorAction(action: ErrorAction, appId: string | undefined): Promise<boolean> {
  switch (action) {
    case 'retry':
    case 'reload':
      return true;
    case 'setKey':
      await vscode.commands.executeCommand('dify.setKey', appId);
      return true;
    case 'editApp':
      await vscode.commands.executeCommand('dify.editApp', appId);
      return true;
    case 'addApp':
      await vscode.commands.executeCommand('dify.addApp');
      return false;
    case 'showLog':
      await vscode.commands.executeCommand('dify.showLog');
      return false;
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'dify.network http.proxy');
      return false;
  }
}
