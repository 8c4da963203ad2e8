// Segments open as files of a `dify-segment:` file system: the editor shows the segment's text, and saving it (Ctrl+S)
// sends it to Dify; a refusal shows as a failed save, so the edit is never lost. Every call works from the URI alone
// (core/segment-ref.ts), so a reloaded window reopens its segment tabs before the tree has loaded anything, and nothing
// is kept per editor. `stat` reads the segment's updated_at from Dify: when someone changed it in Dify since the editor
// read it, VS Code's save says "the content of the file is newer" instead of overwriting their edit.
import * as vscode from 'vscode';
import { knowledgeFailure } from '../../core/knowledge-errors.js';
import { reloadSegment, saveSegment } from '../../core/knowledge-edits.js';
import type { KnowledgeTreeModel } from '../../core/knowledge-tree-model.js';
import type { KnowledgeProfile } from '../../core/profile-store.js';
import { segmentLocation, segmentMtime, segmentRefOf, type SegmentPlace, type SegmentRef } from '../../core/segment-ref.js';
import type { KnowledgeClient } from '../../dify/index.js';
import type { DifyConnections } from '../apps/connections.js';
import { knowledgeMessage } from './messages.js';

const SEGMENT_SCHEME = 'dify-segment';

export class SegmentFiles implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly model: KnowledgeTreeModel,
    private readonly connections: DifyConnections,
    private readonly profiles: () => KnowledgeProfile[],
  ) {
    this.registration = vscode.workspace.registerFileSystemProvider(SEGMENT_SCHEME, this, { isCaseSensitive: true });
  }

  /** Opens the segment in an editor, with the text Dify has now. */
  async open(place: SegmentPlace): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: SEGMENT_SCHEME, ...segmentLocation(place) });
    const opened = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(opened, { preview: true });
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { data } = await this.call(uri, (client, ref) => client.getSegment(ref.datasetId, ref.documentId, ref.segmentId));
    return { type: vscode.FileType.File, ctime: data.created_at * 1000, mtime: segmentMtime(data), size: Buffer.byteLength(data.content) };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const segment = await this.call(uri, (client, ref) => reloadSegment(this.model, client, ref));
    return Buffer.from(segment.content, 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const text = Buffer.from(content).toString('utf8');
    const saved = await this.call(uri, (client, ref) => saveSegment(this.model, client, ref, text), false);
    if (saved === 'empty') throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('A segment cannot be empty. Delete it from the Knowledge view instead.'));
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  /**
   * Runs `request` with the client of the URI's knowledge key. Dify's "gone" is a missing file when reading (the tab
   * shows it deleted); a failed save says it in words, like anything else.
   */
  private async call<T>(uri: vscode.Uri, request: (client: KnowledgeClient, ref: SegmentRef) => Promise<T>, goneIsMissing = true): Promise<T> {
    const ref = segmentRefOf(uri.query);
    if (!ref) throw vscode.FileSystemError.FileNotFound(uri);
    const profile = this.profiles().find((p) => p.id === ref.profileId);
    if (!profile) throw vscode.FileSystemError.Unavailable(vscode.l10n.t('The knowledge key this segment was opened with has been removed. Add it again to edit the segment.'));
    try {
      return await request(await this.connections.knowledgeClient(profile), ref);
    } catch (error) {
      const failure = knowledgeFailure(error);
      if (goneIsMissing && (failure === 'segment_gone' || failure === 'document_gone' || failure === 'dataset_gone')) throw vscode.FileSystemError.FileNotFound(uri);
      throw vscode.FileSystemError.Unavailable(knowledgeMessage(error, failure));
    }
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
