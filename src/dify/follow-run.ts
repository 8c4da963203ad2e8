// A run followed to its end across broken connections. When a stream is cut or stalls while the run goes on in Dify:
// * Dify ≥ 1.14 (X-Version): re-attach to a workflow or chatflow run with GET /workflow/{id}/events and its state
//   snapshot (CONSOLE.md §11.1), so the same run carries on; the chatflow's answer text sent during the gap is taken
//   from the saved message at the end;
// * otherwise (Dify 1.13, and chat apps, which have no such endpoint): look the result up until it is there:
//   GET /workflows/run/:id for a workflow, the conversation's /messages for a chat app.
// Nothing is started again. What the caller sees is the same event sequence as an unbroken stream would give.
import type { AppClient } from './apps.js';
import type { DifyError} from './errors.js';
import { DifyAbortError, DifyApiError, DifyNetworkError, DifyStreamError, DifyUnexpectedResponseError } from './errors.js';
import { sleep, versionAtLeast, type CallOptions } from './http.js';
import type { DifyEventStream } from './sse.js';
import type { MessageItem } from './history-types.js';
import type { WorkflowRunDetail } from './types.js';
import type { ChatStreamEvent, WorkflowStreamEvent } from './events.js';

export interface ReconnectInfo {
  /** What broke the connection. */
  error: DifyStreamError;
  /** Re-attached to the run's events (Dify ≥ 1.14), or its result looked up. */
  via: 'events' | 'lookup';
  /** 1 for the first reconnect since events last flowed. */
  attempt: number;
}

export interface FollowOptions extends CallOptions {
  /** The stream broke and the run is being followed another way: show "reconnecting…". */
  onReconnect?: (info: ReconnectInfo) => void;
}

export interface FollowSettings {
  /** Reconnects in a row without an event in between before the stream's error is given up to the caller. */
  attempts: number;
  /** First pause before re-attaching; doubles with each attempt. */
  delayMs: number;
  /** Pause between lookups of a result that is not there yet. */
  pollMs: number;
  /** How long to look a result up before saying the run is still going on in Dify. */
  lookupMs: number;
}

export const DEFAULT_FOLLOW: FollowSettings = { attempts: 5, delayMs: 1_000, pollMs: 2_000, lookupMs: 600_000 };

/** What kind of run the stream is: where a lost result can be found again. */
export type FollowedKind = 'chat' | 'workflow';

type Envelope = { event: string };

/**
 * Iterate once with `for await`, like DifyEventStream, and stop it the same way. Between two streams (a reconnect in
 * progress) `stop()` gives up the reconnect and stops the task on Dify.
 */
export class FollowedStream<E extends Envelope> implements AsyncIterable<E> {
  taskId: string | undefined;
  conversationId: string | undefined;
  messageId: string | undefined;
  workflowRunId: string | undefined;
  /** How many times the run was re-attached to or looked up. */
  reconnects = 0;

  private current: DifyEventStream<E> | undefined;
  private stopRequested = false;
  private readonly giveUp = new AbortController();
  private readonly signal: AbortSignal;

  constructor(
    private readonly client: AppClient,
    private readonly kind: FollowedKind,
    /** The stream so far; none: the answer was left behind (a window reload), so it is looked up straight away. */
    first: DifyEventStream<E> | undefined,
    private readonly options: FollowOptions,
    private readonly settings: FollowSettings,
    private readonly stopTask: (taskId: string, options: CallOptions) => Promise<unknown>,
    /** `first` is already a re-attached stream (a run resumed after a pause): it too ends with the saved answer. */
    private readonly resumed = false,
  ) {
    this.current = first;
    this.signal = options.signal ? AbortSignal.any([options.signal, this.giveUp.signal]) : this.giveUp.signal;
  }

  [Symbol.asyncIterator](): AsyncIterator<E> {
    return this.current ? this.events(this.current) : this.lookup(this.leftBehind());
  }

