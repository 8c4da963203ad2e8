// The new editor a run's text streams into. The run writes only its own span of the document (core/workflow-target's
// streamChange), so what the user types there meanwhile stays; if the user closes the editor before the end, the
// output is not lost: it is offered again ("Open Output") once the run ends.
import * as vscode from 'vscode';
import { newEditorContent } from '../../core/workflow-output.js';
import { streamChange, streamedEvent, type TextChange, type TrackedRange } from '../../core/workflow-target.js';

/** How long a write waits for the document event of its own change (it comes at once; a closed document sends none). */
const OWN_EVENT_WAIT_MS = 2_000;

export class StreamingEditor implements vscode.Disposable {
  private document: vscode.TextDocument | undefined;
  private span: TrackedRange = { start: 0, end: 0, touched: false };
  private written = '';
  private pending = '';
  /**
   * The run's own change, applied and waiting for its document event: that event moves the span's end instead of being
   * the user's. The reply to applyEdit may come before the event (code-server under load): the next write waits for it.
   */
  private applying: { change: TextChange; seen: () => void } | undefined;
  private closed = false;
  private queue: Promise<void> = Promise.resolve();
  private opening: Promise<vscode.TextDocument> | undefined;
  private subscriptions: vscode.Disposable[] = [];

  constructor(private readonly appLabel: string) {}

  /** Writes `text` (the whole streamed text so far); edits are queued so they never overlap. */
  update(text: string): void {
    this.pending = text;
    this.queue = this.queue.then(() => this.flush()).catch(() => undefined);
  }

  /**
   * The final content, in its language; opens the editor if nothing was streamed. 'offered' when the user closed
   * the editor during the run: the output is offered in a notification instead.
   */
  async finish(text: string, sourceLanguage: string | undefined): Promise<'opened' | 'offered'> {
    await this.queue;
    const { content, language } = newEditorContent(text, sourceLanguage);
    if (this.closed) {
      this.offer(content, language);
      return 'offered';
    }
    const document = await this.open();
    await this.write(document, content);
    this.dispose();
    if (document.languageId !== language) {
      try {
        await vscode.languages.setTextDocumentLanguage(document, language);
      } catch {
        // A language VS Code does not know: keep Markdown.
      }
    }
    return 'opened';
  }

  /** The run failed or was cancelled after text was streamed: say so at the end of what is there. */
  async interrupt(note: string): Promise<void> {
    await this.queue;
    const ending = `\n\n> ${note}\n`;
    if (this.closed) {
      if (this.pending) this.offer(this.pending + ending, 'markdown');
    } else if (this.document) {
      await this.write(this.document, this.written + ending);
    }
    this.dispose();
  }

  private async flush(): Promise<void> {
    if (this.closed) return;
    const text = this.pending;
    if (text === this.written) return;
    await this.write(await this.open(), text);
  }

  private async write(document: vscode.TextDocument, text: string): Promise<void> {
    // VS Code refuses an edit made against an older version of the document: when the user typed meanwhile, the
    // change is worked out again against what is there now.
    for (let attempt = 0; attempt < 5; attempt++) {
      const change = streamChange(this.span, this.written, text);
      if (!change || this.closed) return;
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(document.positionAt(change.offset), document.positionAt(change.offset + change.length)), change.text);
      let seen = (): void => undefined;
      const event = new Promise<void>((resolve) => (seen = resolve));
      this.applying = { change, seen };
      if (await vscode.workspace.applyEdit(edit)) {
        // Its event moves the span; it follows at once, unless the document closed meanwhile.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([event, new Promise((resolve) => (timer = setTimeout(resolve, OWN_EVENT_WAIT_MS)))]);
        clearTimeout(timer);
        this.applying = undefined;
        this.written = text;
        return;
      }
      this.applying = undefined;
    }
  }

  private open(): Promise<vscode.TextDocument> {
    this.opening ??= (async () => {
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '' });
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false, preview: false });
      this.document = document;
      // Once it is shown: from then on, no tab showing it means the user closed it.
      this.subscriptions = [
        vscode.workspace.onDidChangeTextDocument((e) => {
          if (e.document === document && e.contentChanges.length) this.track(e.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text })));
        }),
        vscode.window.tabGroups.onDidChangeTabs((e) => {
          if (e.closed.length && !isShown(document)) this.closed = true;
        }),
        vscode.workspace.onDidCloseTextDocument((closed) => {
          if (closed === document) this.closed = true;
        }),
      ];
      return document;
    })();
    return this.opening;
  }

  /** The span after a document event: the run's own change (the one applied last) and the user's edits. */
  private track(changes: TextChange[]): void {
    const mine = this.applying;
    const { span, seen } = streamedEvent(this.span, changes, mine?.change);
    this.span = span;
    if (seen) {
      this.applying = undefined;
      mine?.seen();
    }
  }

  /** The output, for an editor the user closed: "Open Output" opens it in a new one. */
  private offer(content: string, language: string): void {
    const openOutput = vscode.l10n.t('Open Output');
    const message = vscode.l10n.t('The editor showing the output of "{0}" was closed before the run ended.', this.appLabel);
    void vscode.window.showInformationMessage(message, openOutput).then(async (answer) => {
      if (answer !== openOutput) return;
      const document = await vscode.workspace.openTextDocument({ language, content });
      await vscode.window.showTextDocument(document, { preview: false });
    });
  }

  /** Stops following the editor (the run is over). */
  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions = [];
  }
}

/** Some tab still shows the document. */
const isShown = (document: vscode.TextDocument): boolean =>
  vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === document.uri.toString()));
