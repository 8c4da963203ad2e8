// The `agent` app mode ("New Agent", the Dify Agent runtime; 1.15, CONSOLE §11 item 6), seeded as `newAgent` on
// 1.15 only (on 1.13.2 the mode does not exist: the app is not seeded and its key is unknown, 401).
// `/chat-messages` streams when response_mode is omitted, unlike every other mode; "blocking" is refused with
// 400 bad_request. The conversation endpoints accept it (CHAT_MODES). What the runtime streams is not described in
// CONSOLE §11: this server streams it like agent-chat (agent_thought upserts, agent_message deltas, message_end).
import { errors } from '../router.js';
import type { ChatPayload } from './chat.js';

/** The payload of an agent-mode chat: streaming unless "blocking" was asked for, which is refused. */
export function agentModePayload(payload: ChatPayload): ChatPayload {
  if (payload.responseMode === 'blocking') throw errors.badRequest('Agent App only supports streaming response mode.');
  return { ...payload, streaming: true };
}
