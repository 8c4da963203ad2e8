// An agent's steps (tool calls and thoughts) as collapsible <details>, one per thought id: an update replaces the
// step in place and keeps it open or closed as the user left it.
import type { TurnThought } from '../protocol.js';
import type { ViewContext } from './context.js';
import { el, icon } from './dom.js';
import { format } from './strings.js';

/** JSON tool input shown indented; anything else as Dify sent it. */
function pretty(value: string): string {
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return value;
  }
}

function block(label: string, value: string, className: string): HTMLElement {
  const wrap = el('div', `thought-part ${className}`);
  wrap.append(el('div', 'thought-label', label));
  const pre = el('pre', 'thought-text');
  pre.textContent = value;
  wrap.append(pre);
  return wrap;
}

/** Which thoughts are worth a step: tool calls, and thoughts that do not just repeat the answer. */
export function visibleThoughts(thoughts: TurnThought[], answer: string): TurnThought[] {
  return (Array.isArray(thoughts) ? thoughts : []).filter(
    (t) => typeof t === 'object' && t !== null && typeof t.id === 'string' && (!!t.tool || (!!t.thought?.trim() && !answer.includes(t.thought.trim()))),
  );
}

export function thoughtStep(thought: TurnThought, ctx: ViewContext, openKey: string): HTMLDetailsElement {
  const { strings } = ctx;
  const details = el('details', 'thought');
  details.dataset.thoughtId = thought.id;
  details.open = ctx.viewState.isOpen(openKey);
  details.addEventListener('toggle', () => ctx.viewState.setOpen(openKey, details.open));
  const summary = el('summary', 'thought-summary');
  const tool = typeof thought.tool === 'string' ? thought.tool : '';
  summary.append(icon(tool ? 'tools' : 'lightbulb'), el('span', 'thought-title', tool ? format(strings.thoughtTool, tool.split(';').join(', ')) : strings.thoughtThinking));
  details.append(summary);
  if (thought.thought?.trim()) details.append(block(strings.thoughtThinking, thought.thought, 'thought-thinking'));
  if (thought.toolInput?.trim()) details.append(block(strings.thoughtInput, pretty(thought.toolInput), 'thought-input'));
  if (thought.observation?.trim()) details.append(block(strings.thoughtObservation, pretty(thought.observation), 'thought-observation'));
  return details;
}
