// Dify: Sign In to Workspace…: the console's address, then email and password. What the instance offers is read
// first (a single-sign-on-only Dify gets the manual key path, a fresh install is said to be one); the password is
// sent once per Enter, never stored or retried by itself, and each wrong one says how many are left before Dify's
// 24-hour lock-out.
import * as vscode from 'vscode';
import { LOCKOUT_FAILURES } from '../../core/console-account.js';
import type { DifyApiError } from '../../dify/index.js';
import { consoleOrigin, detectConsole, type ConsoleInstance } from '../../dify/index.js';
import { ask } from '../apps/inputs.js';
import { errorMessage } from '../apps/messages.js';
import { isPasswordLoginOff, isWrongPassword, passwordLoginOffMessage, signInMessage, wrongPasswordMessage } from './console-messages.js';
import type { WorkspaceSession } from './workspace-session.js';

/** Runs the sign-in; resolves true once signed in. */
export async function signIn(session: WorkspaceSession, suggestedUrl: string | undefined): Promise<boolean> {
  const title = vscode.l10n.t('Sign In to Dify Workspace');
  const instance = await askConsole(session, title, session.account?.origin ?? suggestedUrl ?? 'https://');
  if (!instance) return false;
  if (!instance.setupFinished) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The Dify at {0} is not set up yet. Finish its installation in the browser first.', instance.origin));
    return false;
  }
  if (!instance.passwordLogin || instance.browserOnly) return offerKeys(passwordLoginOffMessage(new URL(instance.origin).host));

  const email = await ask({
    title,
    value: session.account?.origin === instance.origin ? session.account.email : '',
    prompt: vscode.l10n.t('The email address you sign in to Dify with ({0}).', instance.origin),
    validate: (v) => (/^\S+@\S+$/.test(v.trim()) ? undefined : vscode.l10n.t('Enter an email address.')),
  });
  if (email === undefined) return false;

  const client = await session.create(instance.origin);
  let problem: string | undefined;
  for (;;) {
    const failures = session.accounts.failures(instance.origin, email);
    if (failures === LOCKOUT_FAILURES - 1 && !(await lastAttemptConfirmed(email, instance.origin))) return false;
    const password = await ask({
      title,
      prompt: vscode.l10n.t('Password for {0} on {1}. VS Code keeps only the session Dify gives back, never the password.', email, new URL(instance.origin).host),
      password: true,
      problem,
      validate: (v) => (v ? undefined : vscode.l10n.t('Enter the password.')),
    });
    if (password === undefined) return false;
    try {
      await progress(instance.origin, () => client.login(email, password, instance.passwordEncoding));
    } catch (e) {
      if (isWrongPassword(e)) {
        problem = wrongPasswordMessage(e as DifyApiError, await session.accounts.recordFailure(instance.origin, email));
        continue;
      }
      if (isPasswordLoginOff(e)) return offerKeys(signInMessage(e, email));
      void vscode.window.showErrorMessage(signInMessage(e, email));
      return false;
    }
    const workspace = (await client.workspaces().catch(() => [])).find((w) => w.current);
    await session.signedIn(client, email, workspace?.name);
    void vscode.window.showInformationMessage(
      workspace
        ? vscode.l10n.t('Signed in to Dify at {0} as {1}, workspace "{2}".', client.host, email, workspace.name)
        : vscode.l10n.t('Signed in to Dify at {0} as {1}.', client.host, email),
    );
    return true;
  }
}

/** Asks the console's address until Dify answers there (the problem under the box otherwise). */
async function askConsole(session: WorkspaceSession, title: string, initial: string): Promise<ConsoleInstance | undefined> {
  let url = initial;
  let problem: string | undefined;
  for (;;) {
    const answer = await ask({
      title,
      value: url,
      prompt: vscode.l10n.t('The address of your Dify, as you open it in the browser (e.g. https://dify.example.com).'),
      problem,
      validate: (v) => {
        try {
          consoleOrigin(v);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    });
    if (answer === undefined) return undefined;
    url = answer;
    const origin = consoleOrigin(url);
    try {
      const options = await session.connectionOptions();
      return await progress(origin, () => detectConsole({ ...options, consoleUrl: origin }));
    } catch (e) {
      problem = errorMessage(e);
    }
  }
}

async function lastAttemptConfirmed(email: string, origin: string): Promise<boolean> {
  const again = vscode.l10n.t('Enter the Password Again');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('{0} wrong passwords for {1} on {2} so far: one more and Dify locks the account for 24 hours. Check the password (or reset it in Dify) before trying again.', LOCKOUT_FAILURES - 1, email, origin),
    { modal: true },
    again,
  );
  return answer === again;
}

async function offerKeys(message: string): Promise<false> {
  const add = vscode.l10n.t('Add App…');
  if ((await vscode.window.showWarningMessage(message, add)) === add) await vscode.commands.executeCommand('dify.addApp');
  return false;
}

function progress<T>(origin: string, task: () => Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Connecting to {0}…', origin) }, task));
}
