// What a thread of VS Code's Chat view (a chat session) keeps about its Dify side. Each @dify answer carries it in its
// result's metadata, which VS Code stores with the session: a session reopened after a reload continues the same Dify
// conversation, and a new session, whose history is empty, starts a new one.
import type { InputValue } from './input-form.js';

/** What one @dify answer records (ChatResult.metadata). */
export interface DifyTurnMetadata {
  /** The chat app this turn was with (or, for /app, the one chosen). */
  appId?: string;
  conversationId?: string;
  messageId?: string;
  /** The form values the conversation was started with: asked once per session, sent with every message. */
  inputs?: Record<string, InputValue>;
  /** Dify's suggested questions after this answer: the follow-ups. */
  suggestions?: string[];
  /** /knowledge: what was searched and the best hits, for the "Ask" follow-up that sends them with the question. */
  knowledge?: SearchedKnowledge;
  /** The model picked in VS Code's Chat view for this request (a Dify model's id is its app's id). */
  modelId?: string;
}

export interface SearchedKnowledge {
  query: string;
  knowledgeBase: string;
  hits: { document: string; content: string }[];
}

/** A response turn as VS Code's chat history gives it, reduced to what is read here. */
export interface HistoryTurn {
  participant: string;
  result?: { metadata?: unknown };
}

/** The Dify side of a chat session: the app chosen last, and each app's conversation and form values. */
export interface ThreadState {
  appId: string | undefined;
  conversations: Map<string, { conversationId?: string; inputs?: Record<string, InputValue> }>;
  /** The last answer was a /knowledge search: its hits. */
  searched?: SearchedKnowledge;
  /** The model picked for the last request. */
  modelId?: string;
}

const isMetadata = (value: unknown): value is DifyTurnMetadata => typeof value === 'object' && value !== null;

/**
 * Reads the session's history (oldest first): later turns win. Turns of other participants, and request turns (no
 * `result`), are skipped; metadata of an unknown shape counts as none.
 */
export function threadState(history: readonly unknown[], participantId: string): ThreadState {
  const state: ThreadState = { appId: undefined, conversations: new Map() };
  for (const turn of history) {
    if (!isResponse(turn) || turn.participant !== participantId) continue;
    const metadata = turn.result?.metadata;
    state.searched = isMetadata(metadata) && isSearched(metadata.knowledge) ? metadata.knowledge : undefined;
    state.modelId = isMetadata(metadata) && typeof metadata.modelId === 'string' ? metadata.modelId : undefined;
    if (!isMetadata(metadata) || typeof metadata.appId !== 'string') continue;
    state.appId = metadata.appId;
    const known = state.conversations.get(metadata.appId) ?? {};
    if (typeof metadata.conversationId === 'string') known.conversationId = metadata.conversationId;
    if (metadata.inputs && typeof metadata.inputs === 'object') known.inputs = metadata.inputs;
    state.conversations.set(metadata.appId, known);
  }
  return state;
}

const isSearched = (value: unknown): value is SearchedKnowledge =>
  typeof value === 'object' && value !== null && typeof (value as SearchedKnowledge).query === 'string' && Array.isArray((value as SearchedKnowledge).hits);

const isResponse = (turn: unknown): turn is HistoryTurn =>
  typeof turn === 'object' && turn !== null && 'participant' in turn && 'result' in turn && typeof (turn as HistoryTurn).participant === 'string';

/**
 * Which app answers a request (an app id), given the Dify app whose model is picked in the Chat view, if one is: that
 * app when it was just picked (the last request had another model), else the app of the session (chosen with /app,
 * or answering so far), else the picked one. Undefined: the default chat app.
 */
export function appOfRequest(state: ThreadState, pickedApp: string | undefined): string | undefined {
  if (pickedApp && pickedApp !== state.modelId) return pickedApp;
  return state.appId ?? pickedApp;
}

/**
 * The follow-ups an answer offers: Dify's suggested questions, without blanks or repeats; after /knowledge, the
 * question searched (`ask`: asked with the hits).
 */
export function followupPrompts(metadata: unknown): { prompt: string; ask?: SearchedKnowledge }[] {
  if (!isMetadata(metadata)) return [];
  if (isSearched(metadata.knowledge) && metadata.knowledge.hits.length) return [{ prompt: metadata.knowledge.query, ask: metadata.knowledge }];
  const prompts = (Array.isArray(metadata.suggestions) ? metadata.suggestions : []).filter((s): s is string => typeof s === 'string' && s.trim() !== '');
  return [...new Set(prompts.map((s) => s.trim()))].map((prompt) => ({ prompt }));
}

/** The hits of the /knowledge search just before, when `prompt` asks its question (its "Ask" follow-up). */
export function searchedFor(state: ThreadState, prompt: string): SearchedKnowledge | undefined {
  return state.searched && state.searched.query.trim() === prompt.trim() ? state.searched : undefined;
}

/** The metadata of an answer, when it is one of ours with a Dify message (feedback needs both). */
export function answeredMessage(metadata: unknown): { appId: string; messageId: string } | undefined {
  if (!isMetadata(metadata) || typeof metadata.appId !== 'string' || typeof metadata.messageId !== 'string') return undefined;
  return { appId: metadata.appId, messageId: metadata.messageId };
}
