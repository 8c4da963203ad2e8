// One conversation with a Dify chat app, owned by the extension host: the turns, the running stream, the draft.
// The chat view renders it and can be rebuilt from it at any time. A failed send keeps its question (and its files)
// on the failed turn, where Retry sends it again; the draft, which may hold text typed since, is never overwritten.
// Every answer has one owner: New Chat, opening another conversation or disposing the session ends the ownership
// (the stream is cancelled and stopped on Dify), and from then on the old loop changes nothing anyone sees.
import { DifyApiError, followChatAnswer, followChatRun, sleep, type AppClient, type ChatStreamEvent, type FollowedStream, type FollowOptions, type Inputs } from '../dify/index.js';
import type { ChatSessionOptions, DescribeError, Draft, SendRequest, SessionChange } from './chat-session-types.js';
import { applyEvent, newTurn, type ChatTurn, type TurnStatus } from './chat-turn.js';
import { absoluteFileUrls, turnFromMessage } from './message-turn.js';

/** After a form's answer, how often and how long apart to look whether Dify has resumed the run. */
const RESUME_POLLS = 10;
const RESUME_POLL_MS = 300;

/** The answer being followed, and how to cancel or stop it. */
interface Running {
  turn: ChatTurn;
  stream?: Pick<FollowedStream<ChatStreamEvent>, 'taskId' | 'stop'>;
  controller: AbortController;
  stopRequested: boolean;
}

export class ChatSession {
  conversationId: string | undefined;
  readonly turns: ChatTurn[] = [];
  draft: Draft = { text: '', attachments: [] };
  /** More, older messages of an opened conversation wait on the server. */
  hasOlder = false;
  /** The inputs an opened conversation was started with (Dify wants them again with every message). */
  conversationInputs: Inputs | undefined;
  private running: Running | undefined;
  /** What was last noted as streaming for each turn (see noteStreaming). */
  private readonly noted = new WeakMap<ChatTurn, { streaming: boolean; workflowRunId: string | undefined }>();
  /** The tokens of the human-input forms shown, by form id: they answer a form without a key, so they stay here. */
  private readonly formTokens = new Map<string, string>();
  /** The questions sent from here, by turn id, with their files: what Retry and Ask Again send again. */
  private readonly sent = new Map<string, SendRequest>();
  private readonly listeners = new Set<(change: SessionChange) => void>();
  private nextId = 1;
  /** Bumped whenever what the session shows is replaced: work started before may no longer change anything. */
  private epoch = 0;
  private olderLoad: Promise<void> | undefined;

