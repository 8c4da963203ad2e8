// runWorkflowOnSelection and friends: prepare, run with a cancellable progress notification that shows the steps
// live, then put the output where the user asked, or say what failed with "Show Details" and "Retry". A failed or
// cancelled run never touches the source document; the run goes into the history either way.
import * as vscode from 'vscode';
import type { ProfileStore } from '../../core/profile-store.js';
import { describeFailure, type RunFailure } from '../../core/workflow-failure.js';
import { runRecord, type RunHistory, type RunRecord, type WorkflowChoices } from '../../core/workflow-history.js';
import { chooseOutput, editsSource, outputText } from '../../core/workflow-output.js';
import { initialProgress, type RunProgress } from '../../core/workflow-progress.js';
import { isRunnableMode, runDifyApp, type RunOutcome } from '../../core/workflow-run.js';
import type { DifyLog } from '../../platform/log.js';
import { KeyUnavailableError, type DifyConnections } from '../apps/connections.js';
import { errorMessage } from '../apps/messages.js';
import type { Proposals } from '../editor/proposal.js';
import type { ReadOnlyDocs } from '../editor/read-only-docs.js';
import { applyOutput, type Applied } from './output-modes.js';
import { StreamingEditor } from './streaming-editor.js';
import type { ParametersCache } from './parameters-cache.js';
import { prepareRun, RunNotStarted, type PreparedRun, type RunCommandArgs } from './prepare-run.js';
import { activityMessage, failureFacts, failureMessage, progressMessage } from './run-messages.js';
import { runRecordMarkdown } from './run-details.js';
import { pickOutputVariable } from './run-prompts.js';
import { sourceFromEditor, sourceFromFile, sourceFromRange, type RunSource } from './run-source.js';
import { TrackedTarget } from './tracked-target.js';
import { askFormAnswer, formRefusedMessage } from './human-input-form.js';
import { fileName } from '../editor/file-name.js';
import { findLeftTarget, type LeftRun, type LeftRuns } from './left-runs.js';

export interface WorkflowServices {
  store: ProfileStore;
  connections: DifyConnections;
  proposals: Proposals;
  docs: ReadOnlyDocs;
  log: DifyLog;
  history: RunHistory;
  choices: WorkflowChoices;
  parameters: ParametersCache;
  left: LeftRuns;
}

/** How a run ended, for a caller that reports it elsewhere too (@dify /run in VS Code's Chat). */
export interface RunReport {
  app: string;
  status: RunOutcome['status'] | 'not-started';
  /** Where the output went, when it went somewhere. */
  applied?: Applied;
  /** Why it failed, did not start, or left nothing changed. */
  message?: string;
}

/** A run started for another surface: its cancellation (besides the progress notification's), and its progress. */
export interface RunCaller {
  signal?: AbortSignal;
  /** What the run does now (a node, reconnecting…), each time that changes. */
  onProgress?: (activity: string) => void;
}

interface RunJob extends PreparedRun {
  caller?: RunCaller;
  target: TrackedTarget | undefined;
  sourceLanguage: string | undefined;
  sourcePath: string | undefined;
  /** Prepares the run anew (inputs checked against the app's form as it is now): Retry after Dify refused the inputs. */
  prepareAgain?: () => Promise<void>;
  /** A run started in an earlier window and left by a reload: followed to its end, not started again. */
  left?: LeftRun;
}

export class WorkflowRunner {
  constructor(private readonly s: WorkflowServices) {}

  /** On the editor's selection (the whole file without one); from the palette without an editor, every input is asked. */
  async runOnEditor(editor: vscode.TextEditor | undefined, args: RunCommandArgs = {}, chooseOutput = false, caller: RunCaller = {}): Promise<RunReport | undefined> {
    return this.start(editor ? sourceFromEditor(editor) : undefined, args, chooseOutput, caller);
  }

  async runOnRange(document: vscode.TextDocument, range: vscode.Range, args: RunCommandArgs = {}, caller: RunCaller = {}): Promise<RunReport | undefined> {
    return this.start(sourceFromRange(document, range), args, false, caller);
  }

  async runOnFile(uri: vscode.Uri, args: RunCommandArgs = {}, chooseOutput = false, caller: RunCaller = {}): Promise<RunReport | undefined> {
    let source: RunSource;
    try {
      source = await sourceFromFile(uri);
    } catch (e) {
      const message = vscode.l10n.t('Cannot read {0}: {1}', fileName(uri), errorMessage(e));
      void vscode.window.showErrorMessage(message);
      return { app: '', status: 'not-started', message };
    }
    return this.start(source, args, chooseOutput, caller);
  }

