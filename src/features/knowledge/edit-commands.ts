// Changing knowledge from the view: datasets created and deleted, documents created from the editor, updated from a
// file or the editor, deleted; segments added, enabled, disabled, deleted. The tree changes only once Dify agreed.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import * as edits from '../../core/knowledge-edits.js';
import { checkUploadFile } from '../../core/knowledge-upload.js';
import { DatasetNode, DocumentNode, KeyNode, SegmentNode, type KnowledgeTreeModel } from '../../core/knowledge-tree-model.js';
import type { KnowledgeClient } from '../../dify/index.js';
import { pickDataset } from './dataset-pick.js';
import { followIndexingWithProgress } from './indexing-progress.js';
import { nodeOf, type KnowledgeElement } from './knowledge-tree.js';
import { knowledgeMessage, rejectionMessage } from './messages.js';
import type { KnowledgeUploads } from './uploads.js';

export class KnowledgeEdits {
  constructor(
    private readonly model: KnowledgeTreeModel,
    private readonly uploads: KnowledgeUploads,
  ) {}

  /** Runs `action` with the dataset's client; any failure becomes one message. */
  private async withClient<T>(dataset: DatasetNode, action: (client: KnowledgeClient) => Promise<T>): Promise<T | undefined> {
    const client = await this.uploads.client(dataset);
    if (!client) return undefined;
    try {
      return await action(client);
    } catch (error) {
      void vscode.window.showErrorMessage(knowledgeMessage(error));
      return undefined;
    }
  }

  private async confirm(message: string, button: string): Promise<boolean> {
    return (await vscode.window.showWarningMessage(message, { modal: true }, button)) === button;
  }

  // ------------------------------------------------------------------ datasets

  async createDataset(target?: unknown): Promise<void> {
    const keys = this.model.roots();
    const node = target instanceof Object && 'kind' in target ? nodeOf(target as KnowledgeElement) : undefined;
    let key = node instanceof KeyNode ? node : keys.length === 1 ? keys[0] : undefined;
    if (!key) {
      if (keys.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No Dify knowledge key is configured yet. Run "Dify: Add Knowledge Key…" first.'));
        return;
      }
      key = (await vscode.window.showQuickPick(keys.map((k) => ({ label: k.profile.label, description: k.profile.baseUrl, key: k })), { title: vscode.l10n.t('Create Dataset') }))?.key;
      if (!key) return;
    }
    const name = await vscode.window.showInputBox({
      title: vscode.l10n.t('Create Dataset'),
      prompt: vscode.l10n.t('Name of the new dataset (1 to 40 characters)'),
      validateInput: (v) => (!v.trim() ? vscode.l10n.t('Enter a name.') : v.length > 40 ? vscode.l10n.t('At most 40 characters.') : undefined),
    });
    if (!name) return;
    const technique = await vscode.window.showQuickPick(
      [
        { label: vscode.l10n.t('High quality'), description: vscode.l10n.t('Embeddings: finds meaning, needs an embedding model in Dify'), value: 'high_quality' as const },
        { label: vscode.l10n.t('Economy'), description: vscode.l10n.t('Keywords only: no model, no token cost'), value: 'economy' as const },
      ],
      { title: vscode.l10n.t('How should "{0}" be indexed?', name) },
    );
    if (!technique) return;
    const client = await this.uploads.client(key.profile);
    if (!client) return;
    try {
      const created = await edits.createDataset(this.model, client, key, name, technique.value);
      void vscode.window.showInformationMessage(vscode.l10n.t('Created the dataset "{0}".', created.dataset.name));
    } catch (error) {
      void vscode.window.showErrorMessage(knowledgeMessage(error));
    }
  }

  async deleteDataset(target: unknown): Promise<void> {
    const node = target instanceof DatasetNode ? target : undefined;
    if (!node) return;
    const { dataset } = node;
    const yes = vscode.l10n.t('Delete Dataset');
    const sure = await this.confirm(
      vscode.l10n.t('Delete the dataset "{0}" and its {1} documents from Dify? This cannot be undone.', dataset.name, dataset.document_count),
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
    const selection = editor.selection;
    const text = selection.isEmpty ? editor.document.getText() : editor.document.getText(selection);
    if (!text.trim()) {
      void vscode.window.showWarningMessage(vscode.l10n.t('There is no text to add: the selection or the file is empty.'));
      return;
    }
    const file = basename(editor.document.uri.path) || 'untitled';
    const dataset = await pickDataset(this.model, vscode.l10n.t('Create Dify Knowledge Document'));
    if (!dataset) return;
    const name = await vscode.window.showInputBox({
      title: vscode.l10n.t('Create Dify Knowledge Document'),
      prompt: vscode.l10n.t('Name of the new document in "{0}"', dataset.dataset.name),
      value: selection.isEmpty ? file : vscode.l10n.t('{0} (lines {1}-{2})', file, selection.start.line + 1, selection.end.line + 1),
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a name.')),
    });
    if (!name) return;
    const settings = await this.uploads.settings(dataset);
    if (!settings) return;
    const client = await this.uploads.client(dataset);
    if (!client) return;
    try {
      const created = await client.createDocumentByText(dataset.dataset.id, { name: name.trim(), text, ...settings });
      this.model.addDocument(dataset, created.document);
      await followIndexingWithProgress(this.model, client, dataset, [{ id: created.document.id, name: created.document.name, batch: created.batch }], vscode.l10n.t('Indexing "{0}"', created.document.name));
    } catch (error) {
      void vscode.window.showErrorMessage(knowledgeMessage(error));
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
    const text = editor ? (editor.selection.isEmpty ? editor.document.getText() : editor.document.getText(editor.selection)) : '';
    if (!text.trim()) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open an editor with the new text of "{0}" (or select it) first.', target.document.name));
      return;
    }
    await this.replaceDocument(target, (client) =>
      client.updateDocumentByText(target.parent.dataset.id, target.document.id, { name: target.document.name, text }),
    );
  }

  private async replaceDocument(target: DocumentNode, send: (client: KnowledgeClient) => Promise<{ document: DocumentNode['document']; batch: string }>): Promise<void> {
    const dataset = target.parent;
    const client = await this.uploads.client(dataset);
    if (!client) return;
    try {
      const updated = await edits.replaceDocument(this.model, dataset, () => send(client));
      await followIndexingWithProgress(this.model, client, dataset, [{ id: updated.document.id, name: updated.document.name, batch: updated.batch }], vscode.l10n.t('Indexing "{0}"', updated.document.name));
    } catch (error) {
      void vscode.window.showErrorMessage(knowledgeMessage(error));
    }
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
    const content = await vscode.window.showInputBox({
      title: vscode.l10n.t('Add Segment to "{0}"', document.document.name),
      prompt: qa ? vscode.l10n.t('Question') : vscode.l10n.t('Text of the new segment'),
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('A segment cannot be empty.')),
    });
    if (!content) return;
    const answer = qa
      ? await vscode.window.showInputBox({ title: vscode.l10n.t('Add Segment to "{0}"', document.document.name), prompt: vscode.l10n.t('Answer') })
      : undefined;
    if (qa && !answer) return;
    await this.withClient(document.parent, (client) => edits.addSegment(this.model, client, document, content, answer));
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
