// The input at the bottom: an auto-growing textarea (Enter sends, Shift+Enter or an IME composition does not),
// Send that becomes Stop while an answer streams, and the draft's attachments (button, paste, drop). The draft text
// belongs to the host: it gets every change at once (a view collapsed right after typing is gone before a debounce
// would fire), and puts text in itself (ask about selection). A send is a request: the input empties when the host
// started the answer, and keeps its text (with the reason) when it refused.
import type { AppView, DraftView, Reply } from '../protocol.js';
import { attachmentChips, postFiles } from './attachments.js';
import type { ViewContext } from './context.js';
import { el, icon, iconButton, setLabel } from './dom.js';
import { format } from './strings.js';

const MAX_HEIGHT_RATIO = 0.4;

export interface ComposerActions {
  /** Sends the text (after the form checks): the host's decision, or undefined when the view did not send it. */
  send(text: string): Promise<Reply | undefined>;
  /** The conversation's questions, oldest first (ArrowUp / ArrowDown go through them). */
  questions(): string[];
}

export class Composer {
  readonly element: HTMLElement;
  private readonly textarea: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly attachButton: HTMLButtonElement;
  private readonly chips: HTMLElement;
  private readonly problems: HTMLElement;
  private app: AppView | undefined;
  private draft: DraftView = { text: '', attachments: [] };
  private streaming = false;
  /** The text last posted to the host (or put in by it): the same text is not posted again. */
  private postedText = '';
  /** What was sent and not yet answered by the host. */
  private sentText: string | undefined;
  /** Going through earlier questions with ArrowUp: which one shows (from the end), and what was typed before. */
  private recall: { index: number; typed: string } | undefined;

  constructor(
    private readonly ctx: ViewContext,
    private readonly actions: ComposerActions,
  ) {
    const { strings } = ctx;
    this.element = el('footer', 'composer');
    this.chips = el('div', 'composer-chips');
    this.problems = el('div', 'composer-problems');
    this.problems.setAttribute('role', 'alert');
    const box = el('div', 'composer-box');
    this.textarea = el('textarea', 'composer-input');
    this.textarea.rows = 1;
    this.textarea.setAttribute('aria-label', strings.messageLabel);
    // The placeholder fits one line; the keys are in the tooltip and read out with the input.
    this.textarea.title = strings.composerKeys;
    this.textarea.setAttribute('aria-description', strings.composerKeys);
    this.textarea.addEventListener('input', () => this.onInput());
    this.textarea.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.textarea.addEventListener('paste', (event) => this.onPaste(event));
    const buttons = el('div', 'composer-buttons');
    this.attachButton = iconButton('attach', strings.attach, 'icon-button composer-attach', () => this.ctx.post({ type: 'attach' }));
    this.sendButton = iconButton('send', strings.send, 'icon-button composer-send', () => this.onSendButton());
    buttons.append(this.attachButton, this.sendButton);
    box.append(this.textarea, buttons);
    this.element.append(this.problems, this.chips, box);
    this.refresh();
  }

  get text(): string {
    return this.textarea.value;
  }

  setApp(app: AppView | undefined): void {
    this.app = app;
    this.textarea.placeholder = app ? format(this.ctx.strings.placeholder, app.name) : '';
    this.textarea.disabled = !app;
    this.refresh();
  }

  /**
   * The host's draft: its attachments always; its text only with `replace` (the host put text in, another app, a
   * fresh page). Otherwise what is typed stays: the host has it already, or it is on its way there.
   */
  setDraft(draft: DraftView, options: { focus?: boolean; replace?: boolean } = {}): void {
    this.draft = { text: typeof draft.text === 'string' ? draft.text : '', attachments: Array.isArray(draft.attachments) ? draft.attachments : [] };
    if (options.replace) {
      this.postedText = this.draft.text;
      if (this.textarea.value !== this.draft.text) {
        this.textarea.value = this.draft.text;
        this.autoGrow();
      }
    }
    this.chips.replaceChildren(...(this.draft.attachments.length ? [attachmentChips(this.draft.attachments, this.ctx.strings, this.ctx.post)] : []));
    this.refresh();
    if (options.focus) this.focus();
  }

  setStreaming(streaming: boolean): void {
    this.streaming = streaming;
    this.refresh();
  }

  /**
   * A question to change and send: into the input when it is empty (what is typed is never replaced), with the
   * note that it goes at the end of the conversation (Dify keeps a conversation in one line).
   */
  edit(question: string): void {
    if (this.textarea.value.trim() !== '' && this.textarea.value !== question) return this.showProblems([this.strings.editInputBusy]);
    this.textarea.value = question;
    this.onInput();
    this.focus();
    this.showProblems([this.strings.editLinear]);
  }

  focus(): void {
    this.textarea.focus();
    const end = this.textarea.value.length;
    this.textarea.setSelectionRange(end, end);
  }

  /** Files pasted or dropped: checked, refused ones explained, the others posted as bytes. */
  async addFiles(files: File[]): Promise<void> {
    if (files.length === 0) return;
    const app = this.app;
    if (!app) return;
    const { refused, hostRefused } = await postFiles(files, app.fileUpload, this.draft.attachments.length, this.ctx.strings, this.ctx.request);
    this.showProblems(refused);
    const more = await hostRefused;
    if (more.length) this.showProblems([...refused, ...more]);
  }

