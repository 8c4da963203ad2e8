// `dify_run_workflow` (#difyWorkflow): runs a workflow or text generator app the user enabled for tools, with the
// inputs the model gives, checked here against the app's form (/parameters); the same run core as "Run Workflow"
// (runDifyApp: cancelling stops the task on Dify), recorded in the Runs view. The outputs go back as text parts.
import * as vscode from 'vscode';
import { inputFields } from '../../core/input-form.js';
import type { AppProfile, ProfileStore } from '../../core/profile-store.js';
import { cutAtWord } from '../../core/text-cut.js';
import { appInputSchema, checkToolInputs, inputsPreview, requiredFileInputs, type ToolInputProblem } from '../../core/tool-inputs.js';
import { describeFailure } from '../../core/workflow-failure.js';
import { runRecord, type RunHistory } from '../../core/workflow-history.js';
import { outputText } from '../../core/workflow-output.js';
import { isRunnableMode, runDifyApp, type RunnableMode, type RunOutcome } from '../../core/workflow-run.js';
import type { AppClient } from '../../dify/index.js';
import type { InputField } from '../../protocol.js';
import { escapeMarkdown } from '../../platform/markdown-text.js';
import { KeyUnavailableError, type DifyConnections } from '../apps/connections.js';
import { modeLabel } from '../apps/inputs.js';
import { errorMessage } from '../apps/messages.js';
import type { AppForm, ParametersCache } from '../workflows/parameters-cache.js';
import { failureMessage, inputProblemMessage } from '../workflows/run-messages.js';
import { abortOn, throwIfCancelled } from './cancellation.js';
import { enabledApps, nothingEnabledMessage, sameName } from './tools-targets.js';

export const WORKFLOW_TOOL = 'dify_run_workflow';

export interface WorkflowToolInput {
  app: string;
  inputs?: Record<string, unknown>;
}

export interface WorkflowToolServices {
  store: ProfileStore;
  connections: DifyConnections;
  parameters: ParametersCache;
  history: RunHistory;
}

