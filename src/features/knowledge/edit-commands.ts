// Changing knowledge from the view: datasets created and deleted, documents created from the editor, updated from a
// file or the editor, deleted; segments added, enabled, disabled, deleted. The tree changes only once Dify agreed.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import * as edits from '../../core/knowledge-edits.js';
import { checkUploadFile } from '../../core/knowledge-upload.js';
import { DatasetNode, DocumentNode, KeyNode, SegmentNode, type KnowledgeTreeModel } from '../../core/knowledge-tree-model.js';
import type { KnowledgeClient } from '../../dify/index.js';
import { fileName } from '../editor/file-name.js';
import { pickDataset, pickKey } from './dataset-pick.js';
import { followIndexingWithProgress } from './indexing-progress.js';
import { nodeOf, type KnowledgeElement } from './knowledge-tree.js';
import { knowledgeMessage, rejectionMessage } from './messages.js';
import type { KnowledgeUploads } from './uploads.js';
import { selectionOrFile } from '../editor/selection.js';
import { documentCount } from '../../platform/counts.js';

export class KnowledgeEdits {
  constructor(
    private readonly model: KnowledgeTreeModel,
    private readonly uploads: KnowledgeUploads,
  ) {}

  /** Runs `action` with the dataset's client; any failure becomes one message. */
  private async withClient<T>(dataset: DatasetNode, action: (client: KnowledgeClient) => Promise<T>): Promise<T | undefined> {
    const client = await this.uploads.client(dataset);
    if (!client) return undefined;
    const result = await attempt(() => action(client));
    return result === EDIT_AGAIN ? undefined : result;
  }

  private async confirm(message: string, button: string): Promise<boolean> {
    return (await vscode.window.showWarningMessage(message, { modal: true }, button)) === button;
  }

  // ------------------------------------------------------------------ datasets

