// A human-input form a chatflow paused at (Dify ≥ 1.14), under the answer: the form's text (markdown, the field
// placeholders left out), one input per field, the form's buttons; then what became of it (sending, answered by
// whom, expired, or to be answered in Dify's web app where this Dify cannot take answers from here). What is typed
// survives the form being drawn again.
import type { TurnForm } from '../protocol.js';
import type { ViewContext } from './context.js';
import { el, icon, textButton } from './dom.js';
import { StreamingMarkdown } from './markdown/index.js';
import { format } from './strings.js';

const PLACEHOLDER = /\{\{#\$output\.[^#]*#\}\}/g;

/** The forms of turn `turnId`; `typed` keeps the values being typed, by form and field, across redraws. */
export function humanForms(forms: TurnForm[], turnId: string, ctx: ViewContext, typed: Map<string, string>): HTMLElement {
  const section = el('div', 'turn-forms');
  for (const form of forms) {
    if (typeof form !== 'object' || form === null || typeof form.id !== 'string') continue;
    section.append(humanForm(form, turnId, ctx, typed));
  }
  return section;
}

function humanForm(form: TurnForm, turnId: string, ctx: ViewContext, typed: Map<string, string>): HTMLElement {
  const { strings } = ctx;
  const box = el('section', `turn-form form-${form.state}`);
  box.setAttribute('aria-label', format(strings.formTitle, String(form.nodeTitle ?? '')));
  const title = el('div', 'turn-form-title');
  title.append(icon('person'), el('span', '', format(strings.formTitle, String(form.nodeTitle ?? ''))));
  box.append(title);
  const content = el('div', 'turn-form-content');
  new StreamingMarkdown(content, ctx.markdownHooks, strings).set(String(form.content ?? '').replace(PLACEHOLDER, '').trim());
  box.append(content);
  const open = form.state === 'open';
  const controls: Array<[string, HTMLInputElement | HTMLTextAreaElement]> = [];
  for (const field of Array.isArray(form.fields) ? form.fields : []) {
    const key = `${form.id}:${field.name}`;
    const control = field.type === 'paragraph' ? el('textarea', 'turn-form-input') : el('input', 'turn-form-input');
    if (control instanceof HTMLTextAreaElement) control.rows = 3;
    control.value = typed.get(key) ?? String(field.value ?? '');
    control.disabled = !open;
    control.addEventListener('input', () => typed.set(key, control.value));
    const label = el('label', 'turn-form-field');
    label.append(el('span', 'turn-form-label', String(field.name)), control);
    box.append(label);
    controls.push([field.name, control]);
  }
  const status = el('div', 'turn-form-status');
  status.setAttribute('role', 'status');
  if (open) {
    const row = el('div', 'turn-form-actions');
    for (const action of Array.isArray(form.actions) ? form.actions : []) {
      const button = textButton(String(action.title), action.primary ? 'button primary' : 'button secondary', () => {
        for (const b of Array.from(row.querySelectorAll('button'))) b.disabled = true;
        const inputs = Object.fromEntries(controls.map(([name, control]) => [name, control.value]));
        void ctx.request({ type: 'answerForm', turnId, formId: form.id, action: action.id, inputs }).then((reply) => {
          if (reply.ok) return; // the turn comes back with the form sending, then answered
          for (const b of Array.from(row.querySelectorAll('button'))) b.disabled = false;
          status.textContent = reply.message ?? '';
        });
      });
      row.append(button);
    }
    box.append(row);
    if (typeof form.expiresAt === 'number') status.textContent = format(strings.formUntil, new Date(form.expiresAt * 1000).toLocaleString());
  } else {
    status.textContent =
      form.state === 'sending'
        ? strings.formSending
        : form.state === 'filled'
          ? form.answeredByOthers
            ? strings.formAnsweredByOthers
            : format(strings.formAnswered, String(form.answeredWith ?? ''))
          : form.state === 'expired'
            ? strings.formExpired
            : strings.formElsewhere;
  }
  box.append(status);
  return box;
}