  constructor(
    private readonly client: AppClient,
    private readonly describeError: DescribeError,
    private readonly options: ChatSessionOptions = {},
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  onDidChange(listener: (change: SessionChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Sends a question and streams the answer into a new turn. Resolves when the answer is complete, stopped or failed
   * (also when the session moved on meanwhile: the turn is then no longer shown); never rejects: a failure is the
   * turn's `error`, and Retry on that turn sends the question again.
   */
  async send(request: SendRequest): Promise<ChatTurn> {
    if (this.running) throw new Error('A message is already being answered; stop it first.');
    this.draft = { text: '', attachments: [] };
    return this.answer(request);
  }

  /** Whether an answer is being started for a conversation not yet created (its inputs are being sent). */
  get starting(): boolean {
    return this.running !== undefined && this.conversationId === undefined;
  }

  private async answer(request: SendRequest): Promise<ChatTurn> {
    const attachments = request.attachments ?? [];
    const turn = newTurn(
      `turn-${this.nextId++}`,
      request.query,
      attachments.map(({ file: _file, ...shown }) => shown),
    );
    const epoch = this.epoch;
    const starting = this.conversationId === undefined;
    this.turns.push(turn);
    this.sent.set(turn.id, request);
    const running = this.own(turn);
    this.fire({ kind: 'turn', turn });
    if (starting) this.fire({ kind: 'conversation' });
    // A failure is the turn's error: the question and its files stay with it, for Retry.
    await this.followInto(running, epoch, async (owned) => {
      const files = attachments.length ? attachments.map((a) => a.file) : undefined;
      const message = { query: request.query, inputs: request.inputs, files, conversation_id: this.conversationId };
      const stream = await this.client.followChatMessage(message, this.following(turn, running.controller, owned));
      running.stream = stream;
      await this.consume(turn, stream, owned);
    });
    // A first message that failed: the form unlocks.
    if (epoch === this.epoch && starting && this.conversationId === undefined) this.fire({ kind: 'conversation' });
    return turn;
  }

  /** Makes `turn`'s answer the one running: what ran before no longer belongs to the session. */
  private own(turn: ChatTurn): Running {
    const running: Running = { turn, controller: new AbortController(), stopRequested: false };
    this.running = running;
    return running;
  }

  /**
   * How a turn's stream is followed: cancelled with `controller`; a broken connection shows as "reconnecting" while
   * the answer is followed to its end (re-attached, or looked up), not lost.
   */
  private following(turn: ChatTurn, controller: AbortController, owned: () => boolean): FollowOptions {
    const onReconnect: FollowOptions['onReconnect'] = ({ via }) => (turn.reconnecting = via) && owned() && this.fire({ kind: 'turn', turn });
    return { signal: controller.signal, onReconnect };
  }

  /** Notes (across reloads) which answer streams, once its ids are known; forgets it once it ended. Per event: cheap. */
  private noteStreaming(turn: ChatTurn): void {
    const { conversationId, messageId, workflowRunId } = turn;
    if (!conversationId || !messageId) return;
    const streaming = turn.status === 'streaming';
    const noted = this.noted.get(turn);
    if (noted && noted.streaming === streaming && noted.workflowRunId === workflowRunId) return;
    this.noted.set(turn, { streaming, workflowRunId });
    this.options.streaming?.set(conversationId, streaming ? { messageId, ...(workflowRunId ? { workflowRunId } : {}) } : undefined);
  }

  /** Applies a stream's events to the turn and tells the owner what changed (nothing once it is not the owner). */
  private async consume(turn: ChatTurn, stream: AsyncIterable<ChatStreamEvent>, owned: () => boolean): Promise<void> {
    for await (const event of stream) {
      const change = applyEvent(turn, event);
      // A form's token answers it without a key: it stays here, never in the turn the view gets.
      const form = (event.event as string) === 'human_input_required' ? (event as { data?: { form_id?: unknown; form_token?: unknown } }).data : undefined;
      if (typeof form?.form_id === 'string' && typeof form.form_token === 'string') this.formTokens.set(form.form_id, form.form_token);
      this.noteStreaming(turn);
      if (!owned()) continue;
      if (this.conversationId === undefined && turn.conversationId) {
        this.conversationId = turn.conversationId;
        this.fire({ kind: 'conversation' });
      }
      if (event.event === 'message_file') absoluteFileUrls(turn, this.client.http.baseUrl);
      // Only what changed goes to the view: streamed text, or the one node step (a long chatflow has thousands).
      if (change?.part === 'answer') this.fire({ kind: 'delta', turn, text: change.text });
      else if (change?.part === 'reasoning') this.fire({ kind: 'delta', turn, text: change.text, part: 'reasoning' });
      else if (change?.part === 'node') this.fire({ kind: 'node', turn, node: change.node });
      else if (change) this.fire({ kind: 'turn', turn });
    }
  }

  /**
   * Answers a human-input form of the paused last turn (Dify ≥ 1.14) and follows the resumed run into the same turn
   * (GET /workflow/{id}/events, asked again while Dify has not resumed it yet). Someone else's answer or an expired
   * form is said on the form, and the run is followed on all the same. Resolves when the run paused again or ended.
   */
  async answerForm(turnId: string, formId: string, answer: { inputs: Record<string, string>; action: string }): Promise<void> {
    const turn = this.turns.at(-1);
    const form = turn?.forms?.find((f) => f.id === formId);
    const token = this.formTokens.get(formId);
    const runId = turn?.workflowRunId;
    if (this.running || !turn || turn.id !== turnId || turn.status !== 'paused' || form?.state !== 'open' || !token || !runId) return;
    form.state = 'sending';
    this.fire({ kind: 'turn', turn });
    const running = this.own(turn);
    const resumed = async (owned: () => boolean): Promise<void> => {
      const { signal } = running.controller;
      try {
        await this.client.submitHumanInputForm(token, answer, { signal });
        form.state = 'filled';
        form.answeredWith = form.actions.find((a) => a.id === answer.action)?.title;
      } catch (error) {
        // 412: answered by someone else first, or expired; the run goes on without this answer.
        if (!(error instanceof DifyApiError && error.status === 412)) throw error;
        form.state = error.code === 'human_input_form_expired' ? 'expired' : 'filled';
        form.answeredByOthers = form.state === 'filled';
      }
      for (let polls = 0; ; ) {
        turn.status = 'streaming';
        if (owned()) this.fire({ kind: 'turn', turn });
        const ids = { conversationId: turn.conversationId, messageId: turn.messageId };
        const stream = await followChatRun(this.client, runId, ids, this.following(turn, running.controller, owned));
        running.stream = stream;
        await this.consume(turn, stream, owned);
        // Paused at another form: it waits for its answer. Paused at ours still: Dify has not resumed the run yet.
        if ((turn.status as TurnStatus) !== 'paused' || turn.forms?.some((f) => f.state === 'open') || ++polls > RESUME_POLLS) return;
        await sleep(RESUME_POLL_MS, signal, 'GET /workflow/{id}/events');
        if (!owned()) return;
      }
    };
    await this.followInto(running, this.epoch, resumed, () => {
      if (form.state === 'sending') form.state = 'open';
    });
  }

  /**
   * Follows an answer (sent, a form answered, left by a window reload) into its turn with one owner: `follow` reads
   * its streams; a failure is the turn's error, a cancel its stop. Then, unless the session moved on, the stop and
   * usage are recorded, the owner is told, and the suggested questions come.
   */
  private async followInto(running: Running, epoch: number, follow: (owned: () => boolean) => Promise<void>, onError?: () => void): Promise<void> {
    const { turn, controller } = running;
    const owned = () => epoch === this.epoch;
    try {
      await follow(owned);
      if (turn.status === 'streaming') turn.status = running.stopRequested ? 'stopped' : 'done';
    } catch (error) {
      turn.status = controller.signal.aborted ? 'stopped' : 'error';
      if (turn.status === 'error') {
        turn.error = this.describeError(error);
        onError?.();
      }
    }
    turn.reconnecting = undefined;
    this.noteStreaming(turn);
    if (!owned()) return;
    this.running = undefined;
    if (turn.messageId && (turn.status === 'stopped' || (turn.status === 'done' && turn.usage))) {
      this.options.answers?.remember(turn.messageId, { ...(turn.status === 'stopped' ? { stopped: true } : {}), ...(turn.usage ? { usage: turn.usage } : {}) });
    }
    this.fire({ kind: 'turn', turn });
    if (turn.status === 'done' && this.options.suggestAfterAnswer && turn.messageId) await this.loadSuggestions(turn, owned);
  }

  /** Stop: Dify stops generating, what arrived stays. */
  async stop(): Promise<void> {
    const running = this.running;
    if (!running || running.stopRequested) return;
    running.stopRequested = true;
    // With a task id Dify ends the stream itself (message_end after the partial answer); before that, just cancel.
    if (running.stream?.taskId) await running.stream.stop();
    else running.controller.abort();
  }

  /**
   * Sends the failed turn's question again, with the files it had (it is removed from the conversation first).
   * `inputs` are the form's values now (Dify takes them only with a conversation's first message).
   */
  async retry(turnId: string, request: Pick<SendRequest, 'inputs'> = {}): Promise<ChatTurn | undefined> {
    const index = this.turns.findIndex((t) => t.id === turnId && t.status === 'error');
    if (index < 0 || this.running) return undefined;
    const [turn] = this.turns.splice(index, 1);
    const original = this.sent.get(turnId) ?? { query: turn!.query };
    this.sent.delete(turnId);
    this.fire({ kind: 'reset' });
    return this.answer({ ...original, inputs: request.inputs ?? original.inputs });
  }

  /**
   * Asks the last question again, with its files, for another answer. Dify's Service API keeps a conversation's
   * history in one line (it ignores `parent_message_id`): the new answer comes after the old one, which stays.
   * Undefined when `askAgainRefusal` says why not.
   */
  async askAgain(turnId: string, request: Pick<SendRequest, 'inputs'> = {}): Promise<ChatTurn | undefined> {
    if (this.askAgainRefusal(turnId)) return undefined;
    const turn = this.turns.at(-1)!;
    return this.answer({ ...(this.sent.get(turnId) ?? { query: turn.query }), inputs: request.inputs });
  }

  /**
   * Why Ask Again cannot send turn `turnId` as it was: an answer streams, it is not the last finished answer, or
   * its files are not known here (the conversation was opened from history).
   */
  askAgainRefusal(turnId: string): 'running' | 'not-last' | 'files' | undefined {
    const turn = this.turns.at(-1);
    if (this.running) return 'running';
    if (turn?.id !== turnId || (turn.status !== 'done' && turn.status !== 'stopped')) return 'not-last';
    return this.sent.has(turnId) || turn.attachments.length === 0 ? undefined : 'files';
  }

  /** Like, dislike, or take back (null). Throws what Dify said; the turn changes only when Dify agreed. */
  async setFeedback(turnId: string, rating: 'like' | 'dislike' | null): Promise<void> {
    const turn = this.turns.find((t) => t.id === turnId);
    if (!turn?.messageId) return;
    await this.client.sendMessageFeedback(turn.messageId, { rating });
    turn.feedback = rating;
    this.fire({ kind: 'turn', turn });
  }

  /** Starts another conversation: a running answer is stopped on Dify and no longer shown. The draft stays. */
  newConversation(): void {
    this.leave();
    this.conversationId = undefined;
    this.conversationInputs = undefined;
    this.turns.length = 0;
    this.hasOlder = false;
    this.fire({ kind: 'reset' });
  }

  /**
   * Opens an existing conversation with its latest messages (older ones with `loadOlder`). A running answer is
   * stopped at once; of two opens in a row the later one wins, whichever Dify answers first. Resolves false when
   * the session moved on before the messages came.
   */
  async openConversation(conversationId: string, limit = 20): Promise<boolean> {
    this.leave();
    const epoch = this.epoch;
    const page = await this.client.getMessages({ conversation_id: conversationId, limit });
    if (epoch !== this.epoch) return false;
    this.conversationId = conversationId;
    this.turns.length = 0;
    this.turns.push(...page.data.map((m) => turnFromMessage(m, `turn-${this.nextId++}`, this.options.answers?.get(m.id), this.client.http.baseUrl)));
    this.hasOlder = page.has_more;
    this.conversationInputs = page.data[0]?.inputs;
    const last = this.turns[this.turns.length - 1];
    const left = this.options.streaming?.get(conversationId);
    if (left && last?.messageId === left.messageId && last.status === 'done' && last.answer === '') {
      // The window reloaded while this answer streamed: it goes on in Dify, and is followed on here.
      last.status = 'streaming';
      last.workflowRunId = left.workflowRunId;
      last.reconnecting = left.workflowRunId ? 'events' : 'lookup';
      this.fire({ kind: 'reset' });
      const running = this.own(last);
      void this.followInto(running, epoch, async (owned) => {
        const known = { conversationId: last.conversationId!, messageId: last.messageId!, workflowRunId: last.workflowRunId };
        const stream = await followChatAnswer(this.client, known, this.following(last, running.controller, owned));
        running.stream = stream;
        await this.consume(last, stream, owned);
      });
      return true;
    }
    if (left) this.options.streaming?.set(conversationId, undefined);
    this.fire({ kind: 'reset' });
    // As after an answer: the suggested questions after the last one, when the app has them.
    if (last?.status === 'done' && last.messageId && this.options.suggestAfterAnswer) void this.loadSuggestions(last, () => epoch === this.epoch);
    return true;
  }

  /** Prepends the page of messages before the oldest one shown; one load at a time, dropped if the session moves on. */
  loadOlder(limit = 20): Promise<void> {
    this.olderLoad ??= this.fetchOlder(limit).finally(() => (this.olderLoad = undefined));
    return this.olderLoad;
  }

  /** The session is done with: its answer is stopped on Dify, and it tells nobody anything more. */
  dispose(): void {
    this.leave();
    this.listeners.clear();
  }

  /**
   * The window goes away (reload, close): nothing more is told, but an answer streaming is not stopped on Dify. It
   * stays noted as streaming, so the next window follows it on when it reopens the conversation.
   */
  detach(): void {
    this.epoch++;
    this.listeners.clear();
  }

  private async fetchOlder(limit: number): Promise<void> {
    const oldest = this.turns[0]?.messageId;
    if (!this.conversationId || !oldest || !this.hasOlder) return;
    const epoch = this.epoch;
    const page = await this.client.getMessages({ conversation_id: this.conversationId, first_id: oldest, limit });
    if (epoch !== this.epoch) return;
    this.turns.unshift(...page.data.map((m) => turnFromMessage(m, `turn-${this.nextId++}`, this.options.answers?.get(m.id), this.client.http.baseUrl)));
    this.hasOlder = page.has_more;
    this.fire({ kind: 'reset' });
  }

  /**
   * What is shown is about to be replaced: the running answer loses its owner (cancelled here, stopped on Dify in
   * the background by the stream) and loads in flight are dropped when they come.
   */
  private leave(): void {
    this.epoch++;
    this.olderLoad = undefined;
    this.sent.clear();
    this.formTokens.clear();
    const running = this.running;
    this.running = undefined;
    running?.controller.abort();
  }

  private async loadSuggestions(turn: ChatTurn, owned: () => boolean): Promise<void> {
    try {
      turn.suggestions = await this.client.getSuggestedQuestions(turn.messageId!);
      if (turn.suggestions.length && owned()) this.fire({ kind: 'turn', turn });
    } catch {
      // Suggestions are a nicety: an answer without them is still complete.
    }
  }

  private fire(change: SessionChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
