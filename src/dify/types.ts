// Request and response types of Dify's Service API (app key), named as CONTRACT.md §3–§5 names them.
// Knowledge API types live in knowledge-types.ts. Fields Dify may add later are allowed through untyped.

/** `agent` is Dify 1.15's new agent runtime (CONSOLE.md §11.6): a chat app that only streams. */
export type AppMode = 'chat' | 'agent-chat' | 'agent' | 'advanced-chat' | 'completion' | 'workflow';

/** `"{message}"`-style decimal strings: Dify serialises prices as strings (CONTRACT.md §6.10). */
export type DecimalString = string;

export interface AppInfo {
  name: string;
  description: string;
  tags: string[];
  mode: AppMode | (string & {});
  author_name: string;
}

export interface UserInputFieldBase {
  variable: string;
  label: string;
  type?: string;
  required: boolean;
  max_length?: number;
  default?: unknown;
  options?: string[];
  allowed_file_types?: string[];
  allowed_file_extensions?: string[];
  allowed_file_upload_methods?: FileTransferMethod[];
  [key: string]: unknown;
}

export type UserInputFieldType =
  | 'text-input'
  | 'paragraph'
  | 'select'
  | 'number'
  | 'checkbox'
  | 'file'
  | 'file-list'
  | 'json_object'
  | 'external_data_tool';

/** Each entry of `user_input_form` is a one-key object: `{ "<type>": definition }`. */
export type UserInputFormItem = Partial<Record<UserInputFieldType | (string & {}), UserInputFieldBase>>;

export interface FileUploadSettings {
  enabled?: boolean;
  allowed_file_types?: FileType[];
  allowed_file_extensions?: string[];
  allowed_file_upload_methods?: FileTransferMethod[];
  number_limits?: number;
  image?: { enabled: boolean; number_limits?: number; detail?: string; transfer_methods?: FileTransferMethod[] };
  [key: string]: unknown;
}

export interface AppParameters {
  opening_statement: string | null;
  suggested_questions: string[];
  suggested_questions_after_answer: { enabled: boolean };
  speech_to_text: { enabled: boolean };
  text_to_speech: { enabled: boolean; voice?: string; language?: string; autoPlay?: 'enabled' | 'disabled' };
  retriever_resource: { enabled: boolean };
  annotation_reply: { enabled: boolean };
  more_like_this: { enabled: boolean };
  user_input_form: UserInputFormItem[];
  sensitive_word_avoidance: { enabled: boolean; type?: string; configs?: unknown[] };
  file_upload: FileUploadSettings;
  system_parameters: {
    image_file_size_limit: number;
    video_file_size_limit: number;
    audio_file_size_limit: number;
    file_size_limit: number;
    workflow_file_upload_limit: number;
  };
}

export interface AppMeta {
  tool_icons: Record<string, string | { background: string; content: string }>;
}

export interface AppSite {
  title: string;
  chat_color_theme: string | null;
  chat_color_theme_inverted: boolean;
  icon_type: string | null;
  icon: string | null;
  icon_background: string | null;
  icon_url: string | null;
  description: string | null;
  copyright: string | null;
  privacy_policy: string | null;
  custom_disclaimer: string | null;
  default_language: string;
  show_workflow_steps: boolean;
  use_icon_as_answer_icon: boolean;
}

// ---------------------------------------------------------------------------------------------- files

export type FileType = 'image' | 'document' | 'audio' | 'video' | 'custom';
export type FileTransferMethod = 'local_file' | 'remote_url' | 'tool_file' | 'datasource_file';

/** A file reference in `files` or in a file / file-list input (§3.9). Always send the right `type`. */
export type InputFile =
  | { type: FileType; transfer_method: 'local_file'; upload_file_id: string }
  | { type: FileType; transfer_method: 'remote_url'; url: string };

export interface UploadedFile {
  id: string;
  name: string;
  size: number;
  extension: string;
  mime_type: string;
  created_by: string;
  created_at: number;
  preview_url: string | null;
  source_url: string | null;
  original_url?: string | null;
  user_id?: string | null;
  tenant_id?: string;
  conversation_id?: string | null;
  file_key?: string | null;
}

/** A file dict in `message_end.files`. */
export interface MessageEndFile {
  related_id: string;
  extension: string;
  filename: string;
  size: number;
  mime_type: string;
  transfer_method: string;
  type: string;
  url: string;
  upload_file_id: string | null;
  remote_url: string | null;
}

/** A file dict inside workflow outputs and `workflow_finished.files`. */
export interface WorkflowFile {
  dify_model_identity: '__dify__file__';
  id: string | null;
  tenant_id: string;
  type: string;
  transfer_method: string;
  remote_url: string | null;
  related_id: string | null;
  filename: string;
  extension: string;
  mime_type: string;
  size: number;
  url: string | null;
}

// ---------------------------------------------------------------------------------------------- generation

export type ResponseMode = 'streaming' | 'blocking';
export type Inputs = Record<string, unknown>;

export interface ChatMessageRequest {
  query: string;
  /** Required by Dify on every call, even when empty. The client sends `{}` when omitted. */
  inputs?: Inputs;
  conversation_id?: string;
  files?: InputFile[];
  auto_generate_name?: boolean;
  /** advanced-chat only: a published workflow version. */
  workflow_id?: string;
  trace_id?: string;
}

