// Workflow runs left while they streamed: a window reload (or VS Code closing) ends the extension host, not the run in
// Dify. Each run is remembered in the workspace state from the moment Dify names it (workflow_run_id) until its
// output was delivered, so the next window follows it to its end instead of losing it. The source document's target
// is remembered by its text, and found again only where that text still is.
import * as vscode from 'vscode';
import { keptInputs } from '../../core/workflow-history.js';
import type { OutputMode } from '../../core/workflow-output.js';
import { findTargetAgain } from '../../core/workflow-target.js';
import { KeyedMemory } from '../../platform/keyed-memory.js';
import { TrackedTarget } from './tracked-target.js';

export interface LeftRun {
  appId: string;
  workflowRunId: string;
  taskId?: string;
  startedAt: number;
  inputs: Record<string, unknown>;
  inputsTruncated: boolean;
  outputMode: OutputMode;
  /** Relative to the workspace. */
  sourcePath?: string;
  sourceLanguage?: string;
  /** Where in which document the output was to go, and the text that was there. */
  target?: { uri: string; start: number; text: string };
}

/** Runs left at once are few; a target longer than this is not kept (the output then opens in a new editor). */
const KEPT_RUNS = 20;
const MAX_TARGET = 256_000;

export class LeftRuns {
  private readonly memory: KeyedMemory<LeftRun>;

  constructor(state: vscode.Memento) {
    this.memory = new KeyedMemory<LeftRun>(state, 'dify.workflows.left', KEPT_RUNS);
  }

  all(): LeftRun[] {
    return this.memory.entries().map(([, run]) => run);
  }

  remember(run: Omit<LeftRun, 'inputsTruncated' | 'target'>, target: TrackedTarget | undefined): Promise<void> {
    const { inputs, truncated } = keptInputs(run.inputs);
    const where =
      target && !target.document.isClosed && target.original.length <= MAX_TARGET
        ? { uri: target.document.uri.toString(), start: target.offsetRange.start, text: target.original }
        : undefined;
    return this.memory.set(run.workflowRunId, { ...run, inputs, inputsTruncated: truncated, target: where });
  }

  forget(workflowRunId: string): Promise<void> {
    return this.memory.set(workflowRunId, undefined);
  }
}

/**
 * The run's target in the reopened document: where it was if its text is still there, else the one place that text
 * is now; undefined when the document cannot be opened or the text is gone (or no longer in one place).
 */
export async function findLeftTarget(run: LeftRun): Promise<TrackedTarget | undefined> {
  if (!run.target) return undefined;
  const { uri, start, text } = run.target;
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  } catch {
    return undefined;
  }
  const at = findTargetAgain(document.getText(), start, text);
  if (at === -1) return undefined;
  return new TrackedTarget(document, new vscode.Range(document.positionAt(at), document.positionAt(at + text.length)));
}
