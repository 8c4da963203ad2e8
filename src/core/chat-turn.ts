// One question and its answer as the chat view shows it, built from Dify's stream events (CONTRACT.md §4.3, §4.4):
// text deltas appended, `message_replace` replacing, agent thoughts upserted by id, tool files, citations, usage,
// and the chatflow's node steps. Plain data and a pure reducer, so the host can rebuild any view of it at any time.
import type { ChatStreamEvent, FileType, RetrieverResource, Usage } from '../dify/index.js';

/** `paused`: a chatflow waits at a human-input node for an answer to its form (Dify ≥ 1.14). */
export type TurnStatus = 'streaming' | 'done' | 'stopped' | 'error' | 'paused';

export interface TurnThought {
  id: string;
  position: number;
  thought: string;
  tool: string;
  toolInput: string;
  observation: string;
  files: string[];
}

export interface TurnFile {
  id: string;
  type: string;
  /** Signed and short-lived; may be relative to the server origin. */
  url: string;
}

/**
 * A step of a chatflow's run, as Dify's web app lists them under "Workflow process": the top-level nodes, an
 * iteration or loop being one step with its rounds (the nodes inside it are not steps of their own).
 */
export interface TurnNode {
  /** The execution id (of the iteration or loop, for one). */
  id: string;
  title: string;
  nodeType: string;
  status: 'running' | 'succeeded' | 'failed' | 'exception' | 'stopped';
  error?: string | null;
  /** Seconds it ran, once finished. */
  elapsed?: number;
  /** An iteration or loop: the round running (1-based), and how many there are when Dify says. */
  round?: number;
  rounds?: number;
}

/**
 * A human-input form a chatflow paused at (CONSOLE §11.2), as the view shows it. Its token, which answers the form
 * without a key, stays with the host.
 */
export interface TurnForm {
  id: string;
  nodeTitle: string;
  /** Markdown, with `{{#$output.<name>#}}` where each field goes. */
  content: string;
  fields: Array<{ name: string; type: string; value: string }>;
  actions: Array<{ id: string; title: string; primary: boolean }>;
  /** Unix seconds. */
  expiresAt?: number;
  /**
   * open: waits for an answer; sending: ours is on its way; filled: answered (by us or someone else: `answeredWith`
   * names the button); expired; elsewhere: this Dify cannot take answers from here (1.13: answer in Dify's web app).
   */
  state: 'open' | 'sending' | 'filled' | 'expired' | 'elsewhere';
  answeredWith?: string;
  /** Someone answered it first (in Dify's web app, or another window). */
  answeredByOthers?: boolean;
}

/** What went wrong, in the user's words, and what the view offers to do about it (protocol.ts ErrorAction). */
export interface TurnError {
  message: string;
  actions: Array<'retry' | 'setKey' | 'editApp' | 'addApp' | 'showLog' | 'openSettings' | 'reload'>;
}

/** A file sent with the question. */
export interface TurnAttachment {
  id: string;
  name: string;
  size: number;
  fileType: FileType;
}

export interface ChatTurn {
  /** Local id, known before Dify answers. */
  id: string;
  query: string;
  attachments: TurnAttachment[];
  answer: string;
  status: TurnStatus;
  messageId?: string;
  conversationId?: string;
  taskId?: string;
  thoughts: TurnThought[];
  files: TurnFile[];
  citations: RetrieverResource[];
  nodes: TurnNode[];
  usage?: Usage;
  /** Why the answer was replaced (e.g. output moderation). */
  replacedBecause?: string;
  error?: TurnError;
  feedback?: 'like' | 'dislike' | null;
  /** Suggested questions after the answer, when the app has them on. */
  suggestions?: string[];
  /** Seconds since the epoch, as Dify stamps messages. */
  createdAt: number;
  /** The model's reasoning when Dify streams it apart from the answer (reasoning_chunk); `<think>` stays in `answer`. */
  reasoning?: { text: string; done: boolean };
  /** The connection broke and the answer is being followed again (re-attached, or looked up) until the next event. */
  reconnecting?: 'events' | 'lookup';
  /** A chatflow's run time in seconds (workflow_finished). */
  elapsed?: number;
  /** A chatflow's run (to re-attach to after a pause). */
  workflowRunId?: string;
  /** Human-input forms the run paused at. */
  forms?: TurnForm[];
}

