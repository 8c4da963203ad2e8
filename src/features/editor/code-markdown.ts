// Code as the chat sends it to Dify: a fenced block under its file name and lines (the sidebar's "Send Selection to
// Chat" and @dify's #file / #selection references write the same thing).
import * as vscode from 'vscode';

/** The range of `document` (the whole document without one) as a fenced block under its file name and lines. */
export function codeAsMarkdown(document: vscode.TextDocument, range?: vscode.Range): string {
  const code = document.getText(range).replace(/\s+$/, '');
  const name = vscode.workspace.asRelativePath(document.uri, false);
  const where = range
    ? range.start.line === range.end.line
      ? vscode.l10n.t('{0}, line {1}', name, range.start.line + 1)
      : vscode.l10n.t('{0}, lines {1}–{2}', name, range.start.line + 1, range.end.line + 1)
    : name;
  // A fence longer than any backtick run inside the code, so the block cannot end early.
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `\`${where}\`\n${fence}${document.languageId}\n${code}\n${fence}\n`;
}