  /** The same inputs again (from the Runs view); the output opens in a new editor unless it was copied or sent to chat. */
  async rerun(record: RunRecord): Promise<void> {
    const profile = this.s.store.apps().find((p) => p.id === record.appId);
    if (!profile || !isRunnableMode(profile.mode)) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The app of this run ("{0}") is no longer configured as a workflow or text generator.', record.appLabel));
      return;
    }
    if (record.inputsTruncated) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The inputs of this run were too long to keep; run it again from the editor.'));
      return;
    }
    try {
      const client = await this.s.connections.appClient(profile);
      const outputMode = editsSource(record.outputMode) ? 'newEditor' : record.outputMode;
      await this.execute({ profile, mode: profile.mode, client, inputs: record.inputs, outputMode, target: undefined, sourceLanguage: undefined, sourcePath: record.source });
    } catch (e) {
      this.notStarted(e);
    }
  }

  /**
   * Follows the runs an earlier window left while they streamed (a reload) to their end, each with its own progress.
   * The output goes where it was to go, but never straight into the source: replace and insert become a diff to
   * accept or reject, and a source whose text changed meanwhile gets a new editor.
   */
  async resumeLeftRuns(): Promise<void> {
    await Promise.all(this.s.left.all().map((left) => this.resume(left)));
  }

  private async resume(left: LeftRun): Promise<void> {
    const profile = this.s.store.apps().find((p) => p.id === left.appId);
    if (!profile || profile.mode !== 'workflow') {
      this.s.log.warn(`A run left by a window reload (${left.workflowRunId}) belongs to an app no longer configured as a workflow; not followed.`);
      await this.s.left.forget(left.workflowRunId);
      return;
    }
    let client;
    try {
      client = await this.s.connections.appClient(profile);
    } catch (e) {
      await this.s.left.forget(left.workflowRunId);
      void vscode.window.showWarningMessage(vscode.l10n.t('"{0}" was running when the window reloaded, and it cannot be followed: {1}', profile.label, errorMessage(e)));
      return;
    }
    this.s.log.info(`Following run ${left.workflowRunId} of "${profile.label}", left while it streamed when the window reloaded.`);
    const target = editsSource(left.outputMode) ? await findLeftTarget(left) : undefined;
    const outputMode = !editsSource(left.outputMode) ? left.outputMode : target ? 'diff' : 'newEditor';
    try {
      await this.execute({ profile, mode: 'workflow', client, inputs: left.inputs, outputMode, target, sourceLanguage: left.sourceLanguage, sourcePath: left.sourcePath, left });
    } finally {
      target?.dispose();
    }
  }

  private async start(source: RunSource | undefined, args: RunCommandArgs, chooseOutput: boolean, caller: RunCaller = {}): Promise<RunReport | undefined> {
    let prepared: PreparedRun | undefined;
    try {
      prepared = await prepareRun(this.s, source, args, chooseOutput);
    } catch (e) {
      return { app: '', status: 'not-started', message: this.notStarted(e) };
    }
    if (!prepared) return undefined;
    const target = source?.document && source.range && editsSource(prepared.outputMode) ? new TrackedTarget(source.document, source.range) : undefined;
    try {
      const prepareAgain = () => this.start(source, { ...args, app: prepared.profile.id }, chooseOutput).then(() => undefined);
      return await this.execute({ ...prepared, target, sourceLanguage: source?.document?.languageId, sourcePath: source?.path, prepareAgain, caller });
    } finally {
      target?.dispose();
    }
  }

  /** Says why the run did not start (a warning with its fix), and returns the words. */
  private notStarted(e: unknown): string {
    if (e instanceof RunNotStarted) {
      const action = e.action;
      void vscode.window.showWarningMessage(e.message, ...(action ? [action.title] : [])).then((answer) => {
        if (action && answer === action.title) void vscode.commands.executeCommand(action.command);
      });
      return e.message;
    }
    if (e instanceof KeyUnavailableError) {
      const setKey = vscode.l10n.t('Set Key…');
      void vscode.window.showWarningMessage(e.message, ...(e.reason === 'missing' ? [setKey] : [])).then((answer) => {
        if (answer === setKey) void vscode.commands.executeCommand('dify.setKey', e.profile.id);
      });
      return e.message;
    }
    this.s.log.warn(`Run Dify Workflow: ${errorMessage(e)}`);
    const message = vscode.l10n.t('The run could not start: {0}', errorMessage(e));
    void vscode.window.showErrorMessage(message);
    return message;
  }

  private async execute(job: RunJob): Promise<RunReport> {
    const streaming = new StreamingEditor(job.profile.label);
    try {
      return await this.runAndDeliver(job, streaming);
    } finally {
      streaming.dispose();
    }
  }

  private async runAndDeliver(job: RunJob, streaming: StreamingEditor): Promise<RunReport> {
    const started = job.left?.startedAt ?? Date.now();
    const streams = job.outputMode === 'newEditor';
    const title = job.left ? vscode.l10n.t('Dify: {0} (followed after the window reloaded)', job.profile.label) : vscode.l10n.t('Dify: {0}', job.profile.label);
    let remembered = job.left?.workflowRunId;
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (report, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        const stop = () => controller.abort();
        job.caller?.signal?.addEventListener('abort', stop);
        if (job.caller?.signal?.aborted) stop();
        let latest: RunProgress = initialProgress();
        let shown = '';
        let activity = '';
        const show = () => {
          const message = progressMessage(latest, Date.now() - started);
          if (message !== shown) report.report({ message: (shown = message) });
          const now = activityMessage(latest);
          if (now !== activity) job.caller?.onProgress?.((activity = now));
        };
        show();
        const timer = setInterval(show, 500);
        try {
          return await runDifyApp(job.client, job.mode, { inputs: job.inputs }, {
            signal: controller.signal,
            onProgress: (p) => {
              latest = p;
              show();
              if (streams && p.text) streaming.update(p.text);
              if (job.mode === 'workflow' && p.workflowRunId && !remembered) {
                remembered = p.workflowRunId;
                const run = { appId: job.profile.id, workflowRunId: remembered, taskId: p.taskId, startedAt: started, inputs: job.inputs, outputMode: job.outputMode };
                void this.s.left.remember({ ...run, sourcePath: job.sourcePath, sourceLanguage: job.sourceLanguage }, job.target);
              }
            },
            leftRun: job.left,
            answerForm: (form) => askFormAnswer(job.profile.label, form),
            onFormRefused: (form, reason) => void vscode.window.showWarningMessage(formRefusedMessage(job.profile.label, form, reason)),
          });
        } finally {
          clearInterval(timer);
          cancel.dispose();
          job.caller?.signal?.removeEventListener('abort', stop);
        }
      },
    );
    const durationMs = Date.now() - started;
    const base = this.baseRecord(job, outcome, started, durationMs);
    // A reload from here on leaves nothing to follow, except while the output is being delivered.
    const forget = () => (remembered ? this.s.left.forget(remembered) : Promise.resolve());
    const app = job.profile.label;
    if (outcome.status === 'succeeded' || outcome.status === 'partial-succeeded') {
      try {
        const delivered = await this.deliver(job, outcome.progress, base, streaming);
        return { app, status: outcome.status, ...(typeof delivered === 'string' ? { message: delivered } : delivered) };
      } finally {
        await forget();
      }
    }
    await forget();
    if (outcome.status === 'stopped') {
      await this.s.history.add(base);
      if (streams) await streaming.interrupt(vscode.l10n.t('Cancelled before the end.'));
      const message = vscode.l10n.t('"{0}" was cancelled; nothing was changed.', app);
      void vscode.window.showInformationMessage(message);
      return { app, status: 'stopped', message };
    }
    const failure = describeFailure(outcome.status === 'failed' ? outcome.error : undefined, outcome.progress);
    if (failure.kind === 'api_error' && failure.code === 'invalid_param') this.s.parameters.forget(job.profile.id);
    const message = failureMessage(failure, job.profile.label);
    this.s.log.warn(`Run of "${job.profile.label}" ${outcome.status}: ${failure.kind} ${failure.node ? `in "${failure.node.title}" ` : ''}${failure.cause}`);
    const record = await this.s.history.add({ ...base, error: message, failedNode: failure.node?.title });
    if (streams) await streaming.interrupt(vscode.l10n.t('The run failed: {0}', message));
    // The notification (Show Details, Retry) stays while the caller reports the failure.
    void this.offerRetry(job, failure, outcome.progress, record, message);
    return { app, status: outcome.status, message };
  }

  private async offerRetry(job: RunJob, failure: RunFailure, progress: RunProgress, record: RunRecord, message: string): Promise<void> {
    const details = vscode.l10n.t('Show Details');
    const retry = vscode.l10n.t('Retry');
    for (;;) {
      const answer = await vscode.window.showErrorMessage(message, details, retry);
      if (answer === retry) {
        // The same inputs would be refused again: ask for them with the app's form as Dify has it now.
        if (failure.kind === 'api_error' && failure.code === 'invalid_param' && job.prepareAgain) return job.prepareAgain();
        await this.execute({ ...job, left: undefined }); // a new run, also when the failed one was followed after a reload
        return;
      }
      if (answer !== details) return;
      await this.s.docs.preview(`${vscode.l10n.t('{0} failure', job.profile.label)} ${record.id.slice(0, 8)}.md`, runRecordMarkdown(record, failureFacts(failure, progress, message)), record.id);
    }
  }

  /** Puts the output where the run was to put it: where it went, or why nothing changed. */
  private async deliver(job: RunJob, progress: RunProgress, base: RunRecord, streaming: StreamingEditor): Promise<{ applied: Applied } | string> {
    let text = progress.text;
    let outputVariable: string | undefined;
    if (job.mode === 'workflow') {
      const remembered = this.s.choices.get(job.profile.id).outputVariable;
      const choice = chooseOutput(progress.outputs, remembered);
      if (choice.kind === 'choose') {
        outputVariable = await pickOutputVariable(job.profile.label, progress.outputs ?? {}, choice.variables);
        if (!outputVariable) {
          await this.s.history.add(base);
          const message = vscode.l10n.t('No output was chosen; nothing was changed. The outputs are in the Dify Runs view.');
          void vscode.window.showInformationMessage(message);
          return message;
        }
        await this.s.choices.update(job.profile.id, { outputVariable });
      } else if (choice.kind === 'variable') {
        outputVariable = choice.variable;
      }
      if (outputVariable) text = outputText(progress.outputs?.[outputVariable]);
    }
    const record = { ...base, output: text };
    if (!text.trim()) {
      await this.s.history.add(record);
      const message = vscode.l10n.t('"{0}" finished but gave no output; nothing was changed.', job.profile.label);
      void vscode.window.showWarningMessage(message);
      return message;
    }
    let applied: Applied;
    try {
      applied = await applyOutput(job.outputMode, text, { target: job.target, sourceLanguage: job.sourceLanguage, appLabel: job.profile.label }, { proposals: this.s.proposals, streaming });
    } catch (e) {
      await this.s.history.add({ ...record, error: errorMessage(e) });
      const message = vscode.l10n.t('The output of "{0}" could not be applied: {1}', job.profile.label, errorMessage(e));
      void vscode.window.showErrorMessage(message);
      return message;
    }
    await this.s.history.add(record);
    this.confirm(applied, job);
    return { applied };
  }

  private confirm(applied: Applied, job: RunJob): void {
    const app = job.profile.label;
    if (job.left && editsSource(job.left.outputMode)) {
      const message =
        applied === 'proposed' || applied === 'proposedAfterChange'
          ? vscode.l10n.t('The window reloaded while "{0}" ran; its output is shown as a diff to accept or reject.', app)
          : vscode.l10n.t('The window reloaded while "{0}" ran, and the text it ran on has changed or is not open; its output is in a new editor.', app);
      void vscode.window.showInformationMessage(message);
      return;
    }
    switch (applied) {
      case 'proposedAfterChange':
        void vscode.window.showInformationMessage(vscode.l10n.t('The text changed while "{0}" ran, so its output is shown as a diff to accept or reject.', app));
        return;
      case 'targetClosed':
        void vscode.window.showInformationMessage(vscode.l10n.t('The document was closed while "{0}" ran; its output is in a new editor.', app));
        return;
      case 'offered':
        return;
      case 'copied':
        vscode.window.setStatusBarMessage(vscode.l10n.t('$(check) Output of "{0}" copied', app), 4000);
        return;
      default:
        vscode.window.setStatusBarMessage(vscode.l10n.t('$(check) "{0}" finished', app), 4000);
    }
  }

  private baseRecord(job: RunJob, outcome: RunOutcome, startedAt: number, durationMs: number): RunRecord {
    const facts = { appId: job.profile.id, appLabel: job.profile.label, appMode: job.mode, inputs: job.inputs, inputsTruncated: job.left?.inputsTruncated ?? false, outputMode: job.outputMode, source: job.sourcePath };
    return runRecord(facts, outcome, startedAt, durationMs);
  }
}
