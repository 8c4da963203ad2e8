// What a command "on the selection" acts on: the selection, or the whole document when nothing is selected.
import * as vscode from 'vscode';

export function fullRange(document: vscode.TextDocument): vscode.Range {
  return new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
}

/** The selected range (`whole` false), or the whole document when the selection is empty (`whole` true). */
export function selectionOrFile(editor: vscode.TextEditor): { range: vscode.Range; whole: boolean } {
  const { document, selection } = editor;
  return selection.isEmpty ? { range: fullRange(document), whole: true } : { range: new vscode.Range(selection.start, selection.end), whole: false };
}
