// A tiny "graph engine": the node / iteration / loop events of workflow and advanced-chat runs (CONTRACT §4.3).
import { unix, uuid } from '../pyfmt.js';
import { PyFloat } from '../wire.js';
import { answerDeltas, splitDeltas, tokenCount } from './answers.js';
import type { Sink } from './context.js';
import { decimalFixed } from '../pyfmt.js';
import { prices, usageBlock } from './context.js';
import { reasoningDeltas, reasoningText, taggedReasoning } from './reasoning.js';
import type { Task, WorkflowRun } from './state.js';

export interface NodeDef {
  id: string;
  type: string;
  title: string;
  /** node_started.data.agent_strategy of an agent node: `{"name", "icon"}`. */
  agentStrategy?: Record<string, unknown>;
}

/** One run in progress: emits frames through the sink with the app's envelope. */
export class RunEmitter {
  index = 0;
  steps = 0;
  tokens = 0;
  promptTokens = 0;
  completionTokens = 0;
  /** Set when the task was stopped mid-run. */
  stopped = false;

  constructor(
    readonly sink: Sink,
    readonly task: Task,
    readonly run: WorkflowRun,
    /** `{event, workflow_run_id}` (workflow) or `{event, conversation_id, message_id, created_at}` (advanced-chat). */
    readonly envelope: (event: string) => Record<string, unknown>,
    /** Node titles of the published graph (set by a console publish), by node id; the built-in titles otherwise. */
    readonly titles: Record<string, string> = {},
  ) {}

  now(): number {
    return unix(Date.now());
  }

  /** A workflow event: envelope, task_id, workflow_run_id, data. */
  emit(event: string, data: Record<string, unknown>): Promise<void> {
    return this.sink.send({ ...this.envelope(event), task_id: this.task.id, workflow_run_id: this.run.id, data });
  }

  /** text_chunk / text_replace / agent_log: envelope, task_id, data. */
  emitPlain(event: string, data: Record<string, unknown>): Promise<void> {
    return this.sink.send({ ...this.envelope(event), task_id: this.task.id, data });
  }

  checkStop(): boolean {
    if (this.task.stopped) this.stopped = true;
    return this.stopped;
  }

  async nodeStarted(def: NodeDef, scope: Scope = {}): Promise<NodeExec> {
    const title = this.titles[def.id];
    const node = title === undefined ? def : { ...def, title };
    const exec: NodeExec = { id: uuid(), node, index: ++this.index, startedAt: Date.now(), scope };
    await this.emit('node_started', {
      id: exec.id,
      node_id: node.id,
      node_type: node.type,
      title: node.title,
      index: exec.index,
      predecessor_node_id: null,
      inputs: null,
      inputs_truncated: false,
      created_at: unix(exec.startedAt),
      extras: {},
      iteration_id: scope.iterationId ?? null,
      loop_id: scope.loopId ?? null,
      agent_strategy: node.agentStrategy ?? null,
    });
    return exec;
  }

  async nodeFinished(
    exec: NodeExec,
    result: {
      inputs?: unknown;
      processData?: unknown;
      outputs?: unknown;
      status?: 'succeeded' | 'failed' | 'exception' | 'stopped';
      error?: string | null;
      metadata?: Record<string, unknown> | null;
    },
  ): Promise<void> {
    this.steps++;
    const { scope } = exec;
    let metadata = result.metadata ?? null;
    if (scope.iterationId) metadata = { ...metadata, iteration_id: scope.iterationId, iteration_index: scope.index };
    if (scope.loopId) metadata = { ...metadata, loop_id: scope.loopId, loop_index: scope.index };
    await this.emit('node_finished', {
      id: exec.id,
      node_id: exec.node.id,
      node_type: exec.node.type,
      title: exec.node.title,
      index: exec.index,
      predecessor_node_id: null,
      inputs: result.inputs ?? null,
      inputs_truncated: false,
      process_data: result.processData ?? null,
      process_data_truncated: false,
      outputs: result.outputs ?? null,
      outputs_truncated: false,
      status: result.status ?? 'succeeded',
      error: result.error ?? null,
      elapsed_time: new PyFloat(elapsed(exec.startedAt)),
      execution_metadata: metadata,
      created_at: unix(exec.startedAt),
      finished_at: this.now(),
      files: [],
      iteration_id: scope.iterationId ?? null,
      loop_id: scope.loopId ?? null,
    });
  }