/**
 * What an event changed in what the view shows: text appended to the answer or to the reasoning, one node step, or
 * anything else (the whole turn is sent again). Undefined: nothing shown changed.
 */
export type TurnChange = { part: 'answer' | 'reasoning'; text: string } | { part: 'node'; node: TurnNode } | { part: 'turn' } | undefined;

export function newTurn(id: string, query: string, attachments: TurnAttachment[] = []): ChatTurn {
  return {
    id,
    query,
    attachments,
    answer: '',
    status: 'streaming',
    thoughts: [],
    files: [],
    citations: [],
    nodes: [],
    createdAt: Math.floor(Date.now() / 1000),
  };
}

/** Applies one stream event to the turn, in place, and says what changed. Unknown events change nothing. */
export function applyEvent(turn: ChatTurn, event: ChatStreamEvent): TurnChange {
  const envelope = event as { conversation_id?: string; message_id?: string; task_id?: string };
  turn.conversationId ??= envelope.conversation_id || undefined;
  turn.messageId ??= envelope.message_id || undefined;
  turn.taskId ??= envelope.task_id || undefined;
  turn.workflowRunId ??= (event as { workflow_run_id?: string }).workflow_run_id || undefined;
  const reconnected = turn.reconnecting !== undefined;
  turn.reconnecting = undefined;
  const change = applyHumanInput(turn, event as unknown as { event: string; data?: Record<string, unknown> }) ?? apply(turn, event);
  // The "reconnecting" note goes: the whole turn is sent again.
  return reconnected ? { part: 'turn' } : change;
}

function apply(turn: ChatTurn, event: ChatStreamEvent): TurnChange {
  switch (event.event) {
    case 'message':
    case 'agent_message':
      turn.answer += event.answer;
      return event.answer ? { part: 'answer', text: event.answer } : undefined;
    case 'reasoning_chunk': {
      const text = event.data?.reasoning ?? '';
      const done = event.data?.is_final === true;
      turn.reasoning = { text: (turn.reasoning?.text ?? '') + text, done };
      if (done) return { part: 'turn' };
      return text ? { part: 'reasoning', text } : undefined;
    }
    case 'message_replace':
      turn.answer = event.answer;
      turn.replacedBecause = event.reason || undefined;
      return { part: 'turn' };
    case 'agent_thought': {
      const thought: TurnThought = {
        id: event.id,
        position: event.position,
        thought: event.thought,
        tool: event.tool,
        toolInput: event.tool_input,
        observation: event.observation,
        files: event.message_files,
      };
      const at = turn.thoughts.findIndex((t) => t.id === event.id);
      if (at >= 0) turn.thoughts[at] = thought;
      else turn.thoughts.push(thought);
      turn.thoughts.sort((a, b) => a.position - b.position);
      return { part: 'turn' };
    }
    case 'message_file':
      if (turn.files.some((f) => f.id === event.id)) return undefined;
      turn.files.push({ id: event.id, type: event.type, url: event.url });
      return { part: 'turn' };
    case 'message_end':
      if (turn.reasoning) turn.reasoning.done = true;
      turn.citations = event.metadata?.retriever_resources ?? [];
      turn.usage = event.metadata?.usage;
      turn.messageId = event.id || turn.messageId;
      return { part: 'turn' };
    case 'node_started':
    case 'node_finished':
    case 'node_retry':
      // A node inside an iteration or loop is part of that step (its rounds), not a step of its own.
      if (event.data.iteration_id || event.data.loop_id) return undefined;
      return nodeChange(turn, event.data.id, (node) => {
        node ??= { id: event.data.id, title: event.data.title, nodeType: event.data.node_type, status: 'running' };
        if (event.event === 'node_started') return node; // a re-attached run replays its nodes: known by execution id
        if (event.event === 'node_retry') return { ...node, status: 'running' };
        return { ...node, status: event.data.status, error: event.data.error, elapsed: event.data.elapsed_time };
      });
    case 'iteration_started':
    case 'loop_started':
    case 'iteration_next':
    case 'loop_next':
    case 'iteration_completed':
    case 'loop_completed': {
      const { data } = event;
      const metadata = (data.metadata ?? {}) as { iterator_length?: unknown; loop_length?: unknown };
      const length = event.event.startsWith('iteration') ? metadata.iterator_length : metadata.loop_length;
      return nodeChange(turn, data.id, (node) => {
        node ??= { id: data.id, title: data.title, nodeType: data.node_type, status: 'running' };
        if (typeof length === 'number') node = { ...node, rounds: length };
        if (event.event.endsWith('_next')) return { ...node, round: (typeof data.index === 'number' ? data.index : (node.round ?? 0)) + 1 };
        if (!event.event.endsWith('_completed')) return node;
        return { ...node, status: data.status ?? 'succeeded', error: data.error, elapsed: data.elapsed_time, rounds: typeof data.steps === 'number' ? data.steps : node.rounds };
      });
    }
    case 'workflow_finished':
      turn.elapsed = event.data.elapsed_time;
      if (event.data.status === 'stopped') turn.status = 'stopped';
      for (const node of turn.nodes) if (node.status === 'running' && event.data.status === 'stopped') node.status = 'stopped';
      return { part: 'turn' };
    default:
      return undefined;
  }
}

