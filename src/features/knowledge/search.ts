// "Search Dify Knowledge…": the query goes to `/datasets/:id/retrieve` (CONTRACT.md §3.13) with the chosen search
// method and top_k; the hits show in a QuickPick with score and snippet. Enter opens the segment; the row buttons
// insert it into the editor or hand it to the chat.
import * as vscode from 'vscode';
import { defaultSearch, MAX_RETRIEVE_QUERY, retrievalModel, searchMethods } from '../../core/knowledge-retrieval.js';
import type { DatasetNode, KnowledgeTreeModel } from '../../core/knowledge-tree-model.js';
import type { RetrievalModel, RetrieveRecord, SearchMethod } from '../../dify/index.js';
import type { DifyConnections } from '../apps/connections.js';
import { datasetOf, pickDataset } from './dataset-pick.js';
import { knowledgeMessage } from './messages.js';
import type { SegmentFiles } from './segment-files.js';

const ASK_IN_CHAT = 'dify.askInChat';

function methodLabel(method: SearchMethod): string {
  switch (method) {
    case 'semantic_search':
      return vscode.l10n.t('Vector search');
    case 'full_text_search':
      return vscode.l10n.t('Full-text search');
    case 'hybrid_search':
      return vscode.l10n.t('Hybrid search');
    case 'keyword_search':
      return vscode.l10n.t('Keyword search');
  }
}

interface HitItem extends vscode.QuickPickItem {
  record: RetrieveRecord;
}

type Action = { kind: 'open' | 'insert' | 'ask'; record: RetrieveRecord } | { kind: 'method' | 'topK' };

export class KnowledgeSearch {
  /** Per dataset, the last query, method and top_k, so a second search starts where the first ended. */
  private readonly last = new Map<string, { query: string; method: SearchMethod; topK: number }>();
  private readonly insertButton = { iconPath: new vscode.ThemeIcon('insert'), tooltip: vscode.l10n.t('Insert into editor') };
  private readonly askButton = { iconPath: new vscode.ThemeIcon('comment-discussion'), tooltip: vscode.l10n.t('Ask in chat with this context') };
  private readonly methodButton = { iconPath: new vscode.ThemeIcon('settings'), tooltip: vscode.l10n.t('Search method…') };
  private readonly topKButton = { iconPath: new vscode.ThemeIcon('list-ordered'), tooltip: vscode.l10n.t('Number of results (top_k)…') };

  constructor(
    private readonly model: KnowledgeTreeModel,
    private readonly connections: DifyConnections,
    private readonly segments: SegmentFiles,
  ) {}

  async run(target?: unknown): Promise<void> {
    const dataset = await pickDataset(this.model, vscode.l10n.t('Search Dify Knowledge'), datasetOf(target));
    if (!dataset) return;
    const remembered = this.last.get(dataset.id);
    const defaults = defaultSearch(dataset.dataset);
    const query = await vscode.window.showInputBox({
      title: vscode.l10n.t('Search "{0}"', dataset.dataset.name),
      prompt: vscode.l10n.t('What are you looking for? (up to {0} characters)', MAX_RETRIEVE_QUERY),
      value: remembered?.query,
      validateInput: (v) => (v.length > MAX_RETRIEVE_QUERY ? vscode.l10n.t('Dify takes at most {0} characters ({1} now).', MAX_RETRIEVE_QUERY, v.length) : undefined),
    });
    if (!query?.trim()) return;
    let method: SearchMethod = remembered?.method ?? defaults.method;
    let topK = remembered?.topK ?? defaults.topK;
    for (;;) {
      this.last.set(dataset.id, { query, method, topK });
      const action = await this.results(dataset, query, retrievalModel(dataset.dataset, method, topK));
      if (!action) return;
      if (action.kind === 'method') {
        const picked = await vscode.window.showQuickPick(
          searchMethods(dataset.dataset).map((m) => ({ label: methodLabel(m), description: m === method ? vscode.l10n.t('current') : undefined, method: m })),
          { title: vscode.l10n.t('Search method') },
        );
        if (picked) method = picked.method;
        continue;
      }
      if (action.kind === 'topK') {
        const picked = await vscode.window.showQuickPick(
          [1, 3, 4, 5, 10].map((k) => ({ label: String(k), description: k === topK ? vscode.l10n.t('current') : undefined, k })),
          { title: vscode.l10n.t('Number of results (top_k)') },
        );
        if (picked) topK = picked.k;
        continue;
      }
      if (action.kind === 'open') await this.open(dataset, action.record);
      if (action.kind === 'insert') await insertIntoEditor(action.record.segment.content);
      if (action.kind === 'ask') await askInChat(action.record);
      return;
    }
  }

