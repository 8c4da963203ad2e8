// The whole chat view: header (app picker, New chat), the scrolling conversation (app error, welcome, opening
// statement, input form, turns) and the composer. It applies the host's messages and nothing else: the host owns
// the truth, and a `state` rebuilds everything from it.
import type { AppView, ChatState, ChatTurn, DraftView, HostMessage, Reply } from '../protocol.js';
import { Composer } from './composer.js';
import type { ViewContext } from './context.js';
import { el, icon, iconButton, setLabel, textButton } from './dom.js';
import { InputForm } from './input-form.js';
import { fillOpeningStatement } from '../core/input-form.js';
import { StreamingMarkdown } from './markdown/index.js';
import { format } from './strings.js';
import { TurnList } from './turn-list.js';
import { errorBox } from './error-box.js';

export class ChatView {
  private readonly header: HTMLElement;
  private readonly appButton: HTMLButtonElement;
  private readonly newChatButton: HTMLButtonElement;
  private readonly historyButton: HTMLButtonElement;
  private readonly conversationButton: HTMLButtonElement;
  private readonly progress: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly intro: HTMLElement;
  private readonly form: InputForm;
  private readonly list: TurnList;
  private readonly composer: Composer;
  private state: ChatState | undefined;
  private introStatement: { element: HTMLElement; markdown: StreamingMarkdown } | undefined;
  private introSignature = '';
  private conversationKey: string | undefined;
  private olderRequested = false;
  private restored = false;
  private dragDepth = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly ctx: ViewContext,
  ) {
    const { strings } = ctx;
    this.header = el('header', 'chat-header');
    this.appButton = el('button', 'app-picker');
    this.appButton.type = 'button';
    this.appButton.addEventListener('click', () => ctx.post({ type: 'chooseApp' }));
    this.newChatButton = el('button', 'icon-button new-chat');
    this.newChatButton.type = 'button';
    this.newChatButton.append(icon('add'));
    setLabel(this.newChatButton, strings.newChat);
    this.newChatButton.addEventListener('click', () => ctx.post({ type: 'newChat' }));
    this.historyButton = iconButton('history', strings.history, 'icon-button history', () => ctx.post({ type: 'history' }));
    // The conversation's name, under the app: click to rename it (in Dify).
    this.conversationButton = el('button', 'conversation-name');
    this.conversationButton.type = 'button';
    this.conversationButton.addEventListener('click', () => ctx.post({ type: 'renameConversation' }));
    this.header.append(this.appButton, this.historyButton, this.newChatButton, this.conversationButton);
    this.progress = el('div', 'progress');
    this.progress.setAttribute('role', 'progressbar');
    this.progress.setAttribute('aria-label', strings.loadingApp);
    this.progress.hidden = true;

    this.scroller = el('main', 'chat-scroll');
    this.notice = el('div', 'chat-notice');
    this.intro = el('div', 'intro');
    this.form = new InputForm(ctx, () => this.renderIntro());
    this.list = new TurnList(this.scroller, ctx, { ask: (question) => void this.ask(question), edit: (question) => this.composer.edit(question) }, {
      nearTop: () => void this.loadOlder(),
      scrolled: (position) => {
        if (this.conversationKey !== undefined && this.restored) ctx.viewState.scroll = { key: this.conversationKey, ...position };
      },
    });
    this.scroller.append(this.notice, this.intro, this.form.element, this.list.element);
    this.composer = new Composer(ctx, { send: (text) => this.send(text), questions: () => this.list.questions() });
    root.append(this.header, this.progress, this.scroller, this.composer.element);
    this.listenForDrops();
    this.renderHeader();
  }

  handle(message: HostMessage): void {
    switch (message.type) {
      case 'state':
        return this.applyState(message.state);
      case 'turn':
        return this.applyTurn(message.turn);
      case 'delta':
        return this.list.delta(message.turnId, message.text, message.part);
      case 'node':
        return this.list.node(message.turnId, message.node);
      case 'draft':
        if (this.state) this.state.draft = message.draft;
        return this.composer.setDraft(message.draft, { focus: message.focus, replace: message.setText });
      case 'inputErrors':
        return this.form.showErrors(message.errors);
      case 'reply':
        return; // main.ts hands replies to the request that waits for them
    }
  }

  /** The origin of the shown app's Dify server (images from it may carry its signed query). */
  get difyOrigin(): string | undefined {
    const origin = this.state?.app?.origin;
    return typeof origin === 'string' && /^https?:\/\/[^/]+$/.test(origin) ? origin : undefined;
  }

  /** Before the page goes away: the view state to VS Code (the typed text and the form are with the host already). */
  flush(): void {
    if (this.conversationKey !== undefined && this.restored) this.ctx.viewState.scroll = { key: this.conversationKey, ...this.list.position() };
    this.ctx.viewState.flush();
  }

  private applyState(raw: ChatState): void {
    const state = normaliseState(raw);
    const previous = this.state;
    this.state = state;
    const appChanged = previous?.app?.id !== state.app?.id;
    const key = `${state.app?.id ?? ''}\u0000${state.conversationId ?? ''}`;
    this.renderHeader();
    this.renderNotice();
    this.form.render(state);
    this.composer.setApp(state.app);
    // No app to talk to (none added, or it failed to load): no input to type into.
    this.composer.element.hidden = !state.app;
    this.composer.setDraft(state.draft, { replace: !previous || appChanged });
    if (key !== this.conversationKey || !previous) {
      // A fresh page finds its place again; another conversation starts at its end.
      const saved = this.ctx.viewState.scroll;
      const position = !this.restored && saved?.key === key ? saved : undefined;
      this.conversationKey = key;
      this.list.reset(state.turns, position);
      this.restored = true;
    } else {
      this.list.replace(state.turns);
    }
    this.renderIntro();
    this.composer.setStreaming(this.list.last?.status === 'streaming');
  }

  private applyTurn(turn: ChatTurn): void {
    if (!this.state) return;
    const isNew = !this.list.has(turn.id);
    this.list.upsert(turn);
    if (isNew) {
      this.list.stick();
      this.renderIntro();
    }
    this.composer.setStreaming(this.list.last?.status === 'streaming');
  }

  /** Sends after the form's checks, with the form's values as shown; a suggested question goes the same way. */
  private async send(text: string): Promise<Reply | undefined> {
    const state = this.state;
    if (!state?.app) return undefined;
    if (!state.inputsLocked && this.form.hasFields && !this.form.validate()) return undefined;
    return this.ctx.request({ type: 'send', text, inputs: state.inputsLocked ? {} : this.form.valuesToSend() });
  }

  private async ask(question: string): Promise<void> {
    if (this.list.last?.status === 'streaming') return;
    const reply = await this.send(question);
    if (reply && !reply.ok && reply.message) this.composer.showProblems([reply.message]);
  }

  private async loadOlder(): Promise<void> {
    if (!this.state?.hasOlder || this.olderRequested) return;
    this.olderRequested = true;
    this.list.showLoadingOlder(true);
    const reply = await this.ctx.request({ type: 'loadOlder' });
    this.olderRequested = false;
    if (!reply.ok) {
      this.list.showLoadingOlder(false);
      if (reply.message) this.composer.showProblems([reply.message]);
    }
  }

  private renderHeader(): void {
    const { strings } = this.ctx;
    const state = this.state;
    const app = state?.app;
    const button = this.appButton;
    button.replaceChildren();
    if (app) {
      const mode = modeLabel(app.mode, strings);
      button.append(el('span', 'app-name', app.name), el('span', 'app-mode', mode), icon('chevron-down'));
      setLabel(button, format(strings.appPicker, app.name, mode));
    } else {
      button.append(el('span', 'app-name', strings.chooseApp), icon('chevron-down'));
      setLabel(button, strings.chooseApp);
    }
    this.header.hidden = !state || state.apps.length === 0;
    this.newChatButton.disabled = !app;
    this.historyButton.disabled = !app;
    const name = app && typeof state?.conversationName === 'string' ? state.conversationName : '';
    this.conversationButton.hidden = !name;
    this.conversationButton.replaceChildren(el('span', 'conversation-title', name), icon('edit'));
    setLabel(this.conversationButton, format(strings.renameConversation, name));
    this.progress.hidden = !state?.loadingApp;
    this.root.setAttribute('aria-busy', String(!!state?.loadingApp));
  }

  /** What stands instead of a conversation: the welcome, an app that failed to load, no app chosen. */
  private renderNotice(): void {
    const { strings } = this.ctx;
    const state = this.state!;
    const parts: HTMLElement[] = [];
    if (state.apps.length === 0 && !state.loadingApp) {
      const welcome = el('div', 'welcome');
      welcome.append(icon('comment-discussion', 'welcome-icon'), el('h2', 'welcome-title', strings.welcomeTitle), el('p', '', strings.welcomeText));
      welcome.append(textButton(strings.addApp, 'button primary', () => this.ctx.post({ type: 'action', action: 'addApp' }), 'add'));
      parts.push(welcome);
    }
    if (state.appError) parts.push(errorBox(state.appError, this.ctx));
    else if (!state.app && !state.loadingApp && state.apps.length > 0) parts.push(el('p', 'chat-hint', strings.noAppChosen));
    this.notice.replaceChildren(...parts);
  }

  /** The opening statement and suggested questions, shown until the conversation has its first turn. */
  /**
   * Above the conversation, as Dify's web app has it: the opening statement, its `{{variables}}` filled from the form
   * (as typed, or as the conversation started), first in the conversation also once it goes on; the suggested
   * questions to start with, until the first question.
   */
  private renderIntro(): void {
    const app: AppView | undefined = this.state?.app;
    const atStart = !!app && !this.state?.hasOlder;
    const raw = atStart && typeof app.openingStatement === 'string' ? app.openingStatement.trim() : '';
    const statement = raw ? fillOpeningStatement(raw, Array.isArray(app!.inputForm) ? app!.inputForm : [], this.form.shown) : '';
    const questions = atStart && this.list.count === 0 ? (Array.isArray(app.suggestedQuestions) ? app.suggestedQuestions : []).filter((q) => typeof q === 'string' && q.trim()) : [];
    const signature = JSON.stringify([app?.id, statement, questions]);
    if (signature === this.introSignature) return;
    this.introSignature = signature;
    if (statement) {
      if (!this.introStatement) {
        const element = el('div', 'opening-statement');
        this.introStatement = { element, markdown: new StreamingMarkdown(element, this.ctx.markdownHooks, this.ctx.strings) };
      }
      this.introStatement.markdown.set(statement);
    } else {
      this.introStatement?.markdown.dispose();
      this.introStatement = undefined;
    }
    const parts: HTMLElement[] = [];
    if (this.introStatement) parts.push(this.introStatement.element);
    if (questions.length) {
      const group = el('div', 'chips suggestions intro-suggestions');
      group.setAttribute('role', 'group');
      group.setAttribute('aria-label', this.ctx.strings.suggestedQuestions);
      for (const question of questions) group.append(textButton(question, 'chip chip-button suggestion', () => void this.ask(question), 'sparkle'));
      parts.push(group);
    }
    this.intro.replaceChildren(...parts);
  }

  /** Files dragged onto the view are attached like pasted ones. */
  private listenForDrops(): void {
    const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
    const overlay = el('div', 'drop-overlay');
    overlay.append(icon('attach'), el('span', '', this.ctx.strings.dropFiles));
    overlay.hidden = true;
    this.root.append(overlay);
    const hide = () => {
      this.dragDepth = 0;
      overlay.hidden = true;
    };
    document.addEventListener('dragenter', (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      this.dragDepth++;
      overlay.hidden = !this.state?.app?.fileUpload.enabled;
    });
    document.addEventListener('dragleave', () => {
      if (--this.dragDepth <= 0) hide();
    });
    document.addEventListener('dragover', (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    });
    document.addEventListener('drop', (event) => {
      hide();
      if (!hasFiles(event)) return;
      event.preventDefault();
      void this.composer.addFiles(Array.from(event.dataTransfer?.files ?? []));
    });
  }
}

