// The parts of undici the client uses, taken from undici's own modules. undici's index also loads fetch, WebSocket,
// EventSource, caches and mocks (≈520 KB minified, most of the extension bundle and of its load time); the client
// needs only `request` on its own dispatchers. Types come from undici's public declarations.
import type { Agent as AgentType, Dispatcher, ProxyAgent as ProxyAgentType } from 'undici';
import AgentImpl from 'undici/lib/dispatcher/agent.js';
import DispatcherImpl from 'undici/lib/dispatcher/dispatcher.js';
import ProxyAgentImpl from 'undici/lib/dispatcher/proxy-agent.js';
import connectImpl from 'undici/lib/api/api-connect.js';
import requestImpl from 'undici/lib/api/api-request.js';

export const Agent = AgentImpl as unknown as typeof AgentType;
export const ProxyAgent = ProxyAgentImpl as unknown as typeof ProxyAgentType;
/** The base class of a dispatcher that routes to other dispatchers. */
export const DispatcherBase = DispatcherImpl as unknown as typeof Dispatcher;

// undici's index installs its API on every dispatcher; ProxyAgent opens CONNECT tunnels with `connect`.
Object.assign((DispatcherImpl as { prototype: object }).prototype, { connect: connectImpl, request: requestImpl });

const request = requestImpl as unknown as (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

/** `dispatcher.request(options)`, without undici's global dispatcher machinery. */
export function dispatchRequest(dispatcher: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
  return request.call(dispatcher, options);
}

let shared: Dispatcher | undefined;
/** The dispatcher of clients created without one: a plain keep-alive agent. */
export function defaultDispatcher(): Dispatcher {
  return (shared ??= new Agent());
}
