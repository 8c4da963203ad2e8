// The Dify client: plain Node, no 'vscode'. Usable on its own.
export { AppClient, type AppClientOptions } from './apps.js';
export { KnowledgeClient, type KnowledgeClientOptions } from './knowledge.js';
export { ConsoleClient, consoleOrigin, detectConsole, serviceApiBaseUrl, type ConsoleClientOptions, type StoredConsoleSession } from './console.js';
export type * from './console-types.js';
export { DifyEventStream } from './sse.js';
export { FollowedStream, followChatAnswer, followChatRun, followWorkflowRun, type FollowOptions, type FollowSettings, type ReconnectInfo } from './follow-run.js';
export { caCertificates, createDispatcher, describeNetworkSettings, maskProxyUrl, proxyFor, type NetworkSettings } from './dispatcher.js';
export {
  DEFAULT_TIMEOUTS,
  sleep,
  type CallOptions,
  type DifyClientOptions,
  type DifyTimeouts,
  type RequestLogEntry,
  type RetryOptions,
} from './http.js';
export type { FileSource } from './upload.js';
export * from './errors.js';
export type * from './types.js';
export type * from './events.js';
export type * from './history-types.js';
export type * from './knowledge-types.js';
