// Bulk state for scale tests: many conversations of one app and end user, as if the user had chatted for months.
// Each conversation has one exchange; times are spread into the past, newest last created.
import { uuid } from '../pyfmt.js';
import type { Apps } from './context.js';
import type { AppHandle } from './fixtures.js';

export function seedConversations(apps: Apps, handle: AppHandle, user: string, count: number): string[] {
  const { state } = apps;
  const app = state.apps.find((a) => a.handle === handle);
  if (!app) throw new Error(`no app ${handle}`);
  const endUser = state.endUser(app, user);
  const ids: string[] = [];
  const start = state.clock.now() - count * 60_000;
  for (let i = 1; i <= count; i++) {
    const at = start + i * 60_000;
    const id = uuid();
    const messageId = uuid();
    const query = `Question ${i}`;
    state.messages.set(messageId, {
      id: messageId,
      appId: app.id,
      conversationId: id,
      endUserId: endUser.id,
      inputs: {},
      query,
      answer: `Answer ${i}`,
      createdAt: at,
      retrieverResources: [],
      agentThoughts: [],
      files: [],
      status: 'normal',
      error: null,
      suggested: [],
    });
    state.conversations.set(id, {
      id,
      appId: app.id,
      mode: app.mode,
      endUserId: endUser.id,
      name: `Conversation ${i}`,
      inputs: {},
      introduction: '',
      createdAt: at,
      updatedAt: at,
      messages: [state.messages.get(messageId)!],
      variables: [],
      firstQuery: '',
    });
    ids.push(id);
  }
  return ids;
}
