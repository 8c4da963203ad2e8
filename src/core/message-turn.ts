// A message from Dify's conversation history (GET /messages) as a chat turn, with what this extension recorded of
// it where Dify keeps nothing (a stop, the usage).
import type { MessageItem } from '../dify/index.js';
import type { AnswerRecord } from './chat-session-types.js';
import { newTurn, type ChatTurn } from './chat-turn.js';

export function turnFromMessage(message: MessageItem, id: string, recorded: AnswerRecord | undefined, baseUrl: string): ChatTurn {
  const turn = newTurn(id, message.query);
  turn.attachments = message.message_files
    .filter((f) => f.belongs_to === 'user')
    .map((f) => ({ id: f.id, name: f.filename, size: f.size, fileType: (f.type as ChatTurn['attachments'][number]['fileType']) ?? 'custom' }));
  turn.answer = message.answer;
  turn.messageId = message.id;
  turn.conversationId = message.conversation_id;
  turn.createdAt = message.created_at;
  turn.status = message.status === 'error' ? 'error' : recorded?.stopped ? 'stopped' : 'done';
  turn.usage = recorded?.usage;
  if (message.error) turn.error = { message: message.error, actions: [] };
  turn.feedback = message.feedback?.rating ?? null;
  turn.citations = message.retriever_resources ?? [];
  turn.thoughts = message.agent_thoughts.map((t) => ({
    id: t.id,
    position: t.position,
    thought: t.thought,
    tool: t.tool,
    toolInput: t.tool_input,
    observation: t.observation,
    files: t.files,
  }));
  turn.files = message.message_files.filter((f) => f.belongs_to === 'assistant').map((f) => ({ id: f.id, type: f.type, url: f.url }));
  absoluteFileUrls(turn, baseUrl);
  return turn;
}

/** Dify may send file URLs relative to its origin (no FILES_URL set); the view has no origin to resolve them with. */
export function absoluteFileUrls(turn: ChatTurn, baseUrl: string): void {
  for (const file of turn.files) {
    try {
      file.url = new URL(file.url, baseUrl).href;
    } catch {
      // Leave it as it came: the view shows it as text.
    }
  }
}
