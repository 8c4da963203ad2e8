// The input boxes of the app flows. They stay open when focus moves (people copy keys from a browser), start with
// what the user typed before, and show the last problem right in the box.
import * as vscode from 'vscode';
import { keyKind, keyTravelsInClear } from '../../core/connection-check.js';

export interface AskOptions {
  title: string;
  value?: string;
  prompt?: string;
  placeholder?: string;
  /** Shown as an error under the box when it opens (the reason it is asked again). */
  problem?: string;
  password?: boolean;
  /** A string is an error that keeps the box open; a warning or note is only shown. */
  validate?: (value: string) => string | vscode.InputBoxValidationMessage | undefined;
}

const blocks = (message: string | vscode.InputBoxValidationMessage | undefined): boolean =>
  typeof message === 'string' || message?.severity === vscode.InputBoxValidationSeverity.Error;

/** Resolves to the accepted text, or undefined when the user pressed Escape. */
export function ask(options: AskOptions): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = options.title;
    box.value = options.value ?? '';
    box.prompt = options.prompt;
    box.placeholder = options.placeholder;
    box.password = options.password ?? false;
    box.ignoreFocusOut = true;
    if (options.problem) box.validationMessage = { message: options.problem, severity: vscode.InputBoxValidationSeverity.Error };
    else if (box.value) box.validationMessage = options.validate?.(box.value);
    let done = false;
    box.onDidChangeValue((value) => {
      box.validationMessage = options.validate?.(value);
    });
    box.onDidAccept(() => {
      const message = options.validate?.(box.value);
      if (blocks(message)) {
        box.validationMessage = message;
        return;
      }
      done = true;
      resolve(box.value.trim());
      box.hide();
    });
    box.onDidHide(() => {
      if (!done) resolve(undefined);
      box.dispose();
    });
    box.show();
  });
}

export function askBaseUrl(title: string, value: string, problem?: string): Promise<string | undefined> {
  return ask({
    title,
    value,
    prompt: vscode.l10n.t('The API URL of your Dify: https://api.dify.ai/v1 for Dify Cloud, or http(s)://your-dify-host/v1.'),
    problem,
    validate: (v) => {
      if (!v.trim()) return vscode.l10n.t('Enter the API URL.');
      if (!keyTravelsInClear(v)) return undefined;
      const message = vscode.l10n.t('This is plain http to another machine: the API key and every message travel unencrypted. Use https unless the network is yours.');
      return { message, severity: vscode.InputBoxValidationSeverity.Warning };
    },
  });
}

export function askKey(title: string, expected: 'app' | 'dataset', value: string, problem?: string): Promise<string | undefined> {
  return ask({
    title,
    value,
    password: true,
    prompt:
      expected === 'app'
        ? vscode.l10n.t('The app\'s API key (starts with "app-"), from the app\'s "API Access" page in Dify. It is stored only in VS Code\'s secret storage.')
        : vscode.l10n.t('The knowledge API key (starts with "dataset-"), from Knowledge → API in Dify. It is stored only in VS Code\'s secret storage.'),
    problem,
    placeholder: expected === 'app' ? 'app-…' : 'dataset-…',
    validate: (v) => {
      const key = v.trim();
      if (!key) return vscode.l10n.t('Paste the key.');
      if (/\s/.test(key)) return vscode.l10n.t('A key has no spaces.');
      const kind = keyKind(key);
      if (expected === 'app' && kind === 'dataset') return vscode.l10n.t('This is a knowledge (dataset) key, not an app key.');
      if (expected === 'dataset' && kind === 'app') return vscode.l10n.t('This is an app key, not a knowledge (dataset) key.');
      return undefined;
    },
  });
}

/** Dify's own names for app modes. */
export function modeLabel(mode: string): string {
  switch (mode) {
    case 'chat':
      return vscode.l10n.t('Chatbot');
    case 'agent-chat':
    case 'agent':
      return vscode.l10n.t('Agent');
    case 'advanced-chat':
      return vscode.l10n.t('Chatflow');
    case 'completion':
      return vscode.l10n.t('Text Generator');
    case 'workflow':
      return vscode.l10n.t('Workflow');
    default:
      return mode;
  }
}

const MODE_ICONS: Record<string, string> = {
  chat: 'comment-discussion',
  'agent-chat': 'robot',
  agent: 'robot',
  'advanced-chat': 'type-hierarchy-sub',
  completion: 'symbol-text',
  workflow: 'run-all',
};

/** The codicon of an app's mode in the views. */
export const modeIcon = (mode: string): string => MODE_ICONS[mode] ?? 'symbol-misc';
