// A run as a readable document in VS Code's Markdown preview: a run from the history (what "Show Details" of a failed
// run shows too, with what is known of the failure), or one from Dify's logs (GET /workflows/run/:id).
import * as vscode from 'vscode';
import { runMarkdown, type RunDocument, type ValueSection } from '../../core/run-document.js';
import type { RunRecord } from '../../core/workflow-history.js';
import type { WorkflowRunDetail } from '../../dify/index.js';
import { absoluteTime, duration, outputModeLabel, statusLabel, stepStatusLabel, timeAgo } from './run-labels.js';

type Facts = RunDocument['facts'];

const when = (ms: number): string => `${absoluteTime(ms)} (${timeAgo(ms)})`;

/** Inputs can be whole files: each shows its start. */
const inputs = (values: ValueSection['values']): ValueSection => ({
  heading: vscode.l10n.t('Inputs'),
  values,
  cut: (shown, total) => vscode.l10n.t('First {0} of {1} characters', shown, total),
});

/** `diagnostics`: more about a failure (its kind, the HTTP status…), at the end. */
export function runRecordMarkdown(record: RunRecord, diagnostics?: Facts): string {
  const hasOutputs = record.outputs && Object.keys(record.outputs).length > 0;
  return runMarkdown({
    title: record.appLabel,
    facts: [
      [vscode.l10n.t('File'), record.source],
      [vscode.l10n.t('Started'), when(record.startedAt)],
      [vscode.l10n.t('Status'), statusLabel(record.status)],
      [vscode.l10n.t('Duration'), duration(record.durationMs / 1000)],
      record.via === 'tool' ? [vscode.l10n.t('Started by'), vscode.l10n.t('Run by a language model (chat tool)')] : [vscode.l10n.t('Output mode'), outputModeLabel(record.outputMode)],
      [vscode.l10n.t('Tokens'), record.tokens ? String(record.tokens) : undefined],
      ['workflow_run_id', record.workflowRunId],
    ],
    failure: record.error ? { heading: vscode.l10n.t('Error'), message: record.error } : undefined,
    steps: {
      heading: vscode.l10n.t('Steps'),
      columns: [vscode.l10n.t('Node'), vscode.l10n.t('Status'), vscode.l10n.t('Duration')],
      rows: (record.nodes ?? []).map((s) => [s.type ? `${s.title} (${s.type})` : s.title, stepStatusLabel(s.status), s.seconds === undefined ? '—' : duration(s.seconds)]),
    },
    sections: [
      inputs(record.inputs),
      // A failed run has none.
      ...(hasOutputs ? [{ heading: vscode.l10n.t('Outputs'), values: record.outputs }] : record.output ? [{ heading: vscode.l10n.t('Output'), values: record.output }] : []),
    ],
    more: diagnostics && { heading: vscode.l10n.t('Diagnostics'), facts: diagnostics },
    notes: record.inputsTruncated ? [vscode.l10n.t('(Inputs were cut to keep the history small.)')] : [],
  });
}

export function serverRunMarkdown(appLabel: string, run: WorkflowRunDetail): string {
  return runMarkdown({
    title: appLabel,
    facts: [
      [vscode.l10n.t('Started'), when(run.created_at * 1000)],
      [vscode.l10n.t('Status'), statusLabel(run.status)],
      [vscode.l10n.t('Duration'), duration(run.elapsed_time)],
      [vscode.l10n.t('Tokens'), String(run.total_tokens)],
      [vscode.l10n.t('Steps'), String(run.total_steps)],
      ['workflow_run_id', run.id],
    ],
    failure: run.error ? { heading: vscode.l10n.t('Error'), message: run.error } : undefined,
    sections: [inputs(run.inputs), { heading: vscode.l10n.t('Outputs'), values: run.outputs }],
  });
}
