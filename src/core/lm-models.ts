// Which Dify chat apps are offered as VS Code language models (setting `dify.languageModels.apps`), and what VS Code
// is told about each. Plain Node: the VS Code layer adds the localised name and the types of the API.
import type { AppParameters } from '../dify/index.js';
import { checkInputs, inputFields, toDifyInputs } from './input-form.js';
import { isChatApp, type AppProfile, type Profile } from './profile-store.js';

/** Every chat app. */
export const ALL_APPS = '*';

/**
 * Dify's Service API does not say which model an app runs or its limits, and Dify keeps the conversation's history
 * itself (a request carries only the new question). These are what a typical app's model takes, stated low rather
 * than high: VS Code budgets the prompts it builds for the model by them.
 */
export const MAX_INPUT_TOKENS = 16_384;
export const MAX_OUTPUT_TOKENS = 4_096;

/** A chat app offered as a model. */
export interface AppModel {
  /** The profile's id: the model's id. */
  id: string;
  label: string;
  mode: string;
  /** The host of the app's Dify (shown in the model's tooltip). */
  host: string;
}

/**
 * The chat apps `setting` enables, in the Apps view's order: `["*"]` (the default) every one, `[]` none, else those
 * whose name (as shown, or as in Dify) is listed, compared without case and surrounding spaces.
 */
export function enabledChatApps(profiles: readonly Profile[], setting: unknown): AppModel[] {
  const names = Array.isArray(setting) ? setting.filter((s): s is string => typeof s === 'string').map(fold) : [ALL_APPS];
  const all = names.includes(ALL_APPS);
  return profiles
    .filter(isChatApp)
    .filter((p) => all || names.includes(fold(p.label)) || names.includes(fold(p.appName)))
    .map(toModel);
}

const fold = (name: string): string => name.trim().toLocaleLowerCase();

function toModel(p: AppProfile): AppModel {
  let host = p.baseUrl;
  try {
    host = new URL(p.baseUrl).host;
  } catch {
    // A profile keeps a URL the connection check accepted; the raw text is still better than nothing.
  }
  return { id: p.id, label: p.label, mode: p.mode, host };
}

/**
 * The `inputs` a model's request sends: every field's default. A model request has no form to fill, so the labels of
 * required fields without a default come back as `missing` (file fields included): the request cannot be sent.
 */
export function defaultInputs(parameters: Pick<AppParameters, 'user_input_form'>): { inputs: Record<string, unknown>; missing: string[] } {
  const fields = inputFields(parameters.user_input_form ?? []);
  const missing = checkInputs(fields, {})
    .filter((p) => p.kind === 'required')
    .map((p) => p.label);
  for (const f of fields) if ((f.type === 'file' || f.type === 'file-list') && f.required) missing.push(f.label);
  return { inputs: toDifyInputs(fields, {}), missing };
}
