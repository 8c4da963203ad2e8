// A run in the user's words: the one-line progress (node, round, steps, elapsed) and the one-sentence failure that
// names the node and the cause.
import * as vscode from 'vscode';
import type { RunFailure } from '../../core/workflow-failure.js';
import type { RunInputProblem } from '../../core/workflow-inputs.js';
import type { InputField } from '../../protocol.js';
import { currentActivity, finishedSteps, type RunContainer, type RunProgress } from '../../core/workflow-progress.js';
import { sentence } from '../../dify/index.js';
import { fromHost } from '../apps/messages.js';
import { duration } from './run-labels.js';
import { eventCount } from '../../platform/counts.js';

function round(container: RunContainer): string {
  return container.kind === 'iteration'
    ? container.total
      ? vscode.l10n.t('{0}: item {1} of {2}', container.title, container.index + 1, container.total)
      : vscode.l10n.t('{0}: item {1}', container.title, container.index + 1)
    : container.total
      ? vscode.l10n.t('{0}: round {1} of {2}', container.title, container.index + 1, container.total)
      : vscode.l10n.t('{0}: round {1}', container.title, container.index + 1);
}

/** "Summarize · 2 steps done · 3.1 s", "Iterate items: item 2 of 3 · Shout item · 4.0 s". */
export function progressMessage(progress: RunProgress, elapsedMs: number): string {
  const parts = activityParts(progress, true);
  const steps = finishedSteps(progress);
  if (steps > 0) parts.push(steps === 1 ? vscode.l10n.t('1 step done') : vscode.l10n.t('{0} steps done', steps));
  parts.push(duration(elapsedMs / 1000));
  return parts.join(' · ');
}

/** What the run does now, without times or counts: a line that changes only when the run moves on (@dify /run). */
export function activityMessage(progress: RunProgress): string {
  return activityParts(progress, false).join(' · ');
}

function activityParts(progress: RunProgress, runningFor: boolean): string[] {
  const now = currentActivity(progress);
  const parts: string[] = [];
  switch (now.kind) {
    case 'starting':
      parts.push(vscode.l10n.t('Starting…'));
      break;
    case 'node': {
      if (now.container) parts.push(round(now.container));
      // A node that works for minutes sends nothing but pings: say how long it has been at it.
      const running = runningFor && now.startedAt !== undefined ? Date.now() - now.startedAt : 0;
      parts.push(running >= 10_000 ? vscode.l10n.t('{0} (running for {1})', now.title, duration(running / 1000)) : now.title);
      break;
    }
    case 'container':
      parts.push(round(now.container));
      break;
    case 'writing':
      parts.push(vscode.l10n.t('Writing…'));
      break;
    case 'done':
      parts.push(vscode.l10n.t('Finishing…'));
      break;
  }
  if (progress.reconnecting) parts.unshift(progress.reconnecting === 'events' ? vscode.l10n.t('Reconnecting…') : vscode.l10n.t('Connection lost; waiting for the result in Dify…'));
  return parts;
}

/** The sentence shown for a failed run of `app`. */
export function failureMessage(failure: RunFailure, app: string): string {
  return fromHost(failureSentence(failure, app), failure.host);
}

