// A run's inputs and outputs as a read-only Markdown document: a run from the history, or one from Dify's logs
// (GET /workflows/run/:id).
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/workflow-history.js';
import { outputText } from '../../core/workflow-output.js';
import type { WorkflowRunDetail } from '../../dify/index.js';
import { duration, statusLabel } from './run-labels.js';

const fence = (text: string, language = 'text'): string => {
  const ticks = '`'.repeat(Math.max(3, ...[...text.matchAll(/`{3,}/g)].map((m) => m[0].length + 1)));
  return `${ticks}${language}\n${text}\n${ticks}`;
};

function values(title: string, entries: Record<string, unknown> | undefined): string[] {
  const lines = ['', `## ${title}`, ''];
  const list = Object.entries(entries ?? {}).filter(([k]) => !k.startsWith('sys.'));
  if (list.length === 0) return [...lines, '-'];
  for (const [key, value] of list) lines.push(`### ${key}`, '', fence(outputText(value), typeof value === 'object' && value !== null ? 'json' : 'text'), '');
  return lines;
}

export function runRecordMarkdown(record: RunRecord): string {
  const lines = [`# ${record.appLabel}`, ''];
  lines.push(`- ${vscode.l10n.t('Status')}: ${statusLabel(record.status)}`);
  lines.push(`- ${vscode.l10n.t('Started')}: ${new Date(record.startedAt).toLocaleString(vscode.env.language)}`);
  lines.push(`- ${vscode.l10n.t('Duration')}: ${duration(record.durationMs / 1000)}`);
  if (record.tokens) lines.push(`- ${vscode.l10n.t('Tokens')}: ${record.tokens}`);
  if (record.source) lines.push(`- ${vscode.l10n.t('File')}: ${record.source}`);
  if (record.workflowRunId) lines.push(`- workflow_run_id: ${record.workflowRunId}`);
  if (record.error) lines.push('', `> ${record.error}`);
  lines.push(...values(vscode.l10n.t('Inputs'), record.inputs));
  if (record.inputsTruncated) lines.push('', vscode.l10n.t('(Inputs were cut to keep the history small.)'));
  if (record.outputs && Object.keys(record.outputs).length) lines.push(...values(vscode.l10n.t('Outputs'), record.outputs));
  else if (record.output) lines.push('', `## ${vscode.l10n.t('Output')}`, '', fence(record.output));
  return lines.join('\n') + '\n';
}

export function serverRunMarkdown(appLabel: string, run: WorkflowRunDetail): string {
  const lines = [`# ${appLabel}`, ''];
  lines.push(`- ${vscode.l10n.t('Status')}: ${statusLabel(run.status)}`);
  lines.push(`- ${vscode.l10n.t('Started')}: ${new Date(run.created_at * 1000).toLocaleString(vscode.env.language)}`);
  lines.push(`- ${vscode.l10n.t('Duration')}: ${duration(run.elapsed_time)}`);
  lines.push(`- ${vscode.l10n.t('Tokens')}: ${run.total_tokens}`, `- ${vscode.l10n.t('Steps')}: ${run.total_steps}`, `- workflow_run_id: ${run.id}`);
  if (run.error) lines.push('', `> ${run.error}`);
  lines.push(...values(vscode.l10n.t('Inputs'), typeof run.inputs === 'string' ? { inputs: run.inputs } : run.inputs));
  lines.push(...values(vscode.l10n.t('Outputs'), run.outputs));
  return lines.join('\n') + '\n';
}
