// What a run is on: the editor's selection (the whole file when nothing is selected) or a file from the Explorer,
// read as the editor context the inputs are filled from. Binary files are recognised before anything is sent.
import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { EditorContext } from '../../core/workflow-inputs.js';
import { fileName } from '../editor/file-name.js';
import { fullRange, selectionOrFile } from '../editor/selection.js';

export interface RunSource {
  /** The text document the result can go back into; none for a binary file. */
  document: vscode.TextDocument | undefined;
  /** The selection, or the whole document. */
  range: vscode.Range | undefined;
  context: EditorContext;
  /** The file on disk, for file inputs (uploaded). */
  fileUri: vscode.Uri | undefined;
  binary: boolean;
  /** The file's name, for messages. */
  name: string;
  /** The file's path relative to the workspace, for the run's record. */
  path: string;
}

export function sourceFromEditor(editor: vscode.TextEditor): RunSource {
  return sourceFromRange(editor.document, selectionOrFile(editor).range);
}

/** A range of a text document (a #selection in VS Code's Chat): the result can go back into it. */
export function sourceFromRange(document: vscode.TextDocument, range: vscode.Range): RunSource {
  return {
    document,
    range,
    context: editorContext(document, document.getText(range)),
    fileUri: document.uri.scheme === 'file' ? document.uri : undefined,
    binary: false,
    name: fileName(document.uri),
    path: relativePath(document.uri),
  };
}

/** A file from the Explorer: a text file is opened (not shown) so the result can go back into it. */
export async function sourceFromFile(uri: vscode.Uri): Promise<RunSource> {
  if (await isBinary(uri)) {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return {
      document: undefined,
      range: undefined,
      context: { selection: '', fileName: fileName(uri), filePath: relativePath(uri), languageId: '', fileText: '', workspaceFolder: folder?.name ?? '' },
      fileUri: uri,
      binary: true,
      name: fileName(uri),
      path: relativePath(uri),
    };
  }
  const document = await vscode.workspace.openTextDocument(uri);
  return sourceFromRange(document, fullRange(document));
}

function editorContext(document: vscode.TextDocument, selection: string): EditorContext {
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  return {
    selection,
    fileName: fileName(document.uri),
    filePath: relativePath(document.uri),
    languageId: document.languageId,
    fileText: document.getText(),
    workspaceFolder: folder?.name ?? '',
  };
}

const relativePath = (uri: vscode.Uri): string => vscode.workspace.asRelativePath(uri, false);

/** A NUL byte in the first 8 KB, as git and VS Code decide it. */
async function isBinary(uri: vscode.Uri): Promise<boolean> {
  let head: Uint8Array;
  if (uri.scheme === 'file') {
    const handle = await open(uri.fsPath, 'r');
    try {
      const buffer = Buffer.alloc(8192);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } else {
    head = (await vscode.workspace.fs.readFile(uri)).subarray(0, 8192);
  }
  return head.includes(0);
}
