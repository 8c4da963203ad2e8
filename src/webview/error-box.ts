// An error in the user's words, inline where it happened, with a button per action it offers (Retry, Set Key, …):
// under a failed turn, and for the app itself at the top of the view.
import { ERROR_ACTION_LABELS as ACTION_LABELS, type TurnError } from '../protocol.js';
import type { ViewContext } from './context.js';
import { el, icon, textButton } from './dom.js';

/** An error in the user's words with a button per action it offers (inline, announced). */
export function errorBox(error: TurnError, ctx: ViewContext, turnId?: string): HTMLElement {
  const box = el('div', 'error-box');
  box.setAttribute('role', 'alert');
  const message = el('div', 'error-message');
  message.append(icon('error'), el('span', '', typeof error.message === 'string' ? error.message : ''));
  box.append(message);
  const actions = (Array.isArray(error.actions) ? error.actions : []).filter((a) => Object.hasOwn(ACTION_LABELS, a));
  if (actions.length) {
    const row = el('div', 'error-actions');
    for (const action of actions) {
      row.append(
        textButton(ctx.strings[ACTION_LABELS[action]], action === actions[0] ? 'button primary' : 'button secondary', () => {
          if (action !== 'retry' || !turnId) return ctx.post({ type: 'action', action, ...(turnId ? { turnId } : {}) });
          // Retry may be refused (an answer is streaming): the reason shows under the error.
          void ctx.request({ type: 'retry', turnId }).then((reply) => {
            if (!reply.ok && reply.message) box.append(el('div', 'error-refused', reply.message));
          });
        }),
      );
    }
    box.append(row);
  }
  return box;
}
