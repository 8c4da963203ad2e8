// The replayable event log of a workflow or advanced-chat run: what Dify's worker publishes to the run's Redis
// topic, kept in order so `GET /workflow/:id/events` (events-stream.ts) can re-attach to it. The producer writes
// every frame here whether or not a client is still connected (Dify's worker runs on after a disconnect).
import { sleep } from '../sse.js';
import type { Sink } from './context.js';

export type RunPhase = 'running' | 'paused' | 'finished';

type Listener = (frame: Record<string, unknown>) => void;

export class RunLog {
  /** Every frame the run produced, in order (the live frames of its first stream and of every resumption). */
  readonly frames: Record<string, unknown>[] = [];
  /** `running` while a producer is emitting; `paused` at a human-input pause; `finished` after workflow_finished. */
  phase: RunPhase = 'running';
  private readonly listeners = new Set<Listener>();

  constructor(
    /** The task id of the current (or last) producer, what a snapshot's frames carry. */
    public taskId: string,
  ) {}

  append(frame: Record<string, unknown>): void {
    this.frames.push(frame);
    if (frame.event === 'workflow_finished') this.phase = 'finished';
    else if (frame.event === 'workflow_paused') this.phase = 'paused';
    for (const listener of [...this.listeners]) listener(frame);
  }

  /** A live subscription: only frames appended from now on (Redis pub/sub keeps no history). */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * The producer side of a run: paces the frames (eventDelayMs, the worker's own speed, kept after a disconnect),
 * logs them, then hands them to the client's sink (an SSE writer, a blocking collector, or nothing).
 */
export class LoggedSink implements Sink {
  constructor(
    private readonly log: RunLog,
    private readonly inner: Sink | undefined,
    private readonly delayMs: number,
  ) {}

  async send(event: Record<string, unknown>): Promise<void> {
    if (this.delayMs > 0) await sleep(this.delayMs);
    this.log.append(event);
    await this.inner?.send(event);
  }

  async finish(): Promise<void> {
    await this.inner?.finish();
  }
}