function modeLabel(mode: string, strings: ViewContext['strings']): string {
  switch (mode) {
    case 'agent-chat':
    case 'agent':
      return strings.modeAgent;
    case 'advanced-chat':
      return strings.modeChatflow;
    case 'chat':
      return strings.modeChat;
    default:
      return mode;
  }
}

/** The parser checked the envelope; a state missing parts still renders (as empty) instead of throwing. */
function normaliseState(state: ChatState): ChatState {
  const draft: DraftView = { text: typeof state.draft.text === 'string' ? state.draft.text : '', attachments: Array.isArray(state.draft.attachments) ? state.draft.attachments : [] };
  const app = state.app && typeof state.app === 'object' && typeof state.app.id === 'string' ? normaliseApp(state.app) : undefined;
  return {
    ...state,
    apps: state.apps.filter((a) => typeof a === 'object' && a !== null && typeof a.id === 'string'),
    app,
    appError: state.appError && typeof state.appError === 'object' ? state.appError : undefined,
    loadingApp: state.loadingApp === true,
    draft,
    inputs: typeof state.inputs === 'object' && state.inputs !== null ? state.inputs : {},
    inputFiles: typeof state.inputFiles === 'object' && state.inputFiles !== null ? state.inputFiles : {},
    inputsLocked: state.inputsLocked === true,
    hasOlder: state.hasOlder === true,
  };
}

function normaliseApp(app: AppView): AppView {
  const upload = app.fileUpload && typeof app.fileUpload === 'object' ? app.fileUpload : undefined;
  return {
    ...app,
    name: typeof app.name === 'string' ? app.name : '',
    mode: typeof app.mode === 'string' ? app.mode : '',
    openingStatement: typeof app.openingStatement === 'string' ? app.openingStatement : '',
    suggestedQuestions: Array.isArray(app.suggestedQuestions) ? app.suggestedQuestions : [],
    inputForm: Array.isArray(app.inputForm) ? app.inputForm : [],
    fileUpload: {
      enabled: upload?.enabled === true,
      allowedFileTypes: Array.isArray(upload?.allowedFileTypes) ? upload.allowedFileTypes : [],
      allowedExtensions: Array.isArray(upload?.allowedExtensions) ? upload.allowedExtensions : [],
      maxFiles: typeof upload?.maxFiles === 'number' ? upload.maxFiles : 0,
      sizeLimits: upload?.sizeLimits && typeof upload.sizeLimits === 'object' ? upload.sizeLimits : ({} as AppView['fileUpload']['sizeLimits']),
      localUpload: upload?.localUpload !== false,
      remoteUrl: upload?.remoteUrl === true,
    },
  };
}
