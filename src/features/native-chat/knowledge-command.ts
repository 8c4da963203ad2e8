// `@dify /knowledge <query>`: searches a knowledge base of the configured knowledge keys (picked when there are
// several) with its own search settings, shows the hits with their documents as references, an Insert button for the
// best ones, and an "Ask" follow-up that sends the question to the chat app with the hits.
import * as vscode from 'vscode';
import type { DifyTurnMetadata, SearchedKnowledge } from '../../core/chat-thread.js';
import { charCount } from '../../core/input-form.js';
import { knowledgeHits } from '../../core/knowledge-hits.js';
import { defaultSearch, MAX_RETRIEVE_QUERY, retrievalModel } from '../../core/knowledge-retrieval.js';
import type { KnowledgeProfile, ProfileStore } from '../../core/profile-store.js';
import type { Dataset } from '../../dify/index.js';
import { escapeMarkdown } from '../../platform/markdown-text.js';
import type { DifyConnections } from '../apps/connections.js';
import type { ReadOnlyDocs } from '../editor/read-only-docs.js';
import { knowledgeMessage } from '../knowledge/messages.js';
import { abortOn } from './cancellation.js';
import { listKnowledgeBases } from './tools-targets.js';

/** Hits shown, and how much of each (the reference opens the whole segment). */
const SHOWN = { maxHits: 8, maxChars: 400 };
/** Hits kept with the answer for its "Ask" follow-up. */
const KEPT = { maxHits: 5, maxChars: 1500 };
/** Hits offered to insert. */
const INSERTABLE = 3;

export interface KnowledgeCommandServices {
  store: ProfileStore;
  connections: DifyConnections;
  docs: ReadOnlyDocs;
}

export async function searchKnowledgeInChat(s: KnowledgeCommandServices, request: vscode.ChatRequest, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
  const query = request.prompt.trim();
  if (!query) {
    stream.markdown(vscode.l10n.t('Write what to search for after /knowledge, e.g. "/knowledge how do I reset a password".'));
    return {};
  }
  if (charCount(query) > MAX_RETRIEVE_QUERY) {
    stream.markdown(vscode.l10n.t('Dify takes at most {0} characters ({1} now).', MAX_RETRIEVE_QUERY, charCount(query)));
    return {};
  }
  if (s.store.knowledge().length === 0) {
    stream.markdown(vscode.l10n.t('No Dify knowledge key is set up yet. Add one (from the Knowledge view), then search again.'));
    stream.button({ command: 'dify.addKnowledgeKey', title: vscode.l10n.t('Add Knowledge Key…') });
    return {};
  }
  const abort = abortOn(token);
  try {
    stream.progress(vscode.l10n.t('Listing the knowledge bases…'));
    const keys = await listKnowledgeBases(s.store, s.connections, abort.signal);
    for (const { profile, error } of keys) {
      if (error) stream.markdown(`${escapeMarkdown(vscode.l10n.t('The knowledge bases of "{0}" could not be listed: {1}', profile.label, knowledgeMessage(error)))}\n\n`);
    }
    const all = keys.flatMap(({ profile, datasets }) => datasets.map((dataset) => ({ profile, dataset })));
    if (all.length === 0 && keys.some((k) => !k.error)) stream.markdown(vscode.l10n.t('The knowledge keys set up have no knowledge bases yet. Create one in Dify or from the Knowledge view.'));
    const target = await pickDataset(all);
    if (!target) return {};
    stream.progress(vscode.l10n.t('Searching "{0}"…', target.dataset.name));
    const client = await s.connections.knowledgeClient(target.profile);
    const search = defaultSearch(target.dataset);
    const { records } = await client.retrieve(target.dataset.id, { query, retrieval_model: retrievalModel(target.dataset, search.method, search.topK) }, { signal: abort.signal });
    const results = [{ knowledgeBase: target.dataset.name, records }];
    const shown = knowledgeHits(results, SHOWN);
    if (shown.length === 0) {
      stream.markdown(escapeMarkdown(vscode.l10n.t('No hits for "{0}" in "{1}". Try other words.', query, target.dataset.name)));
      return {};
    }
    stream.markdown(`${escapeMarkdown(vscode.l10n.t('Hits in "{0}" for "{1}":', target.dataset.name, query))}\n\n`);
    for (const hit of shown) stream.markdown(`- **${escapeMarkdown(hit.document)}** · ${vscode.l10n.t('score {0}', hit.score.toFixed(2))}\n\n  ${escapeMarkdown(hit.content.replace(/\s+/g, ' '))}\n`);
    // Each document once, its segments in one read-only document (the whole text of each).
    const best = [...records].sort((a, b) => b.score - a.score);
    const byDocument = new Map<string, string[]>();
    for (const record of best) {
      const name = record.segment.document.name;
      byDocument.set(name, [...(byDocument.get(name) ?? []), record.segment.content]);
    }
    for (const [name, segments] of byDocument) stream.reference(s.docs.put(name, `# ${name}\n\n${segments.join('\n\n---\n\n')}\n`, `searched:${target.dataset.id}:${name}`));
    for (const record of best.slice(0, INSERTABLE)) {
      stream.button({ command: 'dify.nativeChat.insert', arguments: [record.segment.content], title: vscode.l10n.t('Insert "{0}" #{1}', record.segment.document.name, record.segment.position) });
    }
    const knowledge: SearchedKnowledge = {
      query,
      knowledgeBase: target.dataset.name,
      hits: knowledgeHits(results, KEPT).map(({ document, content }) => ({ document, content })),
    };
    const metadata: DifyTurnMetadata = { knowledge };
    return { metadata };
  } catch (error) {
    if (token.isCancellationRequested) return {};
    return { errorDetails: { message: knowledgeMessage(error) } };
  } finally {
    abort.dispose();
  }
}

async function pickDataset(all: { profile: KnowledgeProfile; dataset: Dataset }[]): Promise<{ profile: KnowledgeProfile; dataset: Dataset } | undefined> {
  if (all.length <= 1) return all[0];
  const picked = await vscode.window.showQuickPick(
    all.map((t) => ({ label: t.dataset.name, description: t.profile.label, detail: t.dataset.description || undefined, target: t })),
    { title: vscode.l10n.t('Search which knowledge base?'), matchOnDescription: true },
  );
  return picked?.target;
}

/** The hits a /knowledge search found, as the chat app gets them with its question. */
export function knowledgeBlock(knowledge: SearchedKnowledge): string {
  const hits = knowledge.hits.map((h) => `${vscode.l10n.t('Document "{0}":', h.document)}\n${h.content}`);
  return `${vscode.l10n.t('From the Dify knowledge base "{0}":', knowledge.knowledgeBase)}\n\n${hits.join('\n\n')}`;
}
