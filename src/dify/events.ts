// Dify's stream events (CONTRACT.md §4.2–§4.4), named as Dify names them.
import type { Inputs, MessageEndFile, MessageMetadata, WorkflowFile, WorkflowRunStatus } from './types.js';

/** Envelope keys of chat-type events (§4.2). Completion events have no conversation_id. */
interface ChatEnvelope {
  conversation_id: string;
  message_id: string;
  created_at: number;
  task_id: string;
}

export interface MessageEvent extends ChatEnvelope {
  event: 'message';
  id: string;
  /** A text delta; may be empty. */
  answer: string;
  from_variable_selector: string[] | null;
}

export interface AgentMessageEvent extends ChatEnvelope {
  event: 'agent_message';
  id: string;
  answer: string;
}

/** Upsert by `id`: the same thought is sent several times as it fills in. */
export interface AgentThoughtEvent extends ChatEnvelope {
  event: 'agent_thought';
  id: string;
  position: number;
  thought: string;
  observation: string;
  tool: string;
  tool_labels: Record<string, Record<string, string>>;
  tool_input: string;
  message_files: string[];
}

export interface MessageFileEvent extends ChatEnvelope {
  event: 'message_file';
  id: string;
  type: string;
  belongs_to: 'assistant' | 'user';
  /** Signed, short-lived, possibly relative to the server origin. */
  url: string;
}

export interface MessageEndEvent extends ChatEnvelope {
  event: 'message_end';
  id: string;
  metadata: MessageMetadata;
  files: MessageEndFile[] | null;
}

/**
 * Dify 1.15 (CONSOLE.md §11.4): an LLM node with "separated" reasoning output streams its chain of thought here, and
 * the answer then has no `<think>`. The final chunk (`is_final`) may be empty: thinking finished.
 */
export interface ReasoningChunkEvent extends ChatEnvelope {
  event: 'reasoning_chunk';
  data: { message_id: string | null; reasoning: string; node_id: string; is_final: boolean };
}

export interface MessageReplaceEvent extends ChatEnvelope {
  event: 'message_replace';
  answer: string;
  reason: string;
}

export interface TtsMessageEvent extends ChatEnvelope {
  event: 'tts_message' | 'tts_message_end';
  audio: string;
}

interface WorkflowEnvelope {
  task_id: string;
  workflow_run_id: string;
  /** Present when the workflow runs inside a chatflow (advanced-chat). */
  conversation_id?: string;
  message_id?: string;
}

export interface WorkflowStartedEvent extends WorkflowEnvelope {
  event: 'workflow_started';
  data: { id: string; workflow_id: string; inputs: Inputs; created_at: number; reason?: 'initial' | 'resumption' };
}

export type NodeStatus = 'succeeded' | 'failed' | 'exception' | 'stopped' | 'running';

export interface NodeStartedData {
  id: string;
  node_id: string;
  node_type: string;
  title: string;
  index: number;
  predecessor_node_id: string | null;
  inputs: Inputs | null;
  created_at: number;
  extras?: Record<string, unknown>;
  iteration_id: string | null;
  loop_id: string | null;
  [key: string]: unknown;
}

export interface NodeFinishedData extends NodeStartedData {
  process_data: unknown;
  outputs: Record<string, unknown> | null;
  status: NodeStatus;
  error: string | null;
  elapsed_time: number;
  execution_metadata: Record<string, unknown> | null;
  finished_at: number;
  files: WorkflowFile[];
}

export interface NodeStartedEvent extends WorkflowEnvelope {
  event: 'node_started';
  data: NodeStartedData;
}

export interface NodeFinishedEvent extends WorkflowEnvelope {
  event: 'node_finished' | 'node_retry';
  data: NodeFinishedData;
}

export interface ContainerNodeData {
  id: string;
  node_id: string;
  node_type: string;
  title: string;
  created_at: number;
  index?: number;
  outputs?: Record<string, unknown> | null;
  status?: NodeStatus;
  error?: string | null;
  elapsed_time?: number;
  steps?: number;
  [key: string]: unknown;
}

export interface IterationEvent extends WorkflowEnvelope {
  event: 'iteration_started' | 'iteration_next' | 'iteration_completed';
  data: ContainerNodeData;
}

export interface LoopEvent extends WorkflowEnvelope {
  event: 'loop_started' | 'loop_next' | 'loop_completed';
  data: ContainerNodeData;
}

export interface TextChunkEvent {
  event: 'text_chunk';
  task_id: string;
  workflow_run_id: string;
  data: { text: string; from_variable_selector: string[] | null };
}

export interface TextReplaceEvent {
  event: 'text_replace';
  task_id: string;
  workflow_run_id: string;
  data: { text: string };
}

export interface WorkflowFinishedData {
  id: string;
  workflow_id: string;
  status: Exclude<WorkflowRunStatus, 'scheduled' | 'running' | 'paused'>;
  outputs: Record<string, unknown> | null;
  error: string | null;
  elapsed_time: number;
  total_tokens: number;
  total_steps: number;
  created_by?: { id: string; user: string };
  created_at: number;
  finished_at: number;
  exceptions_count?: number;
  files?: WorkflowFile[];
}

export interface WorkflowFinishedEvent extends WorkflowEnvelope {
  event: 'workflow_finished';
  data: WorkflowFinishedData;
}

export interface WorkflowPausedEvent extends WorkflowEnvelope {
  event: 'workflow_paused';
  data: { workflow_run_id: string; status: 'paused'; [key: string]: unknown };
}

/** One field of a human-input form: the node's output variable the person fills in. */
export interface HumanInputField {
  type: string;
  output_variable_name: string;
  default?: unknown;
}

/** A button of a human-input form; its `id` is the `action` submitted. */
export interface HumanInputAction {
  id: string;
  title: string;
  button_style?: string;
}

/** A run paused at a human-input node for this form (CONTRACT §4.3; the form_token is 1.14+, CONSOLE §11.2). */
export interface HumanInputRequiredData {
  form_id: string;
  node_id: string;
  node_title: string;
  /** Markdown, with `{{#$output.<variable>#}}` where each field goes. */
  form_content: string;
  inputs: HumanInputField[];
  actions: HumanInputAction[];
  display_in_ui: boolean;
  /** What POST /form/human_input/{form_token} answers; null on Dify 1.13 (no Service API for forms). */
  form_token: string | null;
  resolved_default_values: Record<string, unknown>;
  /** Unix seconds. */
  expiration_time: number | null;
}

/** An event this client does not know yet (forward compatible: passed through untouched). */
export interface UnknownStreamEvent {
  event: string & {};
  [key: string]: unknown;
}

export type WorkflowStreamEvent =
  | WorkflowStartedEvent
  | NodeStartedEvent
  | NodeFinishedEvent
  | IterationEvent
  | LoopEvent
  | TextChunkEvent
  | TextReplaceEvent
  | WorkflowFinishedEvent
  | WorkflowPausedEvent;

export type ChatStreamEvent =
  | MessageEvent
  | ReasoningChunkEvent
  | AgentMessageEvent
  | AgentThoughtEvent
  | MessageFileEvent
  | MessageEndEvent
  | MessageReplaceEvent
  | TtsMessageEvent
  | WorkflowStreamEvent;

export type CompletionStreamEvent = MessageEvent | MessageFileEvent | MessageEndEvent | MessageReplaceEvent | TtsMessageEvent;

/** Every event the client can yield. `error` events never reach the caller: they are thrown as DifyApiError. */
export type DifyStreamEvent = ChatStreamEvent | UnknownStreamEvent;