  /** What a lookup without a stream reports when it gives up: the answer or run was left while it streamed. */
  private leftBehind(): DifyStreamError {
    const [endpoint, what] = this.kind === 'chat' ? ['POST /chat-messages', 'answer'] : ['POST /workflows/run', 'run'];
    return new DifyStreamError('ended_early', endpoint, 0, this.taskId, `The ${what} was left while it streamed.`, { host: this.client.http.host });
  }

  async stop(): Promise<void> {
    if (this.stopRequested) return;
    this.stopRequested = true;
    // A stream re-attached after a reload knows its task only from its events: none yet, the remembered one is stopped.
    const current = this.current;
    if (current?.taskId || (current && !this.taskId)) return current.stop();
    this.giveUp.abort();
    current?.stop().catch(() => undefined);
    const ms = this.client.http.timeouts.stopMs;
    if (this.taskId) await this.stopTask(this.taskId, { timeoutMs: ms, signal: AbortSignal.timeout(ms) }).catch(() => undefined);
  }

  private async *events(first: DifyEventStream<E>): AsyncGenerator<E> {
    let stream: DifyEventStream<E> | undefined = first;
    let failures = 0;
    let reattached = this.resumed;
    while (stream) {
      this.current = stream;
      try {
        for await (const event of stream) {
          failures = 0;
          this.track(stream);
          yield event;
        }
        this.current = undefined;
        // Pub/sub keeps no history: the answer text streamed while the connection was down is in the saved message.
        if (reattached && this.kind === 'chat') yield* this.savedAnswer();
        return;
      } catch (error) {
        this.track(stream);
        this.current = undefined;
        if (!this.recoverable(error)) throw error;
        failures++;
        this.reconnects++;
        const via = this.canReattach() ? 'events' : 'lookup';
        this.options.onReconnect?.({ error, via, attempt: failures });
        try {
          stream = via === 'events' ? await this.reattach(error, failures) : undefined;
          if (stream) {
            reattached = true;
            continue;
          }
          yield* this.lookup(error);
        } catch (e) {
          if (this.stopRequested) return; // stopped while reconnecting: the run ends here, as a stopped stream does
          throw e;
        }
        return;
      }
    }
  }

  private track(stream: DifyEventStream<E>): void {
    this.taskId ??= stream.taskId;
    this.conversationId ??= stream.conversationId;
    this.messageId ??= stream.messageId;
    this.workflowRunId ??= stream.workflowRunId;
  }

  /** A cut or a stall of a run Dify can tell us about again; a hang (stopped) or bad data cannot be followed. */
  private recoverable(error: unknown): error is DifyStreamError {
    if (!(error instanceof DifyStreamError) || this.stopRequested || this.signal.aborted) return false;
    if (error.kind !== 'ended_early' && error.kind !== 'stalled') return false;
    return this.workflowRunId !== undefined || (this.kind === 'chat' && this.conversationId !== undefined && this.messageId !== undefined);
  }

  private canReattach(): boolean {
    return this.workflowRunId !== undefined && versionAtLeast(this.client.http.serverVersion, '1.14.0');
  }

  /** The run's event stream again, with a snapshot of what it did meanwhile; undefined: Dify does not know the run. */
  private async reattach(error: DifyStreamError, attempt: number): Promise<DifyEventStream<E> | undefined> {
    for (let failures = attempt; ; failures++) {
      if (failures > this.settings.attempts) throw error;
      await this.pause(this.settings.delayMs * 2 ** (failures - 1), error);
      try {
        return (await this.client.streamWorkflowEvents(this.workflowRunId!, { include_state_snapshot: true }, { signal: this.signal })) as unknown as DifyEventStream<E>;
      } catch (e) {
        if (this.signal.aborted) throw this.stopped(error);
        if (e instanceof DifyApiError && (e.status === 404 || e.status === 400)) return undefined;
        if (!(e instanceof DifyNetworkError || e instanceof DifyUnexpectedResponseError)) throw e;
      }
    }
  }

