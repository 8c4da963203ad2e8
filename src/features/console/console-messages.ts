// What a person reads when the Dify console refuses: Dify's own words where it has them, and what to do.
import * as vscode from 'vscode';
import { LOCKOUT_FAILURES } from '../../core/console-account.js';
import { DifyApiError, DifyConsoleSessionError } from '../../dify/index.js';
import { errorMessage, fromHost } from '../apps/messages.js';

/** A wrong email or password (it counts toward Dify's lock-out), as opposed to a password Dify could not decode. */
export const isWrongPassword = (e: unknown): boolean =>
  e instanceof DifyApiError && e.code === 'authentication_failed' && !/encrypted/i.test(e.difyMessage);

export const isLockedOut = (e: unknown): boolean => e instanceof DifyApiError && e.code === 'email_code_login_limit';

/** Password sign-in is off on this Dify (403 forbidden from /login). */
export const isPasswordLoginOff = (e: unknown): boolean => e instanceof DifyApiError && e.status === 403 && e.code === 'forbidden';

/** Under the password box after a wrong password: Dify's words and how many tries are left before the lock. */
export function wrongPasswordMessage(e: DifyApiError, failures: number): string {
  const left = LOCKOUT_FAILURES - failures;
  return left > 0
    ? vscode.l10n.t('{0} {1} of {2} attempts used: after {2} wrong passwords Dify locks this account for 24 hours.', e.difyMessage, failures, LOCKOUT_FAILURES)
    : vscode.l10n.t('{0} That was attempt {1}: Dify has probably locked this account for 24 hours.', e.difyMessage, failures);
}

/** A sign-in refusal other than a wrong password, as a sentence with what to do. */
export function signInMessage(e: unknown, email: string): string {
  if (e instanceof DifyConsoleSessionError) return e.kind === 'no_workspace' ? fromHost(vscode.l10n.t('The account {0} belongs to no workspace: {1} Ask a workspace admin to invite you.', email, e.difyMessage), e.host) : signedOutMessage(e);
  if (!(e instanceof DifyApiError)) return errorMessage(e);
  const said = e.difyMessage || e.code;
  switch (e.code) {
    case 'email_code_login_limit':
      return fromHost(
        vscode.l10n.t('{0} Dify locks the sign-in of {1} for 24 hours after {2} wrong passwords. Reset the password in Dify\'s web console to sign in sooner.', said, email, LOCKOUT_FAILURES),
        e.host,
      );
    case 'authentication_failed':
      return fromHost(vscode.l10n.t('Dify could not read the password as it was sent ({0}). Report this with Dify\'s version (Dify: Show Log).', said), e.host);
    case 'not_setup':
    case 'not_init_validated':
      return fromHost(vscode.l10n.t('This Dify is not set up yet: {0} Finish its installation in the browser first.', said), e.host);
    case 'account_banned':
      return fromHost(vscode.l10n.t('Dify refused the account: {0}', said), e.host);
    case 'invalid_param':
      return vscode.l10n.t('Dify did not accept the email address: {0}', said.split('\n')[0]!);
    default:
      return isPasswordLoginOff(e) ? passwordLoginOffMessage(e.host ?? '') : errorMessage(e);
  }
}

export function passwordLoginOffMessage(host: string): string {
  return vscode.l10n.t('The Dify at {0} does not offer sign-in with email and password (single sign-on only, which VS Code cannot use). Add each app with its API key instead.', host);
}

export function signedOutMessage(e: DifyConsoleSessionError): string {
  return e.difyMessage
    ? vscode.l10n.t('The Dify console session at {0} has ended ({1}). Sign in again.', e.host ?? '', e.difyMessage)
    : vscode.l10n.t('Not signed in to a Dify workspace. Sign in first.');
}

/** A failure while using the workspace (listing apps, creating a key): the session, the key limit, or as elsewhere. */
export function workspaceMessage(e: unknown): string {
  if (e instanceof DifyConsoleSessionError) return signedOutMessage(e);
  if (e instanceof DifyApiError && e.code === 'max_keys_exceeded') {
    return fromHost(vscode.l10n.t('Dify allows 10 API keys per app or knowledge workspace, and there are 10 already: {0} Delete one in Dify (API Access), then try again.', e.difyMessage), e.host);
  }
  if (e instanceof DifyApiError && e.status === 403) return fromHost(vscode.l10n.t('Your role in this workspace does not allow it: {0} Ask a workspace admin.', e.difyMessage), e.host);
  return errorMessage(e);
}