  showProblems(problems: string[]): void {
    if (problems.length === 0) {
      this.problems.replaceChildren();
      return;
    }
    const rows = problems.map((problem) => {
      const row = el('div', 'composer-problem');
      row.append(icon('warning'), el('span', '', problem));
      return row;
    });
    const dismiss = iconButton('close', this.ctx.strings.dismiss, 'icon-button composer-problem-dismiss', () => this.problems.replaceChildren());
    rows[0]!.append(dismiss);
    this.problems.replaceChildren(...rows);
  }

  private get uploading(): boolean {
    return this.draft.attachments.some((a) => a.status === 'uploading');
  }

  private refresh(): void {
    const { strings } = this;
    const upload = this.app?.fileUpload;
    this.attachButton.hidden = !(upload?.enabled && upload.localUpload);
    const button = this.sendButton;
    const iconElement = button.querySelector('.codicon')!;
    if (this.streaming) {
      iconElement.className = 'codicon codicon-stop-circle';
      setLabel(button, strings.stop);
      button.disabled = false;
      button.classList.add('stop');
      return;
    }
    iconElement.className = 'codicon codicon-send';
    button.classList.remove('stop');
    const empty = this.textarea.value.trim() === '';
    button.disabled = !this.app || empty || this.uploading || this.sentText !== undefined;
    // A disabled button still says why, in its tooltip.
    setLabel(button, strings.send);
    if (this.uploading) button.title = strings.sendWaitUploads;
    else if (empty) button.title = strings.sendEmpty;
  }

  private get strings(): ViewContext['strings'] {
    return this.ctx.strings;
  }

  private onSendButton(): void {
    if (this.streaming) this.ctx.post({ type: 'stop' });
    else void this.trySend();
  }

  private async trySend(): Promise<void> {
    const text = this.textarea.value;
    if (!this.app || text.trim() === '' || this.uploading || this.sentText !== undefined) return;
    // Enter while an answer streams: the text stays, and the composer says why it was not sent.
    if (this.streaming) return this.showProblems([this.strings.sendWhileStreaming]);
    this.recall = undefined;
    this.sentText = text;
    this.refresh();
    const reply = await this.actions.send(text);
    this.sentText = undefined;
    if (reply?.ok) {
      // The host's draft is empty now; what was typed after Enter stays (and reaches the host as usual).
      this.postedText = '';
      if (this.textarea.value === text) {
        this.textarea.value = '';
        this.autoGrow();
      } else {
        this.postDraft(); // typed while the host decided: the host's draft was emptied by the send
      }
      this.showProblems([]);
    } else if (reply?.message) {
      this.showProblems([reply.message]);
    }
    this.refresh();
  }

  private onKeyDown(event: KeyboardEvent): void {
    if ((event.key === 'ArrowUp' || event.key === 'ArrowDown') && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
      if (this.recallQuestion(event.key === 'ArrowUp' ? 1 : -1)) event.preventDefault();
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    // An IME (Chinese, Japanese, …) uses Enter to pick its candidate: that Enter is not ours.
    if (event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    void this.trySend();
  }

  /**
   * ArrowUp in an empty input (or on the first line of a question recalled) shows the question before; ArrowDown on
   * the last line the one after, and past the newest what was typed. False: the key moves the caret as usual.
   */
  private recallQuestion(step: 1 | -1): boolean {
    const { textarea } = this;
    const atEdge = step === 1 ? !textarea.value.slice(0, textarea.selectionStart).includes('\n') : !textarea.value.slice(textarea.selectionEnd).includes('\n');
    if (this.recall === undefined ? step === -1 || textarea.value !== '' : !atEdge) return false;
    const questions = this.actions.questions();
    const recall = this.recall ?? { index: 0, typed: textarea.value };
    const index = recall.index + step;
    if (index > questions.length || index < 0) return false;
    this.recall = index === 0 ? undefined : { ...recall, index };
    textarea.value = index === 0 ? recall.typed : questions[questions.length - index]!;
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    this.onInput();
    return true;
  }

  private onInput(): void {
    this.autoGrow();
    this.refresh();
    this.postDraft();
  }

  private onPaste(event: ClipboardEvent): void {
    const files = Array.from(event.clipboardData?.files ?? []);
    if (files.length === 0) return;
    const upload = this.app?.fileUpload;
    // With no file upload, text that came along with a file (a copied file's name) pastes as text.
    if (!upload?.enabled && event.clipboardData?.types.includes('text/plain')) return;
    event.preventDefault();
    void this.addFiles(files);
  }

  private postDraft(): void {
    const text = this.textarea.value;
    if (text === this.postedText) return;
    this.postedText = text;
    this.ctx.post({ type: 'draftText', text });
  }

  private autoGrow(): void {
    const textarea = this.textarea;
    textarea.style.height = 'auto';
    const max = Math.max(80, Math.floor(window.innerHeight * MAX_HEIGHT_RATIO));
    textarea.style.height = `${Math.min(textarea.scrollHeight, max)}px`;
    textarea.style.overflowY = textarea.scrollHeight > max ? 'auto' : 'hidden';
  }
}
