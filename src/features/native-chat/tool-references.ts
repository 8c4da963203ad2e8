// #difyKnowledge and #difyWorkflow in an @dify request: the tools run in the request's chat (their confirmation and
// progress show there, through the request's toolInvocationToken). Knowledge hits go to the chat app with the
// question; a workflow's output is the answer itself.
import * as vscode from 'vscode';
import { inputFields } from '../../core/input-form.js';
import { MAX_RETRIEVE_QUERY } from '../../core/knowledge-retrieval.js';
import type { ProfileStore } from '../../core/profile-store.js';
import { cutAtWord } from '../../core/text-cut.js';
import { escapeMarkdown } from '../../platform/markdown-text.js';
import type { DifyConnections } from '../apps/connections.js';
import { errorMessage } from '../apps/messages.js';
import { modeLabel } from '../apps/inputs.js';
import { KNOWLEDGE_TOOL } from './knowledge-tool.js';
import { enabledApps, nothingEnabledMessage } from './tools-targets.js';
import { WORKFLOW_TOOL } from './workflow-tool.js';

export interface ToolOutcome {
  /** What the tools found, for the chat app to answer with. */
  blocks: string[];
  /** A workflow answered: the chat app is not asked. */
  answered: boolean;
}

/** The prompt without the text of its #tool references (VS Code leaves "#difyKnowledge" in it). */
export function promptWithoutTools(request: vscode.ChatRequest): string {
  let prompt = request.prompt;
  const ranges = request.toolReferences.map((t) => t.range).filter((r): r is [number, number] => !!r);
  for (const [start, end] of ranges.sort((a, b) => b[0] - a[0])) prompt = prompt.slice(0, start) + prompt.slice(end);
  return prompt.replace(/\s+/g, ' ').trim();
}

export async function runToolReferences(
  s: { store: ProfileStore; connections: DifyConnections },
  request: vscode.ChatRequest,
  query: string,
  attached: string[],
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
): Promise<ToolOutcome> {
  const outcome: ToolOutcome = { blocks: [], answered: false };
  const names = new Set(request.toolReferences.map((t) => t.name));
  if (names.has(KNOWLEDGE_TOOL)) {
    const texts = await invoke(KNOWLEDGE_TOOL, { query: cutAtWord(query, MAX_RETRIEVE_QUERY).text }, request, stream, token);
    if (texts.length) {
      stream.markdown(`${texts.map((t) => `> ${escapeMarkdown(t.split('\n')[0] ?? '')}`).join('\n>\n')}\n\n`);
      outcome.blocks.push(`${vscode.l10n.t('From the Dify knowledge base:')}\n\n${texts.join('\n\n')}`);
    }
  }
  if (names.has(WORKFLOW_TOOL) && !token.isCancellationRequested) {
    const inputs = await workflowInputs(s, [query, ...attached, ...outcome.blocks], stream);
    if (inputs) {
      const texts = await invoke(WORKFLOW_TOOL, inputs, request, stream, token);
      if (texts.length) stream.markdown(texts.join('\n\n'));
      outcome.answered = true;
    }
  }
  return outcome;
}

/** The tool's text parts; a failure is said in the response (the rest of the request goes on). */
async function invoke(name: string, input: object, request: vscode.ChatRequest, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<string[]> {
  try {
    const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: request.toolInvocationToken }, token);
    return result.content.filter((p): p is vscode.LanguageModelTextPart => p instanceof vscode.LanguageModelTextPart).map((p) => p.value);
  } catch (error) {
    if (!token.isCancellationRequested) stream.markdown(`${escapeMarkdown(errorMessage(error))}\n\n`);
    return [];
  }
}

/**
 * The workflow app enabled for tools (picked when there are several) and its inputs: the question, with what was
 * attached and found, goes to its first text input.
 */
async function workflowInputs(
  s: { store: ProfileStore; connections: DifyConnections },
  texts: string[],
  stream: vscode.ChatResponseStream,
): Promise<{ app: string; inputs: Record<string, string> } | undefined> {
  const apps = enabledApps(s.store);
  if (apps.length === 0) {
    stream.markdown(escapeMarkdown(nothingEnabledMessage('apps')));
    stream.button({ command: 'dify.chooseToolTargets', title: vscode.l10n.t('Choose Apps for Chat Tools…') });
    return undefined;
  }
  const app =
    apps.length === 1
      ? apps[0]
      : (await vscode.window.showQuickPick(apps.map((p) => ({ label: p.label, description: modeLabel(p.mode), profile: p })), { title: vscode.l10n.t('Run which Dify workflow?') }))?.profile;
  if (!app) return undefined;
  try {
    const parameters = await (await s.connections.appClient(app)).getParameters();
    const field = inputFields(parameters.user_input_form).find((f) => f.type === 'text-input' || f.type === 'paragraph');
    const text = texts.filter(Boolean).join('\n\n');
    return { app: app.label, inputs: field ? { [field.variable]: text } : {} };
  } catch (error) {
    stream.markdown(escapeMarkdown(vscode.l10n.t('The form of "{0}" could not be read: {1}', app.label, errorMessage(error))));
    return undefined;
  }
}