  /**
   * An LLM node: streams the answer for `prompt` through `onDelta` (message or text_chunk events), stops early
   * when the task is stopped. Returns the text produced.
   */
  async llmNode(
    node: NodeDef,
    prompt: string,
    onDelta: (delta: string) => Promise<void>,
    /** A reasoning model: `separated` sends reasoning_chunk events (1.15; message_id null in workflows), `tagged` a `<think>` prefix. */
    reasoning?: { format: 'separated' | 'tagged'; messageId: string | null },
  ): Promise<{ text: string; usage: Record<string, unknown> } | undefined> {
    const exec = await this.nodeStarted(node);
    let text = '';
    const first = Date.now();
    const deltas = answerDeltas(prompt);
    if (reasoning?.format === 'separated') {
      const chunks = reasoningDeltas(prompt);
      for (const [i, chunk] of chunks.entries()) {
        if (this.checkStop()) return undefined;
        await this.emitPlain('reasoning_chunk', { message_id: reasoning.messageId, reasoning: chunk, node_id: node.id, is_final: i === chunks.length - 1 });
      }
    } else if (reasoning?.format === 'tagged') {
      deltas.unshift(...splitDeltas(taggedReasoning(prompt)));
    }
    for (const delta of deltas) {
      if (this.checkStop()) return undefined;
      text += delta;
      await onDelta(delta);
    }
    const numbers = {
      promptTokens: 20 + tokenCount(prompt),
      completionTokens: tokenCount(text),
      latency: elapsed(exec.startedAt),
      timeToFirstToken: elapsed(first) / 2 + 0.0001,
      timeToGenerate: elapsed(first) + 0.0002,
    };
    this.promptTokens += numbers.promptTokens;
    this.completionTokens += numbers.completionTokens;
    this.tokens += numbers.promptTokens + numbers.completionTokens;
    const usage = usageBlock(numbers, 'fixed');
    await this.nodeFinished(exec, {
      inputs: {},
      processData: {
        model_mode: 'chat',
        prompts: [
          { role: 'system', text: 'You are a helpful assistant. 你是一个乐于助人的助手。', files: [] },
          { role: 'user', text: prompt, files: [] },
        ],
        usage,
        finish_reason: 'stop',
        model_provider: 'langgenius/openai/openai',
        model_name: 'gpt-4o-mini',
      },
      outputs: { text, reasoning_content: reasoning?.format === 'separated' ? reasoningText(prompt) : '', usage, finish_reason: 'stop' },
      metadata: { total_tokens: numbers.promptTokens + numbers.completionTokens, total_price: decimalFixed(prices(numbers).total), currency: 'USD' },
    });
    return { text, usage };
  }

  /** The usage numbers of the whole run (for message_end). */
  runUsage(startedAt: number): Parameters<typeof usageBlock>[0] {
    return {
      promptTokens: this.promptTokens,
      completionTokens: this.completionTokens,
      latency: elapsed(startedAt),
      timeToFirstToken: 0.1 + elapsed(startedAt) / 4,
      timeToGenerate: elapsed(startedAt) / 2 + 0.0001,
    };
  }
}

export interface Scope {
  iterationId?: string;
  loopId?: string;
  index?: number;
}

export interface NodeExec {
  id: string;
  node: NodeDef;
  index: number;
  startedAt: number;
  scope: Scope;
}

