// Streamed text on its way to the chat view: the deltas parsed from one network read (Dify often sends dozens of
// `message` events in one chunk) go over as one message, instead of one webview message per token. Nothing waits
// for a timer: the batch leaves as soon as the current read is handled (setImmediate), so a lone delta is not delayed.

export interface DeltaBatch {
  turnId: string;
  text: string;
  /** Text of the turn's separate reasoning rather than its answer. */
  part?: 'reasoning';
}

export class DeltaBatcher {
  private turnId: string | undefined;
  private part: DeltaBatch['part'];
  private parts: string[] = [];
  private scheduled: ReturnType<typeof setImmediate> | undefined;

  constructor(
    private readonly send: (batch: DeltaBatch) => void,
    private readonly later: (run: () => void) => ReturnType<typeof setImmediate> = setImmediate,
    private readonly cancel: (handle: ReturnType<typeof setImmediate>) => void = clearImmediate,
  ) {}

  /** Queues `text` for `turnId`; text for another turn or part first sends what is queued, so the order never changes. */
  add(turnId: string, text: string, part?: DeltaBatch['part']): void {
    if (text === '') return;
    if (this.turnId !== undefined && (this.turnId !== turnId || this.part !== part)) this.flush();
    this.turnId = turnId;
    this.part = part;
    this.parts.push(text);
    this.scheduled ??= this.later(() => {
      this.scheduled = undefined;
      this.flush();
    });
  }

  /** Sends what is queued now (before any other message to the view, which must not overtake it). */
  flush(): void {
    if (this.scheduled !== undefined) this.cancel(this.scheduled);
    this.scheduled = undefined;
    const { turnId, part } = this;
    const text = this.parts.join('');
    this.turnId = undefined;
    this.part = undefined;
    this.parts = [];
    if (turnId !== undefined && text !== '') this.send(part ? { turnId, text, part } : { turnId, text });
  }

  /** Drops what is queued (the view is going away; it gets the whole state when it comes back). */
  dispose(): void {
    if (this.scheduled !== undefined) this.cancel(this.scheduled);
    this.scheduled = undefined;
    this.turnId = undefined;
    this.parts = [];
  }
}
