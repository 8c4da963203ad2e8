// Read-only documents made by the extension (conversation variables, run details): shown in a normal editor tab
// with highlighting, never saved anywhere.
import * as vscode from 'vscode';

export const READ_ONLY_SCHEME = 'dify-readonly';

export class ReadOnlyDocs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(READ_ONLY_SCHEME, this);

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

  private put(name: string, content: string, key: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: READ_ONLY_SCHEME, path: `/${name.replace(/[\\/]/g, '_')}`, query: key });
    this.contents.set(uri.toString(), content);
    this.changed.fire(uri);
    return uri;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
