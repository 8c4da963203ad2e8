// Dify's event stream (CONTRACT.md §4) as a typed async iterable, with the failure modes made explicit:
// `error` events and failed workflows are thrown, a stream that ends before its terminal event is an error,
// and two watchdogs catch a stall (no bytes) and Dify 1.13's ping-only hang (bytes but no events). The hang rule
// applies only where Dify 1.13 hangs (§6.2): before the first event, and in a workflow after its last node finished;
// while a node runs (an LLM feeding a Code node, a slow HTTP node, an agent's tool) pings alone are normal.
import { DifyAbortError, DifyError, DifyStreamError, DifyWorkflowRunError, formatSeconds } from './errors.js';
import { apiError, type CallOptions, type DifyTimeouts, type RawResponse } from './http.js';
import { networkError } from './network-error.js';
import { SseFrames } from './sse-frames.js';
import type { NodeFinishedData, WorkflowFinishedData } from './events.js';

export interface EventStreamOptions {
  timeouts: Pick<DifyTimeouts, 'streamIdleMs' | 'streamEventMs' | 'stopMs'>;
  signal?: AbortSignal;
  host: string;
  /** Calls the stop endpoint that matches this stream (chat, completion or workflow task). */
  stopTask: (taskId: string, options: CallOptions) => Promise<unknown>;
  /** How long `stop()` waits for Dify's own end of the stream before closing it. */
  stopGraceMs?: number;
}

interface DifyEventData {
  event: string;
  task_id?: string;
  conversation_id?: string;
  message_id?: string;
  workflow_run_id?: string;
  [key: string]: unknown;
}

/** The envelope of an `error` event: Dify closes the stream after it. */
interface ErrorEventData extends DifyEventData {
  code?: string;
  status?: number;
  message?: string;
}

/** Events that start and end a unit of work inside a workflow run, by the id of its execution. */
const WORK_STARTS = new Set(['node_started', 'iteration_started', 'loop_started']);
const WORK_ENDS = new Set(['node_finished', 'iteration_completed', 'loop_completed']);

/**
 * Iterate once with `for await`. Known events arrive typed as `E`; events this client does not know are passed
 * through untouched (reach them in a `default:` branch). Pings are consumed here.
 */
export class DifyEventStream<E extends { event: string }> implements AsyncIterable<E> {
  /** Known after the first event that carries it. */
  taskId: string | undefined;
  conversationId: string | undefined;
  messageId: string | undefined;
  workflowRunId: string | undefined;
  /** Data events received so far (pings not counted). */
  eventsReceived = 0;
  /** Nodes (and iterations, loops) started and not finished yet: execution id → title, in start order. */
  readonly runningNodes = new Map<string, string>();

  private readonly endpoint: string;
  private iterated = false;
  private stopRequested = false;
  private ended = false;
  private failure: DifyStreamError | undefined;
  private stopCall: Promise<void> | undefined;
  private failedNode: DifyWorkflowRunError['failedNode'];

  constructor(
    private readonly response: RawResponse,
    private readonly options: EventStreamOptions,
  ) {
    this.endpoint = response.endpoint;
  }

  [Symbol.asyncIterator](): AsyncIterator<E> {
    if (this.iterated) throw new Error('A Dify event stream can be iterated only once.');
    this.iterated = true;
    return this.events();
  }

  /**
   * Asks Dify to stop generating (the stop endpoint, with the task id) and lets the stream finish the way Dify ends a
   * stopped task: chat with `message_end`, workflows with `workflow_finished` status `stopped`. What arrived is kept.
   */
  async stop(): Promise<void> {
    if (this.stopRequested || this.ended) return;
    this.stopRequested = true;
    if (!this.taskId) {
      this.response.body.destroy();
      return;
    }
    const grace = setTimeout(() => this.response.body.destroy(), this.options.stopGraceMs ?? 10_000);
    grace.unref?.();
    await this.callStop();
  }

  /**
   * The stop request, once: bounded by its own short timeout and never failing, so that a server that stalls on it
   * too costs nothing more than that timeout, in the background.
   */
  private callStop(): Promise<void> {
    if (!this.taskId) return Promise.resolve();
    const ms = this.options.timeouts.stopMs;
    this.stopCall ??= this.options.stopTask(this.taskId, { timeoutMs: ms, signal: AbortSignal.timeout(ms) }).then(
      () => undefined,
      () => undefined,
    );
    return this.stopCall;
  }

