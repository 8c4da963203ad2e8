// A human-input form of a paused run, answered in VS Code (Dify ≥ 1.14): one input box per field, with the form's
// text as the prompt, then the form's buttons as a pick. Escape anywhere leaves the run paused in Dify.
import * as vscode from 'vscode';
import type { FormAnswer } from '../../core/workflow-run.js';
import type { HumanInputRequiredData } from '../../dify/index.js';

/** The form's markdown as one readable line: field placeholders shown as "…", whitespace collapsed. */
function formText(form: HumanInputRequiredData): string {
  const text = form.form_content.replace(/\{\{#\$output\.[^#]*#\}\}/g, '…').replace(/\s+/g, ' ').trim();
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}

export async function askFormAnswer(app: string, form: HumanInputRequiredData): Promise<FormAnswer | undefined> {
  const title = vscode.l10n.t('{0}: {1} waits for your answer', app, form.node_title);
  const until = form.expiration_time !== null ? vscode.l10n.t('Answer before {0}.', new Date(form.expiration_time * 1000).toLocaleString()) : '';
  const inputs: Record<string, unknown> = {};
  for (const field of form.inputs) {
    const name = field.output_variable_name;
    const preset = form.resolved_default_values[name] ?? field.default;
    const value = await vscode.window.showInputBox({
      title,
      prompt: [formText(form), vscode.l10n.t('Your {0}:', name), until].filter(Boolean).join(' '),
      value: typeof preset === 'string' ? preset : '',
      ignoreFocusOut: true,
    });
    if (value === undefined) return undefined;
    inputs[name] = value;
  }
  const picked = await vscode.window.showQuickPick(
    form.actions.map((action) => ({ label: action.title, id: action.id })),
    { title, placeHolder: form.inputs.length ? vscode.l10n.t('Send your answer as…') : formText(form), ignoreFocusOut: true },
  );
  return picked ? { inputs, action: picked.id } : undefined;
}

export function formRefusedMessage(app: string, form: HumanInputRequiredData, reason: 'answered' | 'expired'): string {
  return reason === 'answered'
    ? vscode.l10n.t('"{0}": someone already answered "{1}" in Dify; the run carries on with their answer.', app, form.node_title)
    : vscode.l10n.t('"{0}": the form "{1}" has expired; Dify carries on without your answer.', app, form.node_title);
}
