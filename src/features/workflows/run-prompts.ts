// The questions a run asks: which app (last used first), which variable takes the selection, the values of required
// variables (by type, with Dify's limits checked in the box), the output mode and the output variable.
import * as vscode from 'vscode';
import { charCount, type InputValue } from '../../core/input-form.js';
import type { AppProfile } from '../../core/profile-store.js';
import { outputText, pickerOrder, type OutputMode } from '../../core/workflow-output.js';
import type { InputField } from '../../protocol.js';
import { ask, modeLabel } from '../apps/inputs.js';
import { outputModeLabel } from './run-labels.js';

export async function pickApp(apps: AppProfile[]): Promise<AppProfile | undefined> {
  const picked = await vscode.window.showQuickPick(
    apps.map((app) => ({ label: app.label, description: modeLabel(app.mode), detail: app.description || undefined, app })),
    { title: vscode.l10n.t('Run Dify Workflow'), placeHolder: vscode.l10n.t('Choose the workflow or text generator app to run'), matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.app;
}

export async function pickSelectionVariable(candidates: InputField[], appLabel: string): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(
    candidates.map((f, i) => ({
      label: f.label,
      description: i === 0 ? vscode.l10n.t('{0} · suggested', f.variable) : f.variable,
      detail: f.maxLength ? vscode.l10n.t('at most {0} characters', f.maxLength) : undefined,
      variable: f.variable,
    })),
    { title: vscode.l10n.t('Which input of "{0}" takes the selection?', appLabel), placeHolder: vscode.l10n.t('Chosen once for this app') },
  );
  return picked?.variable;
}

/** Asks one variable; undefined when the user pressed Escape (the run is cancelled). */
export async function askField(field: InputField, appLabel: string, previous: InputValue | undefined): Promise<InputValue | undefined> {
  const title = vscode.l10n.t('{0}: {1}', appLabel, field.label);
  if (field.type === 'select' || field.type === 'checkbox') {
    const options: { label: string; value: InputValue }[] =
      field.type === 'select' ? (field.options ?? []).map((o) => ({ label: o, value: o })) : [{ label: vscode.l10n.t('Yes'), value: true }, { label: vscode.l10n.t('No'), value: false }];
    // The value given last time comes first (Enter takes it again), marked as such.
    const last = options.findIndex((o) => o.value === previous);
    if (last > 0) options.unshift(...options.splice(last, 1));
    const picked = await vscode.window.showQuickPick(
      options.map((o) => ({ ...o, description: o.value === previous ? vscode.l10n.t('last used') : undefined })),
      { title, placeHolder: field.type === 'select' ? vscode.l10n.t('Choose a value for "{0}"', field.label) : undefined, ignoreFocusOut: true },
    );
    return picked?.value;
  }
  return ask({
    title,
    value: previous === undefined ? '' : String(previous),
    prompt: field.maxLength ? vscode.l10n.t('"{0}" (required, at most {1} characters)', field.label, field.maxLength) : vscode.l10n.t('"{0}" (required)', field.label),
    validate: (value) => fieldProblem(field, value),
  });
}

/** The message under the box while the value would be refused. */
function fieldProblem(field: InputField, value: string): string | undefined {
  if (!value.trim()) return vscode.l10n.t('"{0}" is required.', field.label);
  if (field.type === 'number' && !Number.isFinite(Number(value))) return vscode.l10n.t('"{0}" must be a number.', field.label);
  const length = charCount(value.trim());
  if (field.maxLength !== undefined && length > field.maxLength) return vscode.l10n.t('"{0}" takes at most {1} characters ({2} now).', field.label, field.maxLength, length);
  return undefined;
}

export async function pickOutputMode(appLabel: string, modes: OutputMode[], current: OutputMode | undefined, remember: boolean): Promise<OutputMode | undefined> {
  const picked = await vscode.window.showQuickPick(
    pickerOrder(modes, current).map((mode) => ({ label: outputModeLabel(mode), description: mode === current ? vscode.l10n.t('current') : undefined, mode })),
    {
      title: vscode.l10n.t('Where should the output of "{0}" go?', appLabel),
      placeHolder: remember ? vscode.l10n.t('Remembered for this app; "Run Dify Workflow (Choose Output)…" changes it for one run') : vscode.l10n.t('For this run only'),
    },
  );
  return picked?.mode;
}

export async function pickOutputVariable(appLabel: string, outputs: Record<string, unknown>, variables: string[]): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(
    variables.map((variable) => ({ label: variable, detail: preview(outputText(outputs[variable])), variable })),
    { title: vscode.l10n.t('Which output of "{0}" should be used?', appLabel), placeHolder: vscode.l10n.t('Chosen once for this app'), ignoreFocusOut: true },
  );
  return picked?.variable;
}

const preview = (text: string): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
};
