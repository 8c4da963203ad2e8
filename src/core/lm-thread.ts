// A Dify app used as a VS Code language model: VS Code sends the whole thread with every request, Dify keeps a
// conversation's history itself and wants only the new question. So the thread so far (its roles and texts, answer
// included) is hashed after each answer and remembered with the Dify conversation it went to; a request whose earlier
// messages hash to a remembered key continues that conversation. Anything else is a new conversation, with earlier
// messages (from another model, or edited) folded into the question as delimited context. Plain Node: unit-tested.
import { createHash } from 'node:crypto';

export type ThreadRole = 'user' | 'assistant' | 'system';

/** A request message as text: its text parts, and a short note for each part that is not text. */
export interface ThreadMessage {
  role: ThreadRole;
  text: string;
}

/** Where a thread's answers went: the app (a model) and its Dify conversation. */
export interface ThreadConversation {
  appId: string;
  conversationId: string;
}

/** Where remembered threads are looked up (a bounded KeyedMemory in global state, so they survive a reload). */
export interface ThreadMemory {
  get(key: string): ThreadConversation | undefined;
}

/** What to send Dify for a request. */
export interface ThreadPlan {
  /** The Dify `query`. */
  query: string;
  /** The conversation to continue; undefined starts a new one. */
  conversationId: string | undefined;
  /** Earlier messages were folded into `query` (no remembered conversation had them). */
  folded: boolean;
}

/** How much earlier text a new conversation takes as context, at most (newest kept, in characters). */
export const FOLD_LIMIT_CHARS = 24_000;

/** Whitespace differences (CRLF, trailing newlines, a re-rendered answer) do not make another thread. */
const normalise = (text: string): string => text.replace(/\r\n?/g, '\n').replace(/\s+/g, ' ').trim();

/** The key of a thread: a hash of its roles and normalised texts, in order. */
export function threadKey(messages: readonly ThreadMessage[]): string {
  const hash = createHash('sha256');
  for (const m of messages) hash.update(`${m.role}\u0000${normalise(m.text)}\u0001`);
  return hash.digest('base64url');
}

/**
 * Plans a request: the last user message is the question; the messages before it either continue a remembered
 * conversation of the same app or are folded into the question (always, without `memory`: the conversation
 * remembered is gone). Throws NoQuestionError when there is no user message with text.
 */
export function planRequest(messages: readonly ThreadMessage[], appId: string, memory: ThreadMemory | undefined): ThreadPlan {
  const last = lastUserIndex(messages);
  if (last < 0) throw new NoQuestionError();
  const question = messages[last]!.text.trim();
  const earlier = messages.slice(0, last);
  if (earlier.length === 0) return { query: question, conversationId: undefined, folded: false };
  const known = memory?.get(threadKey(earlier));
  if (known && known.appId === appId) return { query: question, conversationId: known.conversationId, folded: false };
  return { query: foldHistory(earlier, question), conversationId: undefined, folded: true };
}

/** The key to remember after an answer: the messages sent, and the answer as the thread will show it. */
export function answeredKey(messages: readonly ThreadMessage[], answer: string): string {
  return threadKey([...messages, { role: 'assistant', text: answer }]);
}

/** The request has no question to send: no user message, or one with no text. */
export class NoQuestionError extends Error {
  constructor() {
    super('The request has no user message with text.');
  }
}

function lastUserIndex(messages: readonly ThreadMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.role === 'user') return messages[i]!.text.trim() ? i : -1;
  }
  return -1;
}

const SPEAKER: Record<ThreadRole, string> = { user: 'User', assistant: 'Assistant', system: 'Instructions' };

/**
 * Earlier messages as clearly delimited context before the question, newest kept when they are longer than
 * FOLD_LIMIT_CHARS (an elision mark says so). Sent to the app's model, so in plain English, not localised.
 */
export function foldHistory(earlier: readonly ThreadMessage[], question: string): string {
  const blocks: string[] = [];
  let size = 0;
  let elided = false;
  for (let i = earlier.length - 1; i >= 0; i--) {
    const m = earlier[i]!;
    const text = m.text.trim();
    if (!text) continue;
    const block = `${SPEAKER[m.role]}: ${text}`;
    if (size + block.length > FOLD_LIMIT_CHARS) {
      const room = FOLD_LIMIT_CHARS - size;
      // A long newest message keeps its end (nearest the question); older messages no longer fit.
      if (blocks.length === 0 && room > 0) blocks.unshift(`${SPEAKER[m.role]}: …${text.slice(text.length - room)}`);
      elided = true;
      break;
    }
    blocks.unshift(block);
    size += block.length + 2;
  }
  if (blocks.length === 0) return question;
  return [
    '<earlier_conversation>',
    'The conversation so far, for context (it happened outside this Dify conversation):',
    ...(elided ? ['[Older messages left out.]'] : []),
    blocks.join('\n\n'),
    '</earlier_conversation>',
    '',
    question,
  ].join('\n');
}
