// Segments open as files of a `dify-segment:` file system: the editor shows the segment's text, and saving it (Ctrl+S)
// sends it to Dify; a refusal shows as a failed save, so the edit is never lost.
import * as vscode from 'vscode';
import { reloadSegment, saveSegment } from '../../core/knowledge-edits.js';
import type { KnowledgeTreeModel, SegmentNode } from '../../core/knowledge-tree-model.js';
import { knowledgeMessage } from './messages.js';
import type { DifyConnections } from '../apps/connections.js';

const SEGMENT_SCHEME = 'dify-segment';

interface Entry {
  node: SegmentNode;
  mtime: number;
  size: number;
}

export class SegmentFiles implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly model: KnowledgeTreeModel,
    private readonly connections: DifyConnections,
  ) {
    this.registration = vscode.workspace.registerFileSystemProvider(SEGMENT_SCHEME, this, { isCaseSensitive: true });
  }

  /** Opens the segment in an editor, with the text Dify has now. */
  async open(node: SegmentNode): Promise<vscode.TextEditor> {
    const document = node.parent.document;
    const name = `${document.name.replace(/[\\/]/g, '_')} #${node.segment.position}.md`;
    const uri = vscode.Uri.from({ scheme: SEGMENT_SCHEME, path: `/${node.parent.parent.key.profile.id}/${node.segment.id}/${name}` });
    this.entries.set(uri.toString(), { node, mtime: Date.now(), size: Buffer.byteLength(node.segment.content) });
    const opened = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(opened, { preview: true });
  }

  private entry(uri: vscode.Uri): Entry {
    const entry = this.entries.get(uri.toString());
    if (!entry) throw vscode.FileSystemError.FileNotFound(uri);
    return entry;
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const { mtime, size } = this.entry(uri);
    return { type: vscode.FileType.File, ctime: mtime, mtime, size };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const entry = this.entry(uri);
    try {
      const client = await this.connections.knowledgeClient(entry.node.parent.parent.key.profile);
      entry.node = await reloadSegment(this.model, client, entry.node);
      const text = entry.node.segment.content;
      entry.size = Buffer.byteLength(text);
      return Buffer.from(text, 'utf8');
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(knowledgeMessage(error));
    }
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const entry = this.entry(uri);
    const text = Buffer.from(content).toString('utf8');
    let saved: SegmentNode | 'empty';
    try {
      const client = await this.connections.knowledgeClient(entry.node.parent.parent.key.profile);
      saved = await saveSegment(this.model, client, entry.node, text);
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(knowledgeMessage(error));
    }
    if (saved === 'empty') throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('A segment cannot be empty. Delete it from the Knowledge view instead.'));
    entry.node = saved;
    entry.mtime = Date.now();
    entry.size = content.byteLength;
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
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
