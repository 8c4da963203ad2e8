// Files for the chat: picked in VS Code's dialogs (refusals said in a notification, beside the dialog), pasted or
// dropped on the view (a request whose reply is the refusal, shown in the composer), or a URL Dify fetches itself.
// Each goes into the draft or a form's file field and uploads; its chip shows the progress.
import * as vscode from 'vscode';
import type { AppChat, AttachTarget, FileToAttach } from '../../core/app-chat.js';
import type { FileProblem } from '../../core/file-rules.js';
import { askAttachment, pickFiles } from './attach-prompts.js';
import { fileProblemText } from './chat-messages.js';

export interface AttachHost {
  current(): AppChat | undefined;
  /** The draft's attachments changed. */
  postDraft(): void;
  /** A form field's file changed. */
  postState(): void;
}

export class AttachRequests {
  constructor(private readonly host: AttachHost) {}

  /** Files from this computer, or (when the app allows it) a file on the web that Dify fetches itself. */
  async toDraft(): Promise<void> {
    const choice = await askAttachment(this.host.current()?.view.fileUpload);
    if (choice?.kind === 'url') this.url(choice.url);
    for (const file of choice?.kind === 'files' ? choice.files : []) await this.picked(file, { kind: 'draft' });
  }

  /** A file for a form's file field, from this computer. */
  async toInput(variable: string): Promise<void> {
    for (const file of await pickFiles(false)) await this.picked(file, { kind: 'input', variable });
  }

  /** A file pasted or dropped on the view: resolves with why it was refused, or undefined once it uploads. */
  async data(name: string, data: Uint8Array, mime: string): Promise<string | undefined> {
    const file = { name, size: data.byteLength, source: { blob: new Blob([data as Uint8Array<ArrayBuffer>], { type: mime }), filename: name } };
    const problem = await this.accept(file, { kind: 'draft' });
    return problem && fileProblemText(name, problem);
  }

  private async picked(file: FileToAttach, target: AttachTarget): Promise<void> {
    const problem = await this.accept(file, target);
    if (problem) void vscode.window.showWarningMessage(fileProblemText(file.name, problem));
  }

  /**
   * Starts uploading a file into the draft or a form field. Resolves as soon as the host decided: undefined when the
   * upload started (its progress and outcome show on the file's chip), or why the file was refused.
   */
  private accept(file: FileToAttach, target: AttachTarget): Promise<FileProblem | undefined> {
    const chat = this.host.current();
    if (!chat) return Promise.resolve({ kind: 'disabled' });
    return new Promise((resolve) => {
      const changed = () => {
        resolve(undefined); // accepted: the chip shows uploading (first call), then ready or failed
        if (target.kind === 'draft') this.host.postDraft();
        else this.host.postState();
      };
      void chat.attach(file, target, changed).then(resolve);
    });
  }

  private url(url: string): void {
    const problem = this.host.current()?.attachUrl(url);
    if (problem) void vscode.window.showWarningMessage(fileProblemText(url, problem));
    this.host.postDraft();
  }
}