  async createDataset(target?: unknown): Promise<void> {
    const node = target instanceof Object && 'kind' in target ? nodeOf(target as KnowledgeElement) : undefined;
    const key = await pickKey(this.model, vscode.l10n.t('Create Dataset'), node instanceof KeyNode ? node : undefined);
    if (!key) return;
    const client = await this.uploads.client(key.profile);
    if (!client) return;
    let name = '';
    for (;;) {
      const typed = await vscode.window.showInputBox({
        title: vscode.l10n.t('Create Dataset'),
        prompt: vscode.l10n.t('Name of the new dataset (1 to 40 characters)'),
        value: name,
        validateInput: (v) => (!v.trim() ? vscode.l10n.t('Enter a name.') : v.length > 40 ? vscode.l10n.t('At most 40 characters.') : undefined),
      });
      if (!typed) return;
      name = typed;
      const technique = await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('High quality'), description: vscode.l10n.t('Embeddings: finds meaning, needs an embedding model in Dify'), value: 'high_quality' as const },
          { label: vscode.l10n.t('Economy'), description: vscode.l10n.t('Keywords only: no model, no token cost'), value: 'economy' as const },
        ],
        { title: vscode.l10n.t('How should "{0}" be indexed?', name) },
      );
      if (!technique) return;
      const created = await attempt(() => edits.createDataset(this.model, client, key, name, technique.value), true);
      if (created === EDIT_AGAIN) continue;
      if (created) void vscode.window.showInformationMessage(vscode.l10n.t('Created the dataset "{0}".', created.dataset.name));
      return;
    }
  }

  async deleteDataset(target: unknown): Promise<void> {
    const node = target instanceof DatasetNode ? target : undefined;
    if (!node) return;
    const { dataset } = node;
    const yes = vscode.l10n.t('Delete Dataset');
    const sure = await this.confirm(
      vscode.l10n.t('Delete the dataset "{0}" and its {1} from Dify? This cannot be undone.', dataset.name, documentCount(dataset.document_count)),
      yes,
    );
    if (!sure) return;
    await this.withClient(node, (client) => edits.deleteDataset(this.model, client, node));
  }

  // ------------------------------------------------------------------ documents

  /** A new document from the editor's selection, or the whole file when nothing is selected (create-by-text). */
  async createFromEditor(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open an editor with the text to add to Dify knowledge.'));
      return;
    }
    const { range, whole } = selectionOrFile(editor);
    const text = editor.document.getText(range);
    if (!text.trim()) {
      void vscode.window.showWarningMessage(vscode.l10n.t('There is no text to add: the selection or the file is empty.'));
      return;
    }
    const file = fileName(editor.document.uri);
    const dataset = await pickDataset(this.model, vscode.l10n.t('Create Dify Knowledge Document'));
    if (!dataset) return;
    const client = await this.uploads.client(dataset);
    if (!client) return;
    let name = whole ? file : vscode.l10n.t('{0} (lines {1}-{2})', file, range.start.line + 1, range.end.line + 1);
    for (;;) {
      const typed = await vscode.window.showInputBox({
        title: vscode.l10n.t('Create Dify Knowledge Document'),
        prompt: vscode.l10n.t('Name of the new document in "{0}"', dataset.dataset.name),
        value: name,
        validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a name.')),
      });
      if (!typed) return;
      name = typed;
      const settings = await this.uploads.settings(dataset);
      if (!settings) return;
      const created = await attempt(() => edits.createDocumentByText(this.model, client, dataset, name, text, settings), true);
      if (created === EDIT_AGAIN) continue;
      if (created) await this.followIndexing(client, dataset, created);
      return;
    }
  }

  async updateDocumentFromFile(target: unknown): Promise<void> {
    if (!(target instanceof DocumentNode)) return;
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, title: vscode.l10n.t('Replace "{0}" with a file', target.document.name) });
    const uri = picked?.[0];
    if (!uri) return;
    const rejection = await checkUploadFile(uri.fsPath);
    if (rejection) {
      void vscode.window.showWarningMessage(rejectionMessage(basename(uri.fsPath), rejection));
      return;
    }
    await this.replaceDocument(target, (client) => client.updateDocumentByFile(target.parent.dataset.id, target.document.id, { path: uri.fsPath }));
  }

  async updateDocumentFromEditor(target: unknown): Promise<void> {
    if (!(target instanceof DocumentNode)) return;
    const editor = vscode.window.activeTextEditor;
    const on = editor && selectionOrFile(editor);
    const text = editor && on ? editor.document.getText(on.range) : '';
    if (!editor || !on || !text.trim()) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open an editor with the new text of "{0}" (or select it) first.', target.document.name));
      return;
    }
    const source = fileName(editor.document.uri);
    const question = on.whole
      ? vscode.l10n.t('Replace the text of "{0}" in Dify with all of {1}? Its segments are made again.', target.document.name, source)
      : vscode.l10n.t('Replace the text of "{0}" in Dify with the selection in {1}? Its segments are made again.', target.document.name, source);
    if (!(await this.confirm(question, vscode.l10n.t('Replace')))) return;
    await this.replaceDocument(target, (client) =>
      client.updateDocumentByText(target.parent.dataset.id, target.document.id, { name: target.document.name, text }),
    );
  }

  private async replaceDocument(target: DocumentNode, send: (client: KnowledgeClient) => Promise<edits.DocumentUpdate>): Promise<void> {
    const dataset = target.parent;
    await this.withClient(dataset, async (client) => this.followIndexing(client, dataset, await edits.replaceDocument(this.model, dataset, () => send(client))));
  }

  private followIndexing(client: KnowledgeClient, dataset: DatasetNode, { document, batch }: edits.DocumentUpdate): Thenable<void> {
    return followIndexingWithProgress(this.model, client, dataset, [{ id: document.id, name: document.name, batch }], vscode.l10n.t('Indexing "{0}"', document.name));
  }

  async deleteDocument(target: unknown): Promise<void> {
    if (!(target instanceof DocumentNode)) return;
    const yes = vscode.l10n.t('Delete Document');
    if (!(await this.confirm(vscode.l10n.t('Delete "{0}" from the dataset "{1}" in Dify?', target.document.name, target.parent.dataset.name), yes))) return;
    await this.withClient(target.parent, (client) => edits.deleteDocument(this.model, client, target));
  }

  // ------------------------------------------------------------------ segments

  async addSegment(target: unknown): Promise<void> {
    const document = target instanceof SegmentNode ? target.parent : target instanceof DocumentNode ? target : undefined;
    if (!document) return;
    const qa = document.document.doc_form === 'qa_model';
    const title = vscode.l10n.t('Add Segment to "{0}"', document.document.name);
    const client = await this.uploads.client(document.parent);
    if (!client) return;
    let content = '';
    let answer = '';
    for (;;) {
      const typed = await vscode.window.showInputBox({
        title,
        prompt: qa ? vscode.l10n.t('Question') : vscode.l10n.t('Text of the new segment'),
        value: content,
        validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('A segment cannot be empty.')),
      });
      if (!typed) return;
      content = typed;
      if (qa) {
        const typedAnswer = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Answer'), value: answer });
        if (!typedAnswer) return;
        answer = typedAnswer;
      }
      const added = await attempt(() => edits.addSegment(this.model, client, document, content, qa ? answer : undefined), true);
      if (added !== EDIT_AGAIN) return;
    }
  }

  async setSegmentEnabled(target: unknown, enabled: boolean): Promise<void> {
    if (!(target instanceof SegmentNode)) return;
    await this.withClient(target.parent.parent, (client) => edits.setSegmentEnabled(this.model, client, target, enabled));
  }

  async deleteSegment(target: unknown): Promise<void> {
    if (!(target instanceof SegmentNode)) return;
    const { parent, segment } = target;
    const yes = vscode.l10n.t('Delete Segment');
    if (!(await this.confirm(vscode.l10n.t('Delete segment #{0} of "{1}" in Dify?', segment.position, parent.document.name), yes))) return;
    await this.withClient(parent.parent, (client) => edits.deleteSegment(this.model, client, target));
  }
}

const EDIT_AGAIN = Symbol('edit again');

/**
 * Runs `action`; a failure becomes one message. With `editAgain`, the message offers "Edit and Retry", and EDIT_AGAIN
 * comes back when the user takes it (the caller asks again with what was typed).
 */
async function attempt<T>(action: () => Promise<T>, editAgain = false): Promise<T | typeof EDIT_AGAIN | undefined> {
  try {
    return await action();
  } catch (error) {
    if (!editAgain) {
      void vscode.window.showErrorMessage(knowledgeMessage(error));
      return undefined;
    }
    const edit = vscode.l10n.t('Edit and Retry');
    return (await vscode.window.showErrorMessage(knowledgeMessage(error), edit)) === edit ? EDIT_AGAIN : undefined;
  }
}
