// A DSL file's problems in the Problems panel and under the text: a YAML syntax error at its line (nothing is sent),
// the shape Dify would refuse (src/core/dsl-shape.ts) at its key, and a failed import's error at the line Dify's
// parser names. They go when the file is edited: the next push checks again.
import { load, YAMLException } from 'js-yaml';
import * as vscode from 'vscode';
import { keyLine, yamlErrorPosition, type TextPosition } from '../../core/dsl-file.js';
import { checkDslShape, isDslError, type DslProblem } from '../../core/dsl-shape.js';

export interface CheckedDsl {
  warnings: DslProblem[];
  /** `app.name` and `app.mode` of the file. */
  name: string | undefined;
  mode: string;
}

export class DslProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('dify-dsl');
  private readonly subscription = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.contentChanges.length) this.collection.delete(e.document.uri);
  });

  /**
   * Parses and checks the file; its problems replace those shown. Gives the app's name and mode as the file says them
   * and the warnings (which do not stop a push), or undefined when something would make Dify refuse it.
   */
  check(document: vscode.TextDocument): CheckedDsl | undefined {
    const text = document.getText();
    let dsl: unknown;
    try {
      dsl = load(text);
    } catch (e) {
      if (!(e instanceof YAMLException)) throw e;
      const at = e.mark ?? { line: 0, column: 0 };
      this.collection.set(document.uri, [diagnostic(document, at, vscode.l10n.t('YAML syntax error: {0}', e.reason), vscode.DiagnosticSeverity.Error)]);
      return undefined;
    }
    const problems = checkDslShape(dsl);
    this.collection.set(
      document.uri,
      problems.map((p) =>
        diagnostic(document, { line: keyLine(text, p.path), column: 0 }, problemText(p), isDslError(p) ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning),
      ),
    );
    if (problems.some(isDslError)) return undefined;
    const app = (dsl as { app: Record<string, unknown> }).app;
    return { warnings: problems, name: typeof app.name === 'string' ? app.name : undefined, mode: String(app.mode) };
  }

  /** Dify's error of a failed import, at the line it names; whether it named one. */
  importFailed(document: vscode.TextDocument, error: string): boolean {
    const at = yamlErrorPosition(error);
    if (!at) return false;
    this.collection.set(document.uri, [diagnostic(document, at, vscode.l10n.t('Dify: {0}', error), vscode.DiagnosticSeverity.Error)]);
    return true;
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}

function diagnostic(document: vscode.TextDocument, at: TextPosition, message: string, severity: vscode.DiagnosticSeverity): vscode.Diagnostic {
  const line = document.lineAt(Math.min(at.line, document.lineCount - 1));
  const start = Math.min(Math.max(at.column, line.firstNonWhitespaceCharacterIndex), line.text.length);
  const range = new vscode.Range(line.lineNumber, start, line.lineNumber, Math.max(line.text.length, start));
  const d = new vscode.Diagnostic(range, message, severity);
  d.source = 'Dify DSL';
  return d;
}

/** What a shape problem means, in the user's words. */
export function problemText(problem: DslProblem): string {
  const key = problem.path.join('.');
  switch (problem.kind) {
    case 'not-mapping':
      return key ? vscode.l10n.t('"{0}" must be a mapping (key: value lines).', key) : vscode.l10n.t('A Dify DSL is a mapping with app, kind, version and workflow or model_config.');
    case 'not-list':
      return vscode.l10n.t('"{0}" must be a list.', key);
    case 'missing':
      return vscode.l10n.t('"{0}" is missing: Dify cannot import the app without it.', key);
    case 'version-not-string':
      return vscode.l10n.t('version: {0} is a number in YAML, and Dify refuses it ("Invalid version type"). Write it as a string: version: \'0.6.0\'.', problem.value);
    case 'unknown-mode':
      return vscode.l10n.t('"{0}" is not an app mode Dify imports: use workflow, advanced-chat, chat, agent-chat or completion.', problem.value);
    case 'empty-secret':
      return vscode.l10n.t('The secret "{0}" has no value here (exported without secrets): pushing sets it empty in Dify.', problem.value);
  }
}
