// Problems and errors in the user's words: what failed, where, and what to do about it.
import * as vscode from 'vscode';
import type { ConnectionProblem } from '../../core/connection-check.js';
import {
  DifyApiError,
  DifyError,
  DifyNetworkError,
  DifyRateLimitError,
  DifyStreamError,
  DifyUnexpectedResponseError,
  DifyWorkflowRunError,
  formatSeconds,
  sentence,
} from '../../dify/index.js';

/** The sentence for a failed connection check. */
export function problemMessage(problem: ConnectionProblem): string {
  switch (problem.kind) {
    case 'invalid_url':
      return vscode.l10n.t('That is not a valid URL. Use the API URL of your Dify, e.g. https://api.dify.ai/v1.');
    case 'missing_v1':
      return vscode.l10n.t('No Dify API at this URL: the API URL ends with /v1. Use {0}.', problem.suggestedUrl);
    case 'console_url':
      return problem.suggestedUrl
        ? vscode.l10n.t('This is the Dify console or web app URL, not the API URL. Use {0}.', problem.suggestedUrl)
        : vscode.l10n.t('This is a web page, not the Dify API. Use the API URL shown on the app\'s "API Access" page.');
    case 'wrong_key_kind':
      return problem.expected === 'app'
        ? vscode.l10n.t('This is a knowledge (dataset) key. Add it with "Dify: Add Knowledge Key", or paste the app\'s key from its "API Access" page.')
        : vscode.l10n.t('This is an app key. A knowledge key starts with "dataset-": create one under Knowledge → API in Dify.');
    case 'invalid_key':
      return vscode.l10n.t('Dify rejected the key: it is wrong, revoked, or belongs to another Dify server. Copy it again from the app\'s "API Access" page.');
    case 'app_disabled':
      return vscode.l10n.t('Dify refused access: {0} Turn on the app\'s "Backend service API" in Dify, or check the workspace.', problem.detail);
    case 'app_unavailable':
      return vscode.l10n.t('The app is unavailable: {0} Publish the app in Dify and try again.', problem.detail);
    case 'network':
      return errorMessage(problem.error);
    case 'other':
      return errorMessage(problem.error);
  }
}

/** The sentence for any error from the Dify client, with VS Code's own setting names where they are the fix. */
export function errorMessage(error: unknown): string {
  if (error instanceof DifyNetworkError) {
    switch (error.kind) {
      case 'certificate':
        return vscode.l10n.t(
          'The certificate of {0} is not trusted. Set "dify.network.extraCaFile" to your organisation\'s CA certificate (PEM), or, only on a network you trust, turn off "http.proxyStrictSSL".',
          error.host,
        );
      case 'proxy':
        return vscode.l10n.t('The proxy failed ({0}). Check "http.proxy" and "http.noProxy" in your settings.', error.message);
      case 'refused':
        return vscode.l10n.t('Cannot connect to {0}: connection refused. Check the URL and that Dify is running.', error.host);
      case 'dns':
        return vscode.l10n.t('Cannot find {0}. Check the URL, your network, or "http.proxy".', error.host);
      case 'timeout':
        return vscode.l10n.t('{0} did not answer in time. Check your network or "http.proxy".', error.host);
      default:
        return error.message;
    }
  }
  if (error instanceof DifyApiError) return fromHost(apiErrorMessage(error), error.host);
  if (error instanceof DifyUnexpectedResponseError) return fromHost(unexpectedResponseMessage(error), error.host);
  if (error instanceof DifyStreamError) return fromHost(streamErrorMessage(error), error.host);
  if (error instanceof DifyError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** A sentence about what a server answered, naming that server: a user with two Difys knows which one it was. */
export function fromHost(text: string, host: string | undefined): string {
  return host ? vscode.l10n.t('{0} (Dify at {1})', text, host) : text;
}

function streamErrorMessage(error: DifyStreamError): string {
  switch (error.kind) {
    case 'stalled':
      return error.runningNode
        ? vscode.l10n.t('No data from Dify for a while, while node "{0}" was running: the stream stalled. The run may still be going on in Dify.', error.runningNode)
        : vscode.l10n.t('No data from Dify for a while: the stream stalled. Retry.');
    case 'no_events':
      return vscode.l10n.t('Dify sent only keep-alive pings and no events: the run looks hung (a known Dify 1.13 problem) and was stopped. Retry.');
    case 'malformed':
      return vscode.l10n.t('Dify sent data that is not an event. Is a proxy rewriting the stream?');
    case 'ended_early':
      return vscode.l10n.t('The answer from Dify stopped before it was complete. Retry.');
    case 'still_running':
      return vscode.l10n.t('The connection to Dify broke and the answer was not there after waiting for it: it may still be going on in Dify. Open the conversation again later.');
  }
}

/** Dify's own error (its JSON body): Dify's message, with what to do for the codes that have a fix. */
function apiErrorMessage(error: DifyApiError): string {
  const said = error.difyMessage || error.code;
  if (error instanceof DifyRateLimitError) {
    return error.retryAfterMs !== undefined
      ? vscode.l10n.t('Dify is limiting requests: {0} Try again in {1}.', sentence(said), formatSeconds(error.retryAfterMs))
      : vscode.l10n.t('Dify is limiting requests: {0} Try again in a moment.', sentence(said));
  }
  if (error instanceof DifyWorkflowRunError) {
    return error.failedNode
      ? vscode.l10n.t('The run failed in node "{0}": {1}', error.failedNode.title, said)
      : vscode.l10n.t('The run failed: {0}', said);
  }
  switch (error.code) {
    case 'unauthorized':
      return vscode.l10n.t('Dify rejected the key: {0} Check that the key belongs to this app or knowledge base and to this server.', said);
    case 'app_unavailable':
      return vscode.l10n.t('The app is unavailable: {0} Publish the app in Dify and try again.', said);
    case 'not_chat_app':
      return vscode.l10n.t('This key belongs to an app that is not a chat app.');
    case 'not_workflow_app':
      return vscode.l10n.t('This key belongs to an app that is not a workflow app.');
    case 'provider_not_initialize':
    case 'provider_quota_exceeded':
    case 'model_currently_not_support':
      return vscode.l10n.t('The model cannot answer: {0} Check the model provider in Dify.', said);
    default:
      return vscode.l10n.t('Dify refused the request ({0} {1}): {2}', error.status, error.code, said);
  }
}

/** An answer that is not Dify's JSON: a proxy's or gateway's page, or a URL that is not the API. */
function unexpectedResponseMessage(error: DifyUnexpectedResponseError): string {
  const { status } = error;
  if (status === 404) return vscode.l10n.t('HTTP 404 for {0}: this URL is not a Dify API route. The API URL ends with /v1 (e.g. https://api.dify.ai/v1).', error.endpoint);
  if (status >= 200 && status < 300) return vscode.l10n.t('A web page came back for {0}, not the Dify API. Is the URL the API URL (ending in /v1), not the console or web app URL?', error.endpoint);
  if (status === 413) return vscode.l10n.t('The request was too large for the server or a proxy in front of it (HTTP 413).');
  if (status === 502 || status === 503 || status === 504) return vscode.l10n.t('HTTP {0} from a gateway or proxy in front of Dify: Dify or its proxy is down or overloaded. Retry later.', status);
  return vscode.l10n.t('HTTP {0} for {1}, not an answer from Dify. A proxy or gateway may be in the way.', status, error.endpoint);
}
