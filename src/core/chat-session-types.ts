// What a chat session is made of and told about, apart from the session itself (chat-session.ts): the draft and
// what a send carries, the changes it tells, and the stores it keeps answers' details in across reloads.
import type { InputFile, Inputs, Usage } from '../dify/index.js';
import type { ChatTurn, TurnAttachment, TurnError, TurnNode } from './chat-turn.js';

/** A file ready to go with the next question: what the user sees, and the reference Dify gets. */
export interface DraftAttachment extends TurnAttachment {
  file: InputFile;
}

export interface Draft {
  text: string;
  attachments: DraftAttachment[];
}

export interface SendRequest {
  query: string;
  inputs?: Inputs;
  attachments?: DraftAttachment[];
}

/** What changed: everything, one turn, one node step of a turn, or text appended to a turn's answer (or reasoning). */
export type SessionChange =
  | { kind: 'reset' }
  /** The conversation's id, or whether one is being started, changed (the inputs form locks or unlocks). */
  | { kind: 'conversation' }
  | { kind: 'turn'; turn: ChatTurn }
  /** One step of a chatflow's run started, went on (a round) or finished. */
  | { kind: 'node'; turn: ChatTurn; node: TurnNode }
  | { kind: 'delta'; turn: ChatTurn; text: string; part?: 'reasoning' };

/** Turns an error into what the user sees (the VS Code layer localises it and picks the actions). */
export type DescribeError = (error: unknown) => TurnError;

/** What Dify's message list does not keep about an answer, recorded here when it ends: shown again when reopened. */
export interface AnswerRecord {
  stopped?: boolean;
  usage?: Usage;
}

export interface AnswerRecords {
  get(messageId: string): AnswerRecord | undefined;
  remember(messageId: string, record: AnswerRecord): void;
}

export interface ChatSessionOptions {
  /** Ask Dify for suggested questions after each answer (the app's `suggested_questions_after_answer`). */
  suggestAfterAnswer?: boolean;
  /** Where finished answers' stop and usage are kept (across reloads) for when their conversation is reopened. */
  answers?: AnswerRecords;
  /** Where the answer streaming now is noted (across reloads), by conversation: one left by a reload is followed on. */
  streaming?: StreamingAnswers;
}

/** An answer that was streaming: its message, and its chatflow run when it has one. */
export interface StreamingAnswer {
  messageId: string;
  workflowRunId?: string;
}

export interface StreamingAnswers {
  get(conversationId: string): StreamingAnswer | undefined;
  /** Notes the answer streaming in the conversation; undefined: none any more. */
  set(conversationId: string, answer: StreamingAnswer | undefined): void;
}
