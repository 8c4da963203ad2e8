// How a document or file is named in messages and titles.
import type * as vscode from 'vscode';

/** The last segment of the URI's path ("notes.md", "Untitled-1"); the whole URI when the path has none. */
export function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString();
}