  /**
   * A hand-written iterator rather than an async generator: events arrive in batches (one per network chunk) and
   * are handed out with one resolved promise each, without a generator resume per event (see npm run bench).
   */
  private events(): AsyncIterator<E> {
    const body = this.response.body;
    const reader = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    const { streamIdleMs, streamEventMs } = this.options.timeouts;
    let batch: string[] = [];
    let index = 0;
    const frames = new SseFrames((data) => batch.push(data));

    let terminal = false;
    let expectWorkflowEnd = false;
    let failedRun: DifyWorkflowRunError | undefined;
    let finished = false;
    let lastByte = performance.now();
    let lastEvent = lastByte;
    let consumerBusy = false;
    const watchdog = setInterval(
      () => {
        if (consumerBusy || this.ended) return;
        const now = performance.now();
        if (now - lastByte > streamIdleMs) {
          if (!terminal) this.failure = this.stalled(streamIdleMs);
          body.destroy();
        } else if (!terminal && now - lastEvent > streamEventMs && this.mayHang(expectWorkflowEnd)) {
          this.failure = this.noEvents(streamEventMs);
          body.destroy();
        }
      },
      Math.max(20, Math.min(1_000, Math.min(streamIdleMs, streamEventMs) / 5)),
    );
    watchdog.unref?.();
    const onAbort = () => body.destroy();
    this.options.signal?.addEventListener('abort', onAbort, { once: true });
    if (this.options.signal?.aborted) body.destroy();

    const cleanup = () => {
      finished = true;
      clearInterval(watchdog);
      this.options.signal?.removeEventListener('abort', onAbort);
      this.ended = true;
      if (!body.destroyed) body.destroy();
    };
    const done = (): IteratorResult<E> => ({ value: undefined, done: true });

    /** The next event of the current batch; errors (an `error` event, malformed data) end the stream. */
    const take = (): IteratorResult<E> => {
      try {
        const event = this.accept(batch[index++]!);
        if (event.event === 'workflow_started') expectWorkflowEnd = true;
        else if (event.event === 'workflow_finished' || event.event === 'workflow_paused') terminal = true;
        else if (event.event === 'message_end' && !expectWorkflowEnd) terminal = true;
        // A failed run is delivered first, then thrown on the next call (CONTRACT.md §6.3).
        if (event.event === 'workflow_finished') failedRun = this.failedRun(event.data as WorkflowFinishedData);
        return { value: event as unknown as E, done: false };
      } catch (e) {
        cleanup();
        throw e;
      }
    };

    /** Reads chunks until there is an event to hand out, or the body ends. */
    const fill = async (): Promise<IteratorResult<E>> => {
      if (consumerBusy) {
        // The consumer has taken the whole batch: the clocks restart from now, not from when the bytes came.
        consumerBusy = false;
        lastByte = lastEvent = performance.now();
      }
      for (;;) {
        let chunk: IteratorResult<Buffer>;
        try {
          chunk = await reader.next();
        } catch (e) {
          cleanup();
          const failure = await this.streamFailure(e, terminal);
          if (failure) throw failure;
          return done();
        }
        if (chunk.done) {
          frames.end();
          cleanup();
          if (batch.length > index) break;
          if (!terminal && !this.stopRequested) throw this.endedEarly();
          return done();
        }
        lastByte = performance.now();
        batch = [];
        index = 0;
        frames.push(chunk.value);
        if (batch.length > 0) break;
      }
      consumerBusy = true;
      return take();
    };

    return {
      next: (): Promise<IteratorResult<E>> => {
        if (failedRun) {
          const error = failedRun;
          failedRun = undefined;
          cleanup();
          return Promise.reject(error);
        }
        if (index < batch.length) {
          try {
            return Promise.resolve(take());
          } catch (e) {
            return Promise.reject(e);
          }
        }
        return finished ? Promise.resolve(done()) : fill();
      },
      return: (): Promise<IteratorResult<E>> => {
        cleanup();
        return Promise.resolve(done());
      },
    };
  }

  private endedEarly(): DifyStreamError {
    return this.streamError(
      'ended_early',
      `The answer from ${this.options.host} ended before it was complete (${this.endpoint}, after ${this.eventsReceived} events). Retry.`,
    );
  }

