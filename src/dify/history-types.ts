// Messages, feedback, conversations and conversation variables (CONTRACT.md §3.5, §3.6), named as Dify names them.
import type { Inputs, RetrieverResource } from './types.js';

export interface Paged<T> {
  limit: number;
  has_more: boolean;
  data: T[];
}

export interface MessageFileItem {
  id: string;
  filename: string;
  type: string;
  url: string;
  mime_type: string;
  size: number;
  transfer_method: string;
  belongs_to: 'user' | 'assistant';
  upload_file_id: string | null;
}

export interface AgentThoughtItem {
  id: string;
  chain_id: string | null;
  message_id: string;
  position: number;
  thought: string;
  tool: string;
  tool_labels: Record<string, Record<string, string>>;
  tool_input: string;
  created_at: number;
  observation: string;
  files: string[];
}

export type FeedbackRating = 'like' | 'dislike';

export interface MessageItem {
  id: string;
  conversation_id: string;
  parent_message_id: string | null;
  inputs: Inputs;
  query: string;
  answer: string;
  feedback: { rating: FeedbackRating | null } | null;
  retriever_resources: RetrieverResource[];
  created_at: number;
  agent_thoughts: AgentThoughtItem[];
  message_files: MessageFileItem[];
  status: 'normal' | 'error' | 'paused';
  error: string | null;
  extra_contents?: unknown[];
}

export interface AppFeedback {
  id: string;
  app_id: string;
  conversation_id: string;
  message_id: string;
  rating: FeedbackRating;
  content: string | null;
  from_source: 'user' | 'admin';
  from_end_user_id: string | null;
  from_account_id: string | null;
  /** ISO-8601, unlike everywhere else. */
  created_at: string;
  updated_at: string;
}

export interface Conversation {
  id: string;
  name: string;
  inputs: Inputs;
  status: string;
  introduction: string | null;
  created_at: number;
  updated_at: number;
}

export type ConversationSortBy = 'created_at' | '-created_at' | 'updated_at' | '-updated_at';

export interface ConversationVariable {
  id: string;
  name: string;
  value_type: string;
  /** Python `str(value)`: objects come back as repr strings, booleans as "True"/"False". */
  value: string;
  description: string | null;
  created_at: number;
  updated_at: number;
}