  /** Asks Dify for the result until it is there (or `lookupMs` passed), and gives it as the events that end a run. */
  private async *lookup(error: DifyStreamError): AsyncGenerator<E> {
    const until = performance.now() + this.settings.lookupMs;
    for (;;) {
      const found = await this.find(error);
      if (found) return yield* found;
      if (performance.now() > until) throw this.stillRunning(error);
      await this.pause(this.settings.pollMs, error);
    }
  }

  /** The events that end the run, once Dify has its result; undefined while it has not (or cannot be reached). */
  private async find(error: DifyStreamError): Promise<E[] | undefined> {
    let result: WorkflowRunDetail | MessageItem | undefined;
    try {
      result = this.kind === 'workflow' ? await this.client.getWorkflowRun(this.workflowRunId!, { signal: this.signal }) : await this.savedMessage();
    } catch (e) {
      if (this.signal.aborted) throw this.stopped(error);
      if (e instanceof DifyNetworkError || e instanceof DifyUnexpectedResponseError) return undefined; // look again
      throw e;
    }
    if (!result) return undefined;
    if (this.kind === 'workflow') {
      const run = result as WorkflowRunDetail;
      return run.status === 'running' || run.status === 'scheduled' ? undefined : [this.finishedRun(run)];
    }
    const message = result as MessageItem;
    if (message.status === 'error') throw new DifyApiError(500, 'message_failed', message.error ?? '', 'GET /messages', this.client.http.host);
    return [...this.thoughts(message), this.replaced(message), this.messageEnd(message)];
  }

  /** The chat message as Dify saved it, once its answer is there (Dify saves it when the answer is complete). */
  private async savedMessage(): Promise<MessageItem | undefined> {
    const page = await this.client.getMessages({ conversation_id: this.conversationId!, limit: 20 }, { signal: this.signal });
    const message = page.data.find((m) => m.id === this.messageId);
    return message && (message.answer !== '' || message.status !== 'normal') ? message : undefined;
  }

  private async *savedAnswer(): AsyncGenerator<E> {
    try {
      const message = this.messageId && this.conversationId ? await this.savedMessage() : undefined;
      if (message?.answer) yield this.replaced(message);
    } catch {
      // The answer as streamed is what the user gets; a gap in it is better than an error after a complete run.
    }
  }

  private envelope(event: string): Record<string, unknown> {
    return { event, conversation_id: this.conversationId, message_id: this.messageId, created_at: Math.floor(Date.now() / 1000), task_id: this.taskId };
  }

  private thoughts(message: MessageItem): E[] {
    return message.agent_thoughts.map(
      (t) =>
        ({
          ...this.envelope('agent_thought'),
          id: t.id,
          position: t.position,
          thought: t.thought,
          observation: t.observation,
          tool: t.tool,
          tool_labels: {},
          tool_input: t.tool_input,
          message_files: t.files,
        }) as unknown as E,
    );
  }

  private replaced(message: MessageItem): E {
    return { ...this.envelope('message_replace'), answer: message.answer, reason: '' } as unknown as E;
  }

  private messageEnd(message: MessageItem): E {
    return { ...this.envelope('message_end'), id: message.id, metadata: { retriever_resources: message.retriever_resources }, files: null } as unknown as E;
  }

  private finishedRun(run: WorkflowRunDetail): E {
    return {
      event: 'workflow_finished',
      task_id: this.taskId,
      workflow_run_id: run.id,
      data: {
        id: run.id,
        workflow_id: run.workflow_id,
        status: run.status,
        outputs: run.outputs,
        error: run.error,
        elapsed_time: run.elapsed_time,
        total_tokens: run.total_tokens,
        total_steps: run.total_steps,
        created_at: run.created_at,
        finished_at: run.finished_at,
      },
    } as unknown as E;
  }

  private async pause(ms: number, error: DifyStreamError): Promise<void> {
    try {
      await sleep(ms, this.signal, error.endpoint);
    } catch {
      throw this.stopped(error);
    }
  }

