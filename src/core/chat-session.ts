// One conversation with a Dify chat app, owned by the extension host: the turns, the running stream, the draft.
// The chat view renders it and can be rebuilt from it at any time. A failed send keeps the question as the draft,
// so nothing the user typed is lost and Retry sends it again.
import type { AppClient, ChatStreamEvent, DifyEventStream, InputFile } from '../dify/index.js';
import { applyEvent, newTurn, type ChatTurn } from './chat-turn.js';

export interface Draft {
  text: string;
  files: InputFile[];
}

export interface SendRequest {
  query: string;
  inputs?: Record<string, unknown>;
  files?: InputFile[];
}

/** Turns an error into the sentence the user sees (the VS Code layer localises it). */
export type DescribeError = (error: unknown) => string;

export class ChatSession {
  conversationId: string | undefined;
  readonly turns: ChatTurn[] = [];
  draft: Draft = { text: '', files: [] };
  private running:
    | { turn: ChatTurn; stream?: DifyEventStream<ChatStreamEvent>; controller: AbortController; stopRequested: boolean }
    | undefined;
  private readonly listeners = new Set<(turn: ChatTurn | undefined) => void>();
  private nextId = 1;

  constructor(
    private readonly client: AppClient,
    private readonly describeError: DescribeError,
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Called after every change; `turn` is the turn that changed (undefined: the whole session). */
  onDidChange(listener: (turn: ChatTurn | undefined) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Sends a question and streams the answer into a new turn. Resolves when the answer is complete, stopped or failed;
   * never rejects: a failure is the turn's `error`, and the question goes back into the draft.
   */
  async send(request: SendRequest): Promise<ChatTurn> {
    if (this.running) throw new Error('A message is already being answered; stop it first.');
    const turn = newTurn(`turn-${this.nextId++}`, request.query);
    const controller = new AbortController();
    this.turns.push(turn);
    this.running = { turn, controller, stopRequested: false };
    this.draft = { text: '', files: [] };
    this.fire(undefined);
    try {
      const stream = await this.client.streamChatMessage(
        { query: request.query, inputs: request.inputs, files: request.files, conversation_id: this.conversationId },
        { signal: controller.signal },
      );
      const running = this.running;
      running.stream = stream;
      for await (const event of stream) {
        applyEvent(turn, event);
        this.conversationId ??= turn.conversationId;
        this.fire(turn);
      }
      if (turn.status === 'streaming') turn.status = running.stopRequested ? 'stopped' : 'done';
    } catch (error) {
      if (controller.signal.aborted) {
        turn.status = 'stopped';
      } else {
        turn.status = 'error';
        turn.error = this.describeError(error);
        // Nothing typed is lost: the question (and its files) wait in the input for Retry or an edit.
        this.draft = { text: request.query, files: request.files ?? [] };
      }
    } finally {
      this.running = undefined;
      this.fire(turn);
    }
    return turn;
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

  /** Sends the failed turn's question again (it is removed from the conversation view first). */
  async retry(turnId: string, request: Omit<SendRequest, 'query'> = {}): Promise<ChatTurn | undefined> {
    const index = this.turns.findIndex((t) => t.id === turnId && t.status === 'error');
    if (index < 0) return undefined;
    const [failed] = this.turns.splice(index, 1);
    return this.send({ ...request, query: failed!.query, files: request.files ?? this.draft.files });
  }

  /** Starts another conversation; a running answer is stopped first. */
  async newConversation(): Promise<void> {
    await this.stop();
    this.conversationId = undefined;
    this.turns.length = 0;
    this.fire(undefined);
  }

  private fire(turn: ChatTurn | undefined): void {
    for (const listener of this.listeners) listener(turn);
  }
}