  /** Shows the hits; resolves with what the user did, or undefined when they closed it. */
  private results(dataset: DatasetNode, query: string, retrieval: RetrievalModel): Promise<Action | undefined> {
    const pick = vscode.window.createQuickPick<HitItem>();
    pick.title = vscode.l10n.t('"{0}" in {1} · {2} · top {3}', query, dataset.dataset.name, methodLabel(retrieval.search_method), retrieval.top_k);
    pick.placeholder = vscode.l10n.t('Searching…');
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    pick.buttons = [this.methodButton, this.topKButton];
    pick.busy = true;
    pick.show();
    return new Promise<Action | undefined>((resolve) => {
      // Closing the pick (or changing the method or top_k) drops the search still on its way.
      const search = new AbortController();
      const finish = (action: Action | undefined) => {
        if (search.signal.aborted) return;
        search.abort();
        resolve(action);
        pick.dispose();
      };
      pick.onDidHide(() => finish(undefined));
      pick.onDidAccept(() => {
        const item = pick.selectedItems[0];
        if (item) finish({ kind: 'open', record: item.record });
      });
      pick.onDidTriggerButton((b) => finish({ kind: b === this.methodButton ? 'method' : 'topK' }));
      pick.onDidTriggerItemButton((e) => finish({ kind: e.button === this.insertButton ? 'insert' : 'ask', record: e.item.record }));
      void (async () => {
        try {
          const client = await this.connections.knowledgeClient(dataset.key.profile);
          const response = await client.retrieve(dataset.dataset.id, { query, retrieval_model: retrieval }, { signal: search.signal });
          pick.items = response.records.map((record) => ({
            label: record.segment.document.name,
            description: vscode.l10n.t('score {0} · #{1}', record.score.toFixed(3), record.segment.position),
            detail: record.segment.content.replace(/\s+/g, ' ').slice(0, 200),
            buttons: [this.insertButton, this.askButton],
            record,
          }));
          pick.placeholder = response.records.length
            ? vscode.l10n.t('Enter opens the segment; the buttons insert it or ask the chat with it.')
            : vscode.l10n.t('No hits. Try other words, or another search method (gear button).');
        } catch (error) {
          if (search.signal.aborted) return;
          pick.placeholder = knowledgeMessage(error);
          void vscode.window.showErrorMessage(knowledgeMessage(error));
        } finally {
          pick.busy = false;
        }
      })();
    });
  }

  private async open(dataset: DatasetNode, record: RetrieveRecord): Promise<void> {
    const { segment } = record;
    try {
      await this.segments.open({
        profileId: dataset.key.profile.id,
        datasetId: dataset.dataset.id,
        documentId: segment.document_id,
        segmentId: segment.id,
        datasetName: dataset.dataset.name,
        documentName: segment.document.name,
        position: segment.position,
      });
    } catch (error) {
      void vscode.window.showErrorMessage(knowledgeMessage(error));
    }
  }
}

/** Puts `text` where the active editor's selections are (a hit of a search, here or in VS Code's Chat). */
export async function insertIntoEditor(text: string): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open an editor to insert the segment into.'));
    return;
  }
  await editor.edit((edit) => {
    for (const selection of editor.selections) edit.replace(selection, text);
  });
}

/** Puts the hit into the chat view's input, for the user to ask about it. */
async function askInChat(record: RetrieveRecord): Promise<void> {
  const text = `${vscode.l10n.t('Context from the Dify knowledge document "{0}":', record.segment.document.name)}\n\n${record.segment.content}`;
  await vscode.commands.executeCommand(ASK_IN_CHAT, text);
}