/** The human-input events (1.14+, not in the typed union): a form to answer, answered, timed out; the pause. */
function applyHumanInput(turn: ChatTurn, event: { event: string; data?: Record<string, unknown> }): TurnChange | undefined {
  const data = event.data ?? {};
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  switch (event.event) {
    case 'human_input_required': {
      const id = text(data.form_id);
      const forms = (turn.forms ??= []);
      if (!id || forms.some((f) => f.id === id)) return undefined;
      const defaults = (data.resolved_default_values ?? {}) as Record<string, unknown>;
      const fields = (Array.isArray(data.inputs) ? data.inputs : []) as Array<{ type?: unknown; output_variable_name?: unknown; default?: unknown }>;
      const actions = (Array.isArray(data.actions) ? data.actions : []) as Array<{ id?: unknown; title?: unknown; button_style?: unknown }>;
      forms.push({
        id,
        nodeTitle: text(data.node_title),
        content: text(data.form_content),
        fields: fields.map((f) => {
          const name = text(f.output_variable_name);
          const preset = defaults[name] ?? f.default;
          return { name, type: text(f.type) || 'text-input', value: typeof preset === 'string' ? preset : '' };
        }),
        actions: actions.map((a) => ({ id: text(a.id), title: text(a.title) || text(a.id), primary: a.button_style === 'primary' })),
        expiresAt: typeof data.expiration_time === 'number' ? data.expiration_time : undefined,
        state: data.form_token ? 'open' : 'elsewhere',
      });
      return { part: 'turn' };
    }
    case 'human_input_form_filled': {
      const form = turn.forms?.find((f) => f.nodeTitle === text(data.node_title) && f.state !== 'filled');
      if (!form) return undefined;
      form.state = 'filled';
      form.answeredWith = text(data.action_text) || text(data.action_id);
      return { part: 'turn' };
    }
    case 'human_input_form_timeout': {
      const form = turn.forms?.find((f) => f.nodeTitle === text(data.node_title) && f.state !== 'filled');
      if (!form) return undefined;
      form.state = 'expired';
      return { part: 'turn' };
    }
    case 'workflow_paused':
      turn.status = 'paused';
      return { part: 'turn' };
    default:
      return undefined;
  }
}

/** Replaces (or adds) the node step with execution id `id` by what `next` makes of it. */
function nodeChange(turn: ChatTurn, id: string, next: (node: TurnNode | undefined) => TurnNode): TurnChange {
  const node = next(turn.nodes.findLast((n) => n.id === id));
  putNode(turn.nodes, node);
  return { part: 'node', node };
}

/** Puts a node step in a turn's steps: in place of the last one with its execution id, or at the end (the view's copy too). */
export function putNode(nodes: TurnNode[], node: TurnNode): void {
  const at = nodes.findLastIndex((n) => n.id === node.id);
  if (at >= 0) nodes[at] = node;
  else nodes.push(node);
}