  private accept(data: string): DifyEventData {
    let event: DifyEventData;
    try {
      event = JSON.parse(data) as DifyEventData;
    } catch {
      event = undefined as unknown as DifyEventData;
    }
    if (!event || typeof event !== 'object' || typeof event.event !== 'string') {
      throw this.streamError('malformed', `${this.options.host} sent data that is not a Dify event (${this.endpoint}): "${data.slice(0, 80)}". Is a proxy rewriting the stream?`);
    }
    this.eventsReceived++;
    this.taskId ??= event.task_id;
    this.conversationId ??= event.conversation_id || undefined;
    this.messageId ??= event.message_id;
    this.workflowRunId ??= event.workflow_run_id;
    const work = event.data as { id?: unknown; title?: unknown } | undefined;
    if (typeof work?.id === 'string') {
      if (WORK_STARTS.has(event.event)) this.runningNodes.set(work.id, typeof work.title === 'string' ? work.title : '');
      else if (WORK_ENDS.has(event.event)) this.runningNodes.delete(work.id);
    }
    switch (event.event) {
      case 'error': {
        const e = event as ErrorEventData;
        throw apiError(e.status ?? 500, e.code ?? 'unknown', e.message ?? '', this.endpoint, this.options.host);
      }
      case 'message_file':
        // Chat/completion quirk (§4.3): text deltas after a tool file keep the name message_file but carry `answer`.
        if (typeof event.answer === 'string') event.event = 'message';
        break;
      case 'node_finished': {
        const node = event.data as NodeFinishedData;
        if (node?.status === 'failed' && !this.failedNode) {
          this.failedNode = { node_id: node.node_id, title: node.title, node_type: node.node_type, error: node.error };
        }
        break;
      }
    }
    return event;
  }

  private failedRun(data: WorkflowFinishedData): DifyWorkflowRunError | undefined {
    if (data?.status !== 'failed') return undefined;
    return new DifyWorkflowRunError(data.error ?? '', this.endpoint, data.id ?? this.workflowRunId, this.failedNode, this.options.host);
  }

  /**
   * Maps whatever ended the read loop to the error the caller sees (undefined: a normal end), and stops the task on
   * Dify when it would otherwise run on.
   */
  private async streamFailure(e: unknown, terminal: boolean): Promise<DifyError | undefined> {
    if (e instanceof DifyError) return e; // an error event, a failed workflow or malformed data: Dify's own end
    if (this.options.signal?.aborted) {
      void this.callStop();
      return new DifyAbortError(this.endpoint);
    }
    if (this.failure) {
      // A hang is stopped on Dify. A stall is not: the run may well be alive behind a dropped connection, and a
      // caller can follow it to its end (follow-run.ts); the watchdog never stops a run on a guess.
      if (this.failure.kind === 'no_events') void this.callStop();
      return this.failure;
    }
    if (terminal || this.stopRequested) return undefined; // we closed it: complete, or stopped by the user
    const cause = networkError(e, this.options.host, this.endpoint);
    return this.streamError(
      'ended_early',
      `The connection to ${this.options.host} broke before the answer was complete (${this.endpoint}, after ${this.eventsReceived} events${cause.causeCode ? `, ${cause.causeCode}` : ''}). Retry.`,
    );
  }

  /** Pings without events mean a hang only before the first event, or in a workflow with no node running. */
  private mayHang(workflow: boolean): boolean {
    return this.eventsReceived === 0 || (workflow && this.runningNodes.size === 0);
  }

  /** The title of the node that has run longest among those still running. */
  get runningNode(): string | undefined {
    return this.runningNodes.values().next().value;
  }

  private streamError(kind: DifyStreamError['kind'], message: string): DifyStreamError {
    return new DifyStreamError(kind, this.endpoint, this.eventsReceived, this.taskId, message, {
      host: this.options.host,
      workflowRunId: this.workflowRunId,
      runningNode: this.runningNode,
    });
  }

  private stalled(ms: number): DifyStreamError {
    const detail =
      this.eventsReceived === 0
        ? ' Dify accepted the request but sent no events: on Dify 1.13 this happens when a chatflow or workflow fails before it starts (e.g. an unknown conversation or invalid inputs).'
        : this.runningNode
          ? ` Node "${this.runningNode}" was running.`
          : '';
    return this.streamError('stalled', `No data from ${this.options.host} for ${formatSeconds(ms)} (${this.endpoint}); the stream stalled.${detail}`);
  }

  private noEvents(ms: number): DifyStreamError {
    return this.streamError(
      'no_events',
      `${this.options.host} sent only keep-alive pings and no events for ${formatSeconds(ms)} (${this.endpoint}): the run looks hung (a known Dify 1.13 problem). It was stopped; retry.`,
    );
  }
}