export function elapsed(startMs: number): number {
  return Math.round(((Date.now() - startMs) / 1000 + 0.000731) * 1e6) / 1e6;
}

/** Iteration over items with one inner node, then a two-round loop (iteration_* / loop_* events). */
export async function iterationGraph(em: RunEmitter, items: string[]): Promise<Record<string, unknown> | undefined> {
  const iteration: NodeDef = { id: '1741234569002', type: 'iteration', title: 'Iterate items 遍历' };
  const inner: NodeDef = { id: '1741234569003', type: 'template-transform', title: 'Shout item' };
  const loop: NodeDef = { id: '1741234569004', type: 'loop', title: 'Refine twice' };
  const loopInner: NodeDef = { id: '1741234569005', type: 'code', title: 'Refine' };
  const itId = uuid();
  const itStart = Date.now();
  await em.emit('iteration_started', {
    id: itId,
    node_id: iteration.id,
    node_type: iteration.type,
    title: iteration.title,
    created_at: unix(itStart),
    extras: {},
    metadata: { iterator_length: items.length },
    inputs: { iterator_selector: items },
    inputs_truncated: false,
  });
  const results: string[] = [];
  for (let i = 0; i < items.length; i++) {
    if (em.checkStop()) return undefined;
    await em.emit('iteration_next', {
      id: itId,
      node_id: iteration.id,
      node_type: iteration.type,
      title: iteration.title,
      index: i,
      created_at: em.now(),
      extras: {},
    });
    const exec = await em.nodeStarted(inner, { iterationId: iteration.id, index: i });
    const output = `${items[i]!.toUpperCase()}!`;
    results.push(output);
    await em.nodeFinished(exec, { inputs: { item: items[i] }, outputs: { output } });
  }
  em.steps++;
  await em.emit('iteration_completed', {
    id: itId,
    node_id: iteration.id,
    node_type: iteration.type,
    title: iteration.title,
    outputs: { output: results },
    outputs_truncated: false,
    created_at: unix(itStart),
    extras: {},
    inputs: { iterator_selector: items },
    inputs_truncated: false,
    status: 'succeeded',
    error: null,
    elapsed_time: new PyFloat(elapsed(itStart)),
    total_tokens: 0,
    execution_metadata: { total_tokens: 0, iteration_duration_map: {} },
    finished_at: em.now(),
    steps: items.length,
  });
  const loopId = uuid();
  const loopStart = Date.now();
  await em.emit('loop_started', {
    id: loopId,
    node_id: loop.id,
    node_type: loop.type,
    title: loop.title,
    created_at: unix(loopStart),
    extras: {},
    metadata: { loop_length: 2 },
    inputs: { results },
    inputs_truncated: false,
  });
  let value = results.join(' ');
  for (let i = 0; i < 2; i++) {
    if (em.checkStop()) return undefined;
    await em.emit('loop_next', {
      id: loopId,
      node_id: loop.id,
      node_type: loop.type,
      title: loop.title,
      index: i,
      created_at: em.now(),
      extras: {},
      pre_loop_output: i === 0 ? null : { value },
    });
    const exec = await em.nodeStarted(loopInner, { loopId: loop.id, index: i });
    value = `${value} (round ${i + 1})`;
    await em.nodeFinished(exec, { inputs: { value }, outputs: { value } });
  }
  em.steps++;
  await em.emit('loop_completed', {
    id: loopId,
    node_id: loop.id,
    node_type: loop.type,
    title: loop.title,
    outputs: { value },
    outputs_truncated: false,
    created_at: unix(loopStart),
    extras: {},
    inputs: { results },
    inputs_truncated: false,
    status: 'succeeded',
    error: null,
    elapsed_time: new PyFloat(elapsed(loopStart)),
    total_tokens: 0,
    execution_metadata: { total_tokens: 0, loop_duration_map: {} },
    finished_at: em.now(),
    steps: 2,
  });
  return { results, text: value };
}
