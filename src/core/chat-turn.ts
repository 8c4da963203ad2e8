// One question and its answer as the chat view shows it, built from Dify's stream events (CONTRACT.md §4.3, §4.4):
// text deltas appended, `message_replace` replacing, agent thoughts upserted by id, tool files, citations, usage,
// and the chatflow's node steps. Plain data and a pure reducer, so the host can rebuild any view of it at any time.
import type { ChatStreamEvent, FileType, RetrieverResource, Usage } from '../dify/index.js';

export type TurnStatus = 'streaming' | 'done' | 'stopped' | 'error';

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

export interface TurnNode {
  id: string;
  title: string;
  nodeType: string;
  status: 'running' | 'succeeded' | 'failed' | 'exception' | 'stopped';
  error?: string | null;
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
}

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

/** Applies one stream event to the turn, in place. Unknown events change nothing. */
export function applyEvent(turn: ChatTurn, event: ChatStreamEvent): void {
  const envelope = event as { conversation_id?: string; message_id?: string; task_id?: string };
  turn.conversationId ??= envelope.conversation_id || undefined;
  turn.messageId ??= envelope.message_id || undefined;
  turn.taskId ??= envelope.task_id || undefined;
  turn.reconnecting = undefined;
  switch (event.event) {
    case 'message':
    case 'agent_message':
      turn.answer += event.answer;
      break;
    case 'reasoning_chunk':
      turn.reasoning = { text: (turn.reasoning?.text ?? '') + (event.data?.reasoning ?? ''), done: event.data?.is_final === true };
      break;
    case 'message_replace':
      turn.answer = event.answer;
      turn.replacedBecause = event.reason || undefined;
      break;
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
      break;
    }
    case 'message_file':
      if (!turn.files.some((f) => f.id === event.id)) turn.files.push({ id: event.id, type: event.type, url: event.url });
      break;
    case 'message_end':
      if (turn.reasoning) turn.reasoning.done = true;
      turn.citations = event.metadata?.retriever_resources ?? [];
      turn.usage = event.metadata?.usage;
      turn.messageId = event.id || turn.messageId;
      break;
    case 'node_started':
      // A re-attached chatflow replays its nodes (state snapshot): a node is known by its execution id.
      if (!turn.nodes.some((n) => n.id === event.data.id)) turn.nodes.push({ id: event.data.id, title: event.data.title, nodeType: event.data.node_type, status: 'running' });
      break;
    case 'node_finished':
    case 'node_retry': {
      const node = turn.nodes.find((n) => n.id === event.data.id);
      const status = event.event === 'node_retry' ? 'running' : (event.data.status as TurnNode['status']);
      if (node) Object.assign(node, { status, error: event.data.error });
      else turn.nodes.push({ id: event.data.id, title: event.data.title, nodeType: event.data.node_type, status, error: event.data.error });
      break;
    }
    case 'workflow_finished':
      if (event.data.status === 'stopped') turn.status = 'stopped';
      break;
  }
}