function failureSentence(failure: RunFailure, app: string): string {
  const node = failure.node;
  switch (failure.kind) {
    case 'node_failed':
      return vscode.l10n.t('"{0}" failed in node "{1}" ({2}): {3}', app, node!.title, node!.type, failure.cause || vscode.l10n.t('no error text from Dify'));
    case 'run_failed':
      return vscode.l10n.t('"{0}" failed: {1}', app, failure.cause || vscode.l10n.t('no error text from Dify'));
    case 'paused':
      return vscode.l10n.t('"{0}" stopped at a human-input node ({1}) that waits for a person: answer it in Dify. Nothing was changed here.', app, failure.cause);
    case 'error_event':
      return node
        ? vscode.l10n.t('Dify reported an error in "{0}" after node "{1}": {2} ({3})', app, node.title, failure.cause, failure.code ?? '')
        : vscode.l10n.t('Dify reported an error in "{0}": {1} ({2})', app, failure.cause, failure.code ?? '');
    case 'api_error':
      return failure.status === 401
        ? vscode.l10n.t('Dify rejected the key of "{0}". Set the key again from the app\'s "API Access" page.', app)
        : vscode.l10n.t('Dify refused to run "{0}": {1} ({2})', app, failure.cause, failure.code ?? String(failure.status));
    case 'wrong_mode':
      return vscode.l10n.t('The key of "{0}" belongs to an app that is not a workflow or text generator (Dify says: {1}). Test the connection to refresh the app\'s kind.', app, failure.cause);
    case 'rate_limited':
      return vscode.l10n.t('"{0}" hit a Dify rate limit: {1} Wait a moment and retry.', app, sentence(failure.cause));
    case 'stalled':
      return node
        ? vscode.l10n.t('"{0}" stalled in node "{1}": no data from Dify for a while. The run may still be going on in Dify; its result is in the app\'s logs there.', app, node.title)
        : vscode.l10n.t('"{0}" stalled: no data from Dify for a while. The run was stopped.', app);
    case 'no_events':
      return vscode.l10n.t('"{0}" looks hung: Dify sent only keep-alive pings (a known Dify 1.13 problem with invalid inputs). The run was stopped.', app);
    case 'cut':
      return node
        ? vscode.l10n.t('The connection to Dify broke while "{0}" was in node "{1}", after {2}. Retry.', app, node.title, eventCount(failure.events))
        : vscode.l10n.t('The connection to Dify broke during "{0}", after {1}. Retry.', app, eventCount(failure.events));
    case 'still_running':
      return vscode.l10n.t('The connection to Dify broke during "{0}" and the run had no result after waiting for it: it may still be going on in Dify; its result will be in the Runs view\'s server logs.', app);
    case 'malformed':
      return vscode.l10n.t('"{0}" sent data that is not a Dify event; is a proxy rewriting the stream? ({1})', app, failure.cause);
    case 'gateway':
      return vscode.l10n.t('A gateway in front of Dify gave up on "{0}" (HTTP {1}): Dify or its proxy timed out or is overloaded. Retry later.', app, failure.status ?? 0);
    case 'unexpected_response':
    case 'network':
    case 'other':
      return vscode.l10n.t('"{0}" could not run: {1}', app, failure.cause);
  }
}

/**
 * What "Show Details" adds to a failed run's document (whose error is `message`): how it failed, in the terms of
 * Dify's API, and the cause where the message does not already say it (a gateway's page). Never a key.
 */
export function failureFacts(failure: RunFailure, progress: RunProgress, message: string): [string, string | undefined][] {
  return [
    [vscode.l10n.t('Kind'), failure.kind],
    [vscode.l10n.t('Cause'), failure.cause && !message.includes(failure.cause) ? failure.cause : undefined],
    ['HTTP', failure.status === undefined ? undefined : `${failure.status}${failure.code ? ` ${failure.code}` : ''}`],
    ['task_id', progress.taskId],
    [vscode.l10n.t('Events received'), String(failure.events)],
  ];
}

/** The sentence for a value the app's form does not take; `origin` says where the value came from. */
export function inputProblemMessage({ problem, origin, length }: RunInputProblem, app: string, fields: InputField[]): string {
  const label = fields.find((f) => f.variable === problem.variable)?.label ?? problem.variable;
  switch (problem.kind) {
    case 'too_long':
      return origin === 'selection'
        ? vscode.l10n.t('The selection has {0} characters, but "{1}" of "{2}" takes at most {3}. Select less and run again.', length, label, app, problem.maxLength)
        : vscode.l10n.t('"{0}" of "{1}" takes at most {2} characters; it got {3}.', label, app, problem.maxLength, length);
    case 'required':
      return origin === 'context'
        ? vscode.l10n.t('"{0}" of "{1}" is required, but its editor mapping (dify.workflows.contextInputs) gave nothing here.', label, app)
        : vscode.l10n.t('"{0}" of "{1}" is required.', label, app);
    case 'not_a_number':
      return vscode.l10n.t('"{0}" of "{1}" must be a number.', label, app);
    case 'not_an_option':
      return vscode.l10n.t('"{0}" of "{1}" must be one of: {2}.', label, app, problem.options.join(', '));
  }
}
