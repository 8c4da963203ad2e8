// Everything before a run starts: which app, its input form, the selection and editor context into its variables,
// the asked values, Dify's checks, file uploads and the output mode. Each bad input stops here with one message.
import * as vscode from 'vscode';
import { inputFields, toDifyInputs, type InputValue } from '../../core/input-form.js';
import type { AppProfile, ProfileStore } from '../../core/profile-store.js';
import type { WorkflowChoices } from '../../core/workflow-history.js';
import { uploadFileInput } from '../../core/workflow-file-input.js';
import { checkRunInputs, isFileField, parseContextMappings, planInputs, selectionCandidates, selectionVariable, type EditorContext } from '../../core/workflow-inputs.js';
import { editsSource, isOutputMode, OUTPUT_MODES, type OutputMode } from '../../core/workflow-output.js';
import { isRunnableMode, type RunnableMode } from '../../core/workflow-run.js';
import type { AppClient, InputFile } from '../../dify/index.js';
import type { InputField } from '../../protocol.js';
import type { DifyConnections } from '../apps/connections.js';
import { modeLabel } from '../apps/inputs.js';
import type { ParametersCache } from './parameters-cache.js';
import { inputProblemMessage } from './run-messages.js';
import { askField, pickApp, pickOutputMode, pickSelectionVariable } from './run-prompts.js';
import type { RunSource } from './run-source.js';
import { fileName } from '../editor/file-name.js';

/** `dify.runWorkflow`'s argument from a keybinding: `{ "app": "<label, app name or id>", "output": "diff" }`. */
export interface RunCommandArgs {
  app?: string;
  output?: OutputMode;
}

export interface PreparedRun {
  profile: AppProfile;
  mode: RunnableMode;
  client: AppClient;
  inputs: Record<string, unknown>;
  outputMode: OutputMode;
}

export interface PrepareServices {
  store: ProfileStore;
  connections: DifyConnections;
  choices: WorkflowChoices;
  parameters: ParametersCache;
}

/** A bad input: shown as one warning, the run does not start. */
export class RunNotStarted extends Error {
  constructor(
    message: string,
    readonly action?: { title: string; command: string },
  ) {
    super(message);
  }
}

const EMPTY_CONTEXT: EditorContext = { selection: '', fileName: '', filePath: '', languageId: '', fileText: '', workspaceFolder: '' };

/** Resolves to undefined when the user backed out of a question (Escape). Throws RunNotStarted for bad input. */
export async function prepareRun(
  services: PrepareServices,
  source: RunSource | undefined,
  args: RunCommandArgs,
  chooseOutput: boolean,
): Promise<PreparedRun | undefined> {
  const profile = await resolveApp(services, args.app);
  if (!profile) return undefined;
  const client = await services.connections.appClient(profile);
  const { info, parameters } = await services.parameters.get(profile.id, client);
  // The key decides the app: if it became another kind of app in Dify, say so before asking anything.
  if (!isRunnableMode(info.mode)) {
    throw new RunNotStarted(
      vscode.l10n.t('The key of "{0}" now belongs to a {1} app in Dify. Running on code needs a Workflow or Text Generator app.', profile.label, modeLabel(info.mode)),
    );
  }
  const mode: RunnableMode = info.mode;
  if (mode !== profile.mode) await services.store.update(profile.id, { mode });
  const fields = inputFields(parameters.user_input_form);
  const remembered = services.choices.get(profile.id);

  if (source?.binary && !fields.some(isFileField)) {
    throw new RunNotStarted(vscode.l10n.t('{0} is a binary file, and "{1}" takes text only. Run it on a text file, or use an app with a file input.', source.name, profile.label));
  }
  // The selection's variable: remembered, the only candidate, or asked once.
  let variable: string | undefined;
  if (source && !source.binary) {
    const candidates = selectionCandidates(fields);
    if (candidates.length === 0) throw new RunNotStarted(vscode.l10n.t('"{0}" has no text input to take the selection.', profile.label));
    variable = selectionVariable(fields, remembered.selectionVariable);
    if (candidates.length > 1 && !candidates.some((f) => f.variable === remembered.selectionVariable)) {
      variable = await pickSelectionVariable(candidates, profile.label);
      if (!variable) return undefined;
      await services.choices.update(profile.id, { selectionVariable: variable });
    }
    if (!source.context.selection.trim()) {
      throw new RunNotStarted(vscode.l10n.t('Nothing to send to "{0}": the selection is empty, and so is {1}.', profile.label, source.name));
    }
  }

  const mappings = parseContextMappings(vscode.workspace.getConfiguration('dify').get('workflows.contextInputs'));
  const plan = planInputs(fields, source?.context ?? EMPTY_CONTEXT, { selectionVariable: variable, mappings });
  const asked: Record<string, InputValue> = {};
  for (const field of plan.ask) {
    const value = await askField(field, profile.label, remembered.values?.[field.variable]);
    if (value === undefined) return undefined;
    asked[field.variable] = value;
  }
  // What was typed is offered again next time, even when this run does not start.
  if (plan.ask.length) await services.choices.update(profile.id, { values: asked });
  const values = { ...plan.values, ...asked };
  const problem = checkRunInputs(fields, values, plan.origins)[0];
  if (problem) throw new RunNotStarted(inputProblemMessage(problem, profile.label, fields));
  const outputMode = await resolveOutputMode(services, profile, source, args.output, chooseOutput);
  if (!outputMode) return undefined;
  // Files go up last: nothing is uploaded for a run the user still could cancel.
  const inputs = toDifyInputs(fields, values);
  for (const field of plan.files) {
    const file = await uploadFor(field, source, client, parameters.system_parameters, profile.label);
    if (file) inputs[field.variable] = file;
  }
  await services.choices.markUsed(profile.id);
  return { profile, mode, client, inputs, outputMode };
}

