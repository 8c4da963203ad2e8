// The host side of a long chatflow run, as the product does it: the test Dify server's advancedChatIterations app
// (N iterations × 3 inner nodes, CONTRACT.md §4.3) streamed over a socket into a real ChatSession, whose changes go
// to the view the way ChatController.onSessionChange sends them (src/features/chat/chat-controller.ts, which needs
// VS Code: a `turn` message with the whole turn for a turn change, a `node` message with the one step for a node
// change, text deltas through the real DeltaBatcher, any other message flushing the queued text first). Every message is written, as the JSON VS Code would serialise it, to an
// NDJSON file for the view bench to replay, and its bytes are noted with the stream event it answered.
import { closeSync, openSync, writeSync } from 'node:fs';
import { ChatSession } from '../src/core/chat-session.js';
import { DeltaBatcher } from '../src/core/delta-batcher.js';
import { AppClient, type ChatStreamEvent, type FollowedStream } from '../src/dify/index.js';
import type { HostMessage } from '../src/protocol.js';
import { startDifyServer } from '../test/dify-server/server.js';

export interface ChatflowPosts {
  iterations: number;
  /** Stream events the session handled, and of them node_started / node_finished. */
  events: number;
  nodeEvents: number;
  messages: number;
  turnMessages: number;
  bytes: number;
  /** Bytes of each message, and the index of the stream event being handled when it was posted (-1: before any). */
  messageBytes: number[];
  messageEvent: number[];
  /** Stream event index of each node event, in order. */
  nodeEventAt: number[];
  /** Nodes in the turn at the end of the run. */
  nodes: number;
  answerChars: number;
  status: string;
}

const NODE_EVENTS = new Set(['node_started', 'node_finished']);

/** AppClient whose chat streams report each event before the session sees it. */
class TappedClient extends AppClient {
  onEvent: (event: ChatStreamEvent) => void = () => undefined;

  override async followChatMessage(...args: Parameters<AppClient['followChatMessage']>): Promise<FollowedStream<ChatStreamEvent>> {
    const stream = await super.followChatMessage(...args);
    const iterate = stream[Symbol.asyncIterator].bind(stream);
    const onEvent = (event: ChatStreamEvent) => this.onEvent(event);
    Object.defineProperty(stream, Symbol.asyncIterator, {
      value: (): AsyncIterator<ChatStreamEvent> => {
        const inner = iterate();
        return {
          next: async () => {
            const result = await inner.next();
            if (!result.done) onEvent(result.value);
            return result;
          },
          return: async () => (inner.return ? inner.return() : { value: undefined, done: true }),
        };
      },
    });
    return stream;
  }
}

/** Runs the chatflow and writes every host→view message of it to `file` (one JSON per line). */
export async function recordChatflowPosts(iterations: number, file: string): Promise<ChatflowPosts> {
  const server = await startDifyServer();
  const fd = openSync(file, 'w');
  try {
    const client = new TappedClient({ baseUrl: server.baseUrl, apiKey: server.keys.advancedChatIterations, user: 'bench-user' });
    const session = new ChatSession(client, (error) => ({ message: (error as Error).message, actions: [] }));
    const result: ChatflowPosts = {
      iterations,
      events: 0,
      nodeEvents: 0,
      messages: 0,
      turnMessages: 0,
      bytes: 0,
      messageBytes: [],
      messageEvent: [],
      nodeEventAt: [],
      nodes: 0,
      answerChars: 0,
      status: '',
    };
    client.onEvent = (event) => {
      if (NODE_EVENTS.has(event.event)) result.nodeEventAt.push(result.events);
      result.events++;
    };
    const port = (message: HostMessage) => {
      const json = `${JSON.stringify(message)}\n`;
      const bytes = Buffer.byteLength(json) - 1;
      writeSync(fd, json);
      result.messages++;
      if (message.type === 'turn') result.turnMessages++;
      result.bytes += bytes;
      result.messageBytes.push(bytes);
      result.messageEvent.push(result.events - 1);
    };
    // As ChatController: deltas batched per network read, anything else after the queued text.
    const deltas = new DeltaBatcher((batch) => port({ type: 'delta', ...batch }));
    const post = (message: HostMessage) => {
      deltas.flush();
      port(message);
    };
    session.onDidChange((change) => {
      switch (change.kind) {
        case 'reset':
          throw new Error('the bench chatflow reset its session');
        case 'turn':
          return post({ type: 'turn', turn: change.turn });
        case 'node':
          return post({ type: 'node', turnId: change.turn.id, node: change.node });
        case 'delta':
          return deltas.add(change.turn.id, change.text, change.part);
      }
    });
    const turn = await session.send({ query: 'Process every item.', inputs: { iterations } });
    deltas.flush();
    if (turn.status !== 'done') throw new Error(`the bench chatflow ended ${turn.status}: ${turn.error?.message ?? ''}`);
    result.nodeEvents = result.nodeEventAt.length;
    result.nodes = turn.nodes.length;
    result.answerChars = turn.answer.length;
    result.status = turn.status;
    return result;
  } finally {
    closeSync(fd);
    await server.close();
  }
}

/**
 * Bytes posted per node event over a window of `count` node events starting at node event `first` (0-based): every
 * message posted while handling the stream events from that node event to the last of the window (iteration_next
 * and the like included), divided by `count`.
 */
export function bytesPerNodeEvent(posts: ChatflowPosts, first: number, count: number): number {
  const from = posts.nodeEventAt[first]!;
  const to = posts.nodeEventAt[first + count - 1]!;
  let bytes = 0;
  for (let i = 0; i < posts.messages; i++) if (posts.messageEvent[i]! >= from && posts.messageEvent[i]! <= to) bytes += posts.messageBytes[i]!;
  return bytes / count;
}