export interface CompletionMessageRequest {
  inputs?: Inputs;
  query?: string;
  files?: InputFile[];
  trace_id?: string;
}

export interface WorkflowRunRequest {
  inputs?: Inputs;
  files?: InputFile[];
  trace_id?: string;
}

export interface Usage {
  prompt_tokens: number;
  prompt_unit_price: DecimalString;
  prompt_price_unit: DecimalString;
  prompt_price: DecimalString;
  completion_tokens: number;
  completion_unit_price: DecimalString;
  completion_price_unit: DecimalString;
  completion_price: DecimalString;
  total_tokens: number;
  total_price: DecimalString;
  currency: string;
  latency: number;
  time_to_first_token: number | null;
  time_to_generate: number | null;
}

/** A citation; any field may be null (§4.3). */
export interface RetrieverResource {
  position: number | null;
  dataset_id: string | null;
  dataset_name: string | null;
  document_id: string | null;
  document_name: string | null;
  data_source_type: string | null;
  segment_id: string | null;
  retriever_from: string | null;
  score: number | null;
  hit_count: number | null;
  word_count: number | null;
  segment_position: number | null;
  index_node_hash: string | null;
  content: string | null;
  page?: number | null;
  doc_metadata?: unknown;
  title?: string | null;
  files?: unknown;
  summary?: string | null;
}

export interface MessageMetadata {
  annotation_reply?: { id: string; account: { id: string; name: string } } | null;
  retriever_resources?: RetrieverResource[];
  usage?: Usage;
}

export interface ChatMessageResponse {
  event: 'message';
  task_id: string;
  id: string;
  message_id: string;
  conversation_id: string;
  mode: AppMode | (string & {});
  answer: string;
  metadata: MessageMetadata;
  created_at: number;
}

/**
 * A blocking chatflow call whose run paused at a human-input node (Dify ≥ 1.14, CONSOLE.md §11.3): this body instead
 * of a `message` one; the answer so far, and the nodes that wait with why (their forms).
 */
export interface PausedChatMessageResponse extends Omit<ChatMessageResponse, 'event'> {
  event: 'workflow_paused';
  workflow_run_id: string;
  data: {
    id: string;
    workflow_run_id: string;
    answer: string;
    paused_nodes: string[];
    reasons: Array<Record<string, unknown>>;
    status: 'paused';
    elapsed_time: number;
    total_tokens: number;
    total_steps: number;
    [key: string]: unknown;
  };
}

export type CompletionMessageResponse = Omit<ChatMessageResponse, 'conversation_id'>;

export type WorkflowRunStatus = 'scheduled' | 'running' | 'succeeded' | 'failed' | 'stopped' | 'partial-succeeded' | 'paused';

export interface WorkflowRunResponse {
  task_id: string;
  workflow_run_id: string;
  data: {
    id: string;
    workflow_id: string;
    status: WorkflowRunStatus;
    outputs: Record<string, unknown> | null;
    error: string | null;
    elapsed_time: number;
    total_tokens: number;
    total_steps: number;
    created_at: number;
    finished_at: number | null;
  };
}

// ---------------------------------------------------------------------------------------------- workflows

export interface WorkflowRunDetail {
  id: string;
  workflow_id: string;
  status: WorkflowRunStatus;
  /** A JSON-encoded string on the wire; the client parses it (falls back to the raw string). */
  inputs: Inputs | string;
  outputs: Record<string, unknown>;
  error: string | null;
  total_steps: number;
  total_tokens: number;
  created_at: number;
  finished_at: number | null;
  elapsed_time: number;
}

export interface WorkflowLogQuery {
  keyword?: string;
  status?: 'succeeded' | 'failed' | 'stopped';
  created_at__before?: string;
  created_at__after?: string;
  created_by_end_user_session_id?: string;
  created_by_account?: string;
  page?: number;
  limit?: number;
}

export interface WorkflowLog {
  id: string;
  workflow_run: {
    id: string;
    version: string;
    status: WorkflowRunStatus;
    triggered_from?: string;
    error: string | null;
    elapsed_time: number;
    total_tokens: number;
    total_steps: number;
    created_at: number;
    finished_at: number | null;
    exceptions_count?: number;
  } | null;
  details?: unknown;
  created_from: string;
  created_by_role: string;
  created_by_account: { id: string; name: string; email: string } | null;
  created_by_end_user: { id: string; type: string; is_anonymous: boolean; session_id: string } | null;
  created_at: number;
}

export interface PagedWithTotal<T> {
  page: number;
  limit: number;
  total: number;
  has_more: boolean;
  data: T[];
}

// ---------------------------------------------------------------------------------------------- annotations, end users

export interface Annotation {
  id: string;
  question: string;
  answer: string;
  hit_count: number;
  created_at: number;
}

export interface EndUser {
  id: string;
  tenant_id: string;
  app_id: string;
  type: string;
  external_user_id: string | null;
  name: string | null;
  is_anonymous: boolean;
  session_id: string;
  created_at: string;
  updated_at: string;
}

export interface ResultSuccess {
  result: 'success';
}