  /** Stopped by the user while reconnecting: a stop ends the run quietly, a cancel is the caller's abort. */
  private stopped(error: DifyStreamError): DifyError {
    return new DifyAbortError(error.endpoint);
  }

  private stillRunning(error: DifyStreamError): DifyStreamError {
    const what = this.workflowRunId ? `run ${this.workflowRunId}` : `message ${this.messageId}`;
    return new DifyStreamError(
      'still_running',
      error.endpoint,
      error.eventsReceived,
      this.taskId,
      `The connection to ${error.host ?? 'Dify'} broke and the ${what} had no result after ${Math.round(this.settings.lookupMs / 1000)} s: it may still be going on in Dify; its result will be in the app's logs there.`,
      { host: error.host, workflowRunId: this.workflowRunId, runningNode: error.runningNode },
    );
  }
}

/**
 * Follows a chatflow run again after it paused (Dify ≥ 1.14): its events from now on (with the state snapshot), to
 * its end across broken connections, and then the answer as Dify saved it (what streamed before re-attaching is
 * not in the events). `known`: the ids of the chat message the run answers.
 */
export async function followChatRun(
  client: AppClient,
  workflowRunId: string,
  known: { conversationId?: string; messageId?: string },
  options: FollowOptions = {},
): Promise<FollowedStream<ChatStreamEvent>> {
  const first = (await client.streamWorkflowEvents(workflowRunId, { include_state_snapshot: true }, options)) as DifyEventStream<ChatStreamEvent>;
  const followed = new FollowedStream(client, 'chat', first, options, client.followSettings, (taskId, o) => client.stopChatMessage(taskId, o), true);
  Object.assign(followed, { workflowRunId, conversationId: known.conversationId, messageId: known.messageId });
  return followed;
}

/**
 * An answer left while it streamed (the window reloaded), followed to its end: re-attached to its chatflow run on
 * Dify ≥ 1.14, otherwise looked up in the conversation's messages until Dify has saved it.
 */
export async function followChatAnswer(
  client: AppClient,
  known: { conversationId: string; messageId: string; workflowRunId?: string },
  options: FollowOptions = {},
): Promise<FollowedStream<ChatStreamEvent>> {
  if (known.workflowRunId && versionAtLeast(client.http.serverVersion, '1.14.0')) return followChatRun(client, known.workflowRunId, known, options);
  const followed = new FollowedStream<ChatStreamEvent>(client, 'chat', undefined, options, client.followSettings, (taskId, o) => client.stopChatMessage(taskId, o));
  Object.assign(followed, { conversationId: known.conversationId, messageId: known.messageId });
  return followed;
}

/**
 * A workflow run left while it streamed (the window reloaded), followed to its end. Its state comes first
 * (GET /workflows/run/:id, which also tells the server's version): a finished run gives its `workflow_finished`; a
 * running one is re-attached to on Dify ≥ 1.14 (its nodes so far replayed), otherwise looked up until it has its
 * result. `taskId`: the run's task as it was known, to stop it before any event names it again.
 */
export async function followWorkflowRun(
  client: AppClient,
  known: { workflowRunId: string; taskId?: string },
  options: FollowOptions = {},
): Promise<FollowedStream<WorkflowStreamEvent>> {
  const run = await client.getWorkflowRun(known.workflowRunId, { signal: options.signal });
  const going = run.status === 'running' || run.status === 'scheduled' || run.status === 'paused';
  const first =
    going && versionAtLeast(client.http.serverVersion, '1.14.0')
      ? ((await client.streamWorkflowEvents(known.workflowRunId, { include_state_snapshot: true }, options)) as DifyEventStream<WorkflowStreamEvent>)
      : undefined;
  const followed = new FollowedStream<WorkflowStreamEvent>(client, 'workflow', first, options, client.followSettings, (taskId, o) => client.stopWorkflowTask(taskId, o), true);
  Object.assign(followed, { workflowRunId: known.workflowRunId, taskId: known.taskId });
  return followed;
}