export class WorkflowTool implements vscode.LanguageModelTool<WorkflowToolInput> {
  constructor(private readonly s: WorkflowToolServices) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<WorkflowToolInput>): Promise<vscode.PreparedToolInvocation> {
    const profile = this.find(options.input?.app);
    // An unknown app, or inputs its form refuses, run nothing: the model hears why, the user is not asked.
    if (!profile) return { invocationMessage: vscode.l10n.t('Looking up the Dify apps enabled for chat tools…') };
    const running = vscode.l10n.t('Running {0} in Dify…', profile.label);
    if (!(await this.inputsLookRight(profile, options.input.inputs))) return { invocationMessage: running };
    const inputs = options.input.inputs && typeof options.input.inputs === 'object' ? inputsPreview(options.input.inputs) : [];
    const lines = inputs.length
      ? [vscode.l10n.t('Runs the {0} app "{1}" in Dify with these inputs:', modeLabel(profile.mode), escapeMarkdown(profile.label)), '', ...inputs.map((i) => `- \`${i.name}\`: ${escapeMarkdown(i.value)}`)]
      : [vscode.l10n.t('Runs the {0} app "{1}" in Dify with no inputs (the app\'s defaults).', modeLabel(profile.mode), escapeMarkdown(profile.label))];
    return {
      invocationMessage: running,
      confirmationMessages: { title: vscode.l10n.t('Run "{0}" in Dify?', profile.label), message: new vscode.MarkdownString(lines.join('\n')) },
    };
  }

  /** False only when the app's form (as cached, or fetched now) refuses the inputs; when unsure, the user is asked. */
  private async inputsLookRight(profile: AppProfile, inputs: unknown): Promise<boolean> {
    try {
      const { parameters } = await this.s.parameters.get(profile.id, await this.s.connections.appClient(profile));
      return checkToolInputs(inputFields(parameters.user_input_form), inputs).ok;
    } catch {
      return true;
    }
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<WorkflowToolInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const enabled = enabledApps(this.s.store);
    if (enabled.length === 0) throw new Error(nothingEnabledMessage('apps'));
    const input = (options.input && typeof options.input === 'object' ? options.input : {}) as Partial<WorkflowToolInput>;
    const profile = this.find(input.app);
    if (!profile) throw new Error(await this.unknownAppMessage(input.app, enabled, token));
    const abort = abortOn(token);
    try {
      const { client, info, parameters } = await this.form(profile, abort.signal);
      if (!isRunnableMode(info.mode)) {
        throw new Error(vscode.l10n.t('The key of "{0}" now belongs to a {1} app in Dify. Running on code needs a Workflow or Text Generator app.', profile.label, modeLabel(info.mode)));
      }
      const fields = inputFields(parameters.user_input_form);
      const checked = checkToolInputs(fields, input.inputs);
      if (!checked.ok) throw new Error(inputsMessage(checked.problems, profile, fields));
      return await this.run(profile, info.mode, client, checked.inputs, abort.signal, token);
    } finally {
      abort.dispose();
    }
  }

  /** The app's client and form; what fails here is said in the sidebar's words, naming the app. */
  private async form(profile: AppProfile, signal: AbortSignal): Promise<AppForm & { client: AppClient }> {
    try {
      const client = await this.s.connections.appClient(profile);
      return { client, ...(await Promise.race([this.s.parameters.get(profile.id, client), aborted(signal)])) };
    } catch (error) {
      if (error instanceof vscode.CancellationError || error instanceof KeyUnavailableError) throw error;
      throw new Error(vscode.l10n.t('"{0}" could not run: {1}', profile.label, errorMessage(error)));
    }
  }

  private async run(
    profile: AppProfile,
    mode: RunnableMode,
    client: AppClient,
    inputs: Record<string, unknown>,
    signal: AbortSignal,
    token: vscode.CancellationToken,
  ): Promise<vscode.LanguageModelToolResult> {
    const startedAt = Date.now();
    const outcome = await runDifyApp(client, mode, { inputs }, { signal });
    // The outputs went to the model; run again from the Runs view, they open in a new editor.
    const facts = { appId: profile.id, appLabel: profile.label, appMode: mode, inputs, inputsTruncated: false, outputMode: 'newEditor' as const, via: 'tool' as const };
    const record = runRecord(facts, outcome, startedAt, Date.now() - startedAt);
    if (outcome.status === 'stopped') {
      await this.s.history.add(record);
      throw new vscode.CancellationError();
    }
    if (outcome.status === 'failed' || outcome.status === 'paused') {
      const failure = describeFailure(outcome.status === 'failed' ? outcome.error : undefined, outcome.progress);
      if (failure.kind === 'api_error' && failure.code === 'invalid_param') this.s.parameters.forget(profile.id);
      const message = failureMessage(failure, profile.label);
      await this.s.history.add({ ...record, error: message, failedNode: failure.node?.title });
      throw new Error(message);
    }
    const parts = outputParts(mode, outcome);
    await this.s.history.add({ ...record, output: parts.map((p) => p.value).join('\n\n') });
    // Cancelled after Dify finished: the run is in the Runs view, the request gets no result.
    throwIfCancelled(token);
    return new vscode.LanguageModelToolResult(parts.length ? parts : [new vscode.LanguageModelTextPart(vscode.l10n.t('"{0}" finished but gave no output.', profile.label))]);
  }

  /** The enabled app the model named: by the name the Apps view shows, else by the app's name in Dify. */
  private find(name: unknown): AppProfile | undefined {
    if (typeof name !== 'string' || !name.trim()) return undefined;
    const enabled = enabledApps(this.s.store);
    return enabled.find((p) => sameName(p.label, name.trim())) ?? enabled.find((p) => sameName(p.appName, name.trim()));
  }

  /** Which apps there are, each with its inputs' schema: what the model needs to call again. */
  private async unknownAppMessage(name: unknown, enabled: AppProfile[], token: vscode.CancellationToken): Promise<string> {
    const head =
      typeof name === 'string' && name.trim()
        ? vscode.l10n.t('"{0}" is not a Dify app enabled for chat tools.', name)
        : vscode.l10n.t('"app" is required: the name of a Dify app enabled for chat tools.');
    const abort = abortOn(token);
    try {
      const apps = await Promise.all(enabled.map((p) => this.describe(p, abort.signal)));
      return [head, vscode.l10n.t('The enabled apps, with the JSON schema of their "inputs":'), ...apps].join('\n\n');
    } finally {
      abort.dispose();
    }
  }

  private async describe(profile: AppProfile, signal: AbortSignal): Promise<string> {
    const title = `"${profile.label}" (${modeLabel(profile.mode)})`;
    try {
      const client = await this.s.connections.appClient(profile);
      const { info, parameters } = await Promise.race([this.s.parameters.get(profile.id, client), aborted(signal)]);
      const fields = inputFields(parameters.user_input_form);
      const files = requiredFileInputs(fields);
      const note = files.length ? `\n${vscode.l10n.t('It needs a file ({0}), which a chat tool cannot give: run it with "Dify: Run Dify Workflow…" instead.', files.map((f) => f.variable).join(', '))}` : '';
      const description = info.description?.trim() || profile.description;
      return `${title}${description ? `: ${description}` : ''}\n${JSON.stringify(appInputSchema(fields))}${note}`;
    } catch (error) {
      if (signal.aborted) throw error;
      return `${title}\n${vscode.l10n.t('Its inputs could not be read: {0}', errorMessage(error))}`;
    }
  }
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new vscode.CancellationError());
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/** Every problem with the model's inputs, each naming its field and what it takes, then the form's schema. */
function inputsMessage(problems: ToolInputProblem[], profile: AppProfile, fields: InputField[]): string {
  const app = profile.label;
  const lines = problems.map((p): string => {
    switch (p.kind) {
      case 'not_an_object':
        return vscode.l10n.t('"inputs" must be an object of input names and values; it was {0}.', p.got);
      case 'unknown_field':
        return p.known.length
          ? vscode.l10n.t('"{0}" has no input "{1}". Its inputs: {2}.', app, p.variable, p.known.join(', '))
          : vscode.l10n.t('"{0}" has no input "{1}": it takes no inputs.', app, p.variable);
      case 'wrong_type':
        return vscode.l10n.t('Input "{0}" ("{1}") must be a {2}; it was {3}.', p.variable, p.label, p.expected, p.got);
      case 'file_input':
        return vscode.l10n.t('Input "{0}" ("{1}") of "{2}" is a file, which a chat tool cannot give: run the app with "Dify: Run Dify Workflow…" instead.', p.variable, p.label, app);
      case 'value':
        return `${vscode.l10n.t('Input "{0}":', p.check.problem.variable)} ${inputProblemMessage(p.check, app, fields)}`;
    }
  });
  return [...lines, '', vscode.l10n.t('The JSON schema of the inputs of "{0}":', app), JSON.stringify(appInputSchema(fields))].join('\n');
}

/** At most this many characters of one output go to the model (a prompt is no place for megabytes). */
const MAX_OUTPUT_CHARS = 20_000;

/** A workflow's outputs, one part per variable (objects as JSON); a text generator's answer as one part. */
function outputParts(mode: RunnableMode, outcome: RunOutcome): vscode.LanguageModelTextPart[] {
  const { outputs, text } = outcome.progress;
  if (mode === 'completion' || !outputs || Object.keys(outputs).length === 0) return text.trim() ? [outputPart(text)] : [];
  const entries = Object.entries(outputs);
  if (entries.length === 1) return [outputPart(outputText(entries[0]![1]))];
  return entries.map(([name, value]) => outputPart(outputText(value), name));
}

function outputPart(text: string, name?: string): vscode.LanguageModelTextPart {
  const { text: kept, cut } = cutAtWord(text, MAX_OUTPUT_CHARS);
  const note = cut ? `\n${vscode.l10n.t('[cut: the output has {0} characters; the first {1} are above]', Array.from(text).length, Array.from(kept).length)}` : '';
  return new vscode.LanguageModelTextPart(`${name ? `${name}:\n` : ''}${kept}${note}`);
}
