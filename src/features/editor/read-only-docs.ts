// Read-only documents made by the extension (conversation variables, run details): shown in a normal editor tab
// with highlighting, never saved anywhere. Their text is kept only while it may be shown (platform/document-contents.ts).
import * as vscode from 'vscode';
import { DocumentContents } from '../../platform/document-contents.js';

export const READ_ONLY_SCHEME = 'dify-readonly';

export class ReadOnlyDocs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new DocumentContents(shownInTab);
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions = [
    vscode.workspace.registerTextDocumentContentProvider(READ_ONLY_SCHEME, this),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.uri.scheme === READ_ONLY_SCHEME) this.contents.closed(document.uri.toString());
    }),
  ];

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Opens (or refreshes) the document `name` (its extension picks the language) with `content`. */
  async show(name: string, content: string, key = name): Promise<vscode.TextEditor> {
    const uri = this.put(name, content, key);
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: true });
  }

  /**
   * Opens (or refreshes) the Markdown document `name` rendered: VS Code's Markdown preview as the editor (the built-in
   * extension's "Open With… Markdown Preview"), which keeps showing this document whatever editor becomes active.
   */
  async preview(name: string, content: string, key = name): Promise<void> {
    await vscode.commands.executeCommand('vscode.openWith', this.put(name, content, key), 'vscode.markdown.preview.editor', { preview: true });
  }

  /** The URI of the document `name` holding `content` (e.g. the left side of a diff), without opening it. */
  put(name: string, content: string, key = name): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: READ_ONLY_SCHEME, path: `/${name.replace(/[\\/]/g, '_')}`, query: key });
    this.contents.set(uri.toString(), content);
    this.changed.fire(uri);
    return uri;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}

function shownInTab(uri: string): boolean {
  return vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri));
}