async function resolveApp(services: PrepareServices, wanted: string | undefined): Promise<AppProfile | undefined> {
  const apps = services.store.apps();
  const addApp = { title: vscode.l10n.t('Add App…'), command: 'dify.addApp' };
  if (wanted !== undefined) {
    const profile = apps.find((p) => p.id === wanted) ?? apps.find((p) => p.label === wanted) ?? apps.find((p) => p.appName === wanted);
    if (!profile) throw new RunNotStarted(vscode.l10n.t('No Dify app named "{0}" is configured.', wanted), addApp);
    if (!isRunnableMode(profile.mode)) {
      throw new RunNotStarted(vscode.l10n.t('"{0}" is a {1} app. Running on code needs a Workflow or Text Generator app.', profile.label, modeLabel(profile.mode)));
    }
    return profile;
  }
  const runnable = apps.filter((p) => isRunnableMode(p.mode));
  if (runnable.length === 0) {
    throw new RunNotStarted(
      apps.length === 0
        ? vscode.l10n.t('No Dify app is configured yet. Add a Workflow or Text Generator app to run it on code.')
        : vscode.l10n.t('None of your Dify apps is a Workflow or Text Generator app; chat apps cannot run on code. Add one with its API key.'),
      addApp,
    );
  }
  return pickApp(services.choices.byLastUsed(runnable));
}

/** The file the run is on, uploaded for a file input; an optional input without a file stays empty. */
async function uploadFor(
  field: InputField,
  source: RunSource | undefined,
  client: AppClient,
  system: Parameters<typeof uploadFileInput>[3],
  app: string,
): Promise<InputFile | InputFile[] | undefined> {
  const uri = source?.fileUri;
  if (!uri) {
    if (field.required) throw new RunNotStarted(vscode.l10n.t('"{0}" of "{1}" needs a file: save the document first, or run it on a file from the Explorer.', field.label, app));
    return undefined;
  }
  const name = fileName(uri);
  const { size } = await vscode.workspace.fs.stat(uri);
  const result = await uploadFileInput(client, field, { path: uri.fsPath, name, size }, system);
  if ('value' in result) return result.value;
  const { problem } = result;
  const why =
    problem.kind === 'type_not_allowed'
      ? vscode.l10n.t('it takes {0}', problem.allowed.join(', '))
      : problem.kind === 'too_large'
        ? vscode.l10n.t('the file is larger than {0} MB', Math.round(problem.limit / 1024 / 1024))
        : problem.kind === 'empty'
          ? vscode.l10n.t('the file is empty')
          : vscode.l10n.t('it takes no files');
  if (field.required) throw new RunNotStarted(vscode.l10n.t('{0} cannot go to "{1}" of "{2}": {3}.', name, field.label, app, why));
  return undefined;
}

async function resolveOutputMode(
  services: PrepareServices,
  profile: AppProfile,
  source: RunSource | undefined,
  requested: OutputMode | undefined,
  choose: boolean,
): Promise<OutputMode | undefined> {
  const canEdit = !!source?.document;
  const modes = OUTPUT_MODES.filter((m) => canEdit || !editsSource(m));
  const usable = (m: OutputMode | undefined): m is OutputMode => isOutputMode(m) && modes.includes(m);
  if (usable(requested)) return requested;
  const remembered = services.choices.get(profile.id).outputMode;
  if (!choose && usable(remembered)) return remembered;
  // Without a document to write into, a remembered editing mode is kept for the next run on code.
  const remember = !choose && (canEdit || !remembered);
  const picked = await pickOutputMode(profile.label, modes, remembered, remember);
  if (picked && remember) await services.choices.update(profile.id, { outputMode: picked });
  return picked;
}
