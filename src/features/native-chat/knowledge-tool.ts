// `dify_knowledge_search` (#difyKnowledge): searches the knowledge bases the user enabled for tools through
// `/datasets/:id/retrieve`, each with its own retrieval settings, and gives the model one text part per hit naming
// its document, knowledge base and score.
import * as vscode from 'vscode';
import { knowledgeHits, type KnowledgeHit } from '../../core/knowledge-hits.js';
import { defaultSearch, MAX_RETRIEVE_QUERY, retrievalModel } from '../../core/knowledge-retrieval.js';
import type { KnowledgeProfile, ProfileStore } from '../../core/profile-store.js';
import { charCount } from '../../core/input-form.js';
import type { Dataset } from '../../dify/index.js';
import type { DifyConnections } from '../apps/connections.js';
import { knowledgeMessage } from '../knowledge/messages.js';
import { abortOn, throwIfCancelled } from './cancellation.js';
import { enabledNames, KNOWLEDGE_BASES_SETTING, listKnowledgeBases, nothingEnabledMessage, sameName } from './tools-targets.js';

export const KNOWLEDGE_TOOL = 'dify_knowledge_search';

export interface KnowledgeToolInput {
  query: string;
  knowledgeBase?: string;
}

interface Target {
  profile: KnowledgeProfile;
  dataset: Dataset;
}

export class KnowledgeTool implements vscode.LanguageModelTool<KnowledgeToolInput> {
  constructor(
    private readonly store: ProfileStore,
    private readonly connections: DifyConnections,
  ) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<KnowledgeToolInput>): vscode.PreparedToolInvocation {
    const { query, knowledgeBase } = options.input;
    const shown = typeof query === 'string' ? query : '';
    return {
      invocationMessage:
        typeof knowledgeBase === 'string' && knowledgeBase
          ? vscode.l10n.t('Searching "{0}" in Dify for "{1}"…', knowledgeBase, shown)
          : vscode.l10n.t('Searching Dify knowledge for "{0}"…', shown),
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<KnowledgeToolInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const { query, knowledgeBase } = checkInput(options.input);
    const names = enabledNames(KNOWLEDGE_BASES_SETTING);
    if (names.length === 0) throw new Error(nothingEnabledMessage('knowledge'));
    const wanted = knowledgeBase ? names.filter((n) => sameName(n, knowledgeBase)) : names;
    if (wanted.length === 0) {
      throw new Error(vscode.l10n.t('"{0}" is not a knowledge base enabled for chat tools. Enabled: {1}.', knowledgeBase!, names.map((n) => `"${n}"`).join(', ')));
    }
    const abort = abortOn(token);
    try {
      return await this.search(query, wanted, abort.signal, token);
    } finally {
      abort.dispose();
    }
  }

  private async search(query: string, wanted: string[], signal: AbortSignal, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const keys = await listKnowledgeBases(this.store, this.connections, signal);
    throwIfCancelled(token);
    const targets: Target[] = [];
    for (const { profile, datasets } of keys) {
      for (const dataset of datasets) {
        // Two keys of one workspace list the same dataset: it is searched once.
        const seen = targets.some((t) => t.dataset.id === dataset.id && t.profile.baseUrl === profile.baseUrl);
        if (!seen && wanted.some((n) => sameName(n, dataset.name))) targets.push({ profile, dataset });
      }
    }
    const notes: string[] = [];
    for (const { profile, error } of keys) if (error) notes.push(vscode.l10n.t('The knowledge bases of "{0}" could not be listed: {1}', profile.label, knowledgeMessage(error)));
    const missing = wanted.filter((n) => !targets.some((t) => sameName(t.dataset.name, n)));
    if (missing.length) notes.push(vscode.l10n.t('Not found with the configured knowledge keys: {0}.', missing.map((n) => `"${n}"`).join(', ')));
    if (targets.length === 0) throw new Error(notes.join('\n'));

    let failed = 0;
    const results = await Promise.all(
      targets.map(async ({ profile, dataset }) => {
        try {
          const client = await this.connections.knowledgeClient(profile);
          const search = defaultSearch(dataset);
          const response = await client.retrieve(dataset.id, { query, retrieval_model: retrievalModel(dataset, search.method, search.topK) }, { signal });
          return { knowledgeBase: dataset.name, records: response.records };
        } catch (error) {
          failed++;
          if (!token.isCancellationRequested) notes.push(vscode.l10n.t('"{0}" could not be searched: {1}', dataset.name, knowledgeMessage(error)));
          return { knowledgeBase: dataset.name, records: [] };
        }
      }),
    );
    throwIfCancelled(token);
    // Nothing searched is a failure, not "no hits".
    if (failed === targets.length) throw new Error(notes.join('\n'));
    const hits = knowledgeHits(results);
    const searched = targets.map((t) => `"${t.dataset.name}"`).join(', ');
    const parts = hits.length
      ? hits.map((hit) => new vscode.LanguageModelTextPart(hitText(hit)))
      : [new vscode.LanguageModelTextPart(vscode.l10n.t('No hits for "{0}" in {1}.', query, searched))];
    for (const note of notes) parts.push(new vscode.LanguageModelTextPart(note));
    return new vscode.LanguageModelToolResult(parts);
  }
}

function hitText(hit: KnowledgeHit): string {
  const head = vscode.l10n.t('Document "{0}" in knowledge base "{1}" (score {2}):', hit.document, hit.knowledgeBase, hit.score.toFixed(3));
  return `${head}\n${hit.content}${hit.cut ? `\n${vscode.l10n.t('[cut: the segment is longer]')}` : ''}`;
}

function checkInput(input: unknown): { query: string; knowledgeBase?: string } {
  const { query, knowledgeBase } = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  if (typeof query !== 'string' || !query.trim()) throw new Error(vscode.l10n.t('"query" is required: the text to search the knowledge bases for.'));
  if (charCount(query) > MAX_RETRIEVE_QUERY) {
    throw new Error(vscode.l10n.t('"query" has {0} characters; Dify takes at most {1}. Search with fewer words.', charCount(query), MAX_RETRIEVE_QUERY));
  }
  if (knowledgeBase !== undefined && knowledgeBase !== null && typeof knowledgeBase !== 'string') {
    throw new Error(vscode.l10n.t('"knowledgeBase" must be the name of a knowledge base (a string), or left out to search all enabled ones.'));
  }
  return { query: query.trim(), knowledgeBase: knowledgeBase?.trim() || undefined };
}

