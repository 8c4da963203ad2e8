// A chatflow's run as Dify's web app shows it with the answer: "Workflow process" and its steps, open while the run
// goes, folded once the answer is done ("Workflow process · 5 steps · 3.2 s"), open when a step failed (with its
// error). A node update changes its one row, so a long run (thousands of node events) costs each event what one
// step costs; a whole turn is compared step by step.
import type { ChatTurn, TurnNode } from '../protocol.js';
import type { ViewContext } from './context.js';
import { el, icon, setLabel } from './dom.js';
import { format } from './strings.js';
import { secondsFigure } from '../core/duration.js';

const NODE_ICONS: Record<TurnNode['status'], [string, string]> = {
  running: ['loading', 'codicon-modifier-spin'],
  succeeded: ['pass-filled', ''],
  failed: ['error', ''],
  exception: ['error', ''],
  stopped: ['circle-slash', ''],
};

const failed = (node: TurnNode): boolean => node.status === 'failed' || node.status === 'exception';

export class NodeSteps {
  readonly element: HTMLDetailsElement;
  private readonly title: HTMLElement;
  private readonly list: HTMLElement;
  private readonly rows = new Map<string, { node: string; row: HTMLElement }>();
  private readonly nodes = new Map<string, TurnNode>();
  private streaming = true;
  private elapsed: number | undefined;
  /** What the view last set `open` to: a toggle to anything else is the user's, and is remembered. */
  private shownOpen: boolean | undefined;

  constructor(
    private readonly ctx: ViewContext,
    private readonly openKey: string,
  ) {
    this.element = el('details', 'turn-process') as HTMLDetailsElement;
    this.title = el('span', 'turn-process-title');
    const summary = el('summary', 'turn-process-summary');
    summary.append(icon('type-hierarchy-sub'), this.title);
    this.list = el('ul', 'turn-nodes');
    this.element.append(summary, this.list);
    this.element.addEventListener('toggle', () => {
      if (this.element.open !== this.shownOpen) ctx.viewState.setOpen(openKey, this.element.open);
    });
  }

  get empty(): boolean {
    return this.nodes.size === 0;
  }

  /** The turn as the host has it: its steps (only changed rows are touched), whether it runs, how long it took. */
  sync(turn: ChatTurn): void {
    const nodes = Array.isArray(turn.nodes) ? turn.nodes.filter((n) => typeof n === 'object' && n !== null && typeof n.id === 'string') : [];
    const ids = new Set(nodes.map((n) => n.id));
    for (const [id, { row }] of this.rows) {
      if (ids.has(id)) continue;
      row.remove();
      this.rows.delete(id);
      this.nodes.delete(id);
    }
    for (const node of nodes) this.row(node);
    this.streaming = turn.status === 'streaming';
    this.elapsed = typeof turn.elapsed === 'number' ? turn.elapsed : undefined;
    this.refresh();
  }

  /** One step started, went on a round, or finished. */
  upsert(node: TurnNode): void {
    this.row(node);
    this.refresh();
  }

  private row(node: TurnNode): void {
    const json = JSON.stringify(node);
    const current = this.rows.get(node.id);
    if (current?.node === json) return;
    const row = this.build(node);
    if (current) current.row.replaceWith(row);
    else this.list.append(row);
    this.rows.set(node.id, { node: json, row });
    this.nodes.set(node.id, node);
  }

  private build(node: TurnNode): HTMLElement {
    const { strings } = this.ctx;
    const names: Record<TurnNode['status'], string> = {
      running: strings.nodeRunning,
      succeeded: strings.nodeSucceeded,
      failed: strings.nodeFailed,
      exception: strings.nodeFailed,
      stopped: strings.nodeStopped,
    };
    const item = el('li', `turn-node node-${node.status}`);
    const [name, modifier] = NODE_ICONS[node.status] ?? NODE_ICONS.running;
    const status = icon(name, modifier);
    status.removeAttribute('aria-hidden');
    status.setAttribute('role', 'img');
    setLabel(status, names[node.status] ?? strings.nodeRunning);
    item.append(status, el('span', 'turn-node-title', String(node.title ?? '')));
    if (typeof node.round === 'number') {
      const rounds = typeof node.rounds === 'number' ? format(strings.nodeRoundOf, String(node.round), String(node.rounds)) : format(strings.nodeRound, String(node.round));
      item.append(el('span', 'turn-node-detail', rounds));
    } else if (node.status !== 'running' && typeof node.rounds === 'number') {
      item.append(el('span', 'turn-node-detail', format(strings.nodeRounds, String(node.rounds))));
    }
    if (node.status !== 'running' && typeof node.elapsed === 'number') item.append(el('span', 'turn-node-detail', seconds(this.ctx, node.elapsed)));
    if (failed(node) && node.error) item.append(el('div', 'turn-node-error', String(node.error)));
    return item;
  }

  private refresh(): void {
    const { strings } = this.ctx;
    const count = this.nodes.size;
    const parts = [strings.workflowProcess];
    if (!this.streaming) {
      parts.push(count === 1 ? strings.processOneStep : format(strings.processSteps, String(count)));
      if (this.elapsed !== undefined) parts.push(seconds(this.ctx, this.elapsed));
    }
    this.title.textContent = parts.join(' · ');
    const anyFailed = [...this.nodes.values()].some(failed);
    this.element.classList.toggle('failed', anyFailed);
    // Open while it runs and when a step failed; folded under a finished answer unless the user opened it.
    const open = this.streaming || anyFailed || this.ctx.viewState.isOpen(this.openKey);
    if (open !== this.shownOpen) {
      this.shownOpen = open;
      this.element.open = open;
    }
  }
}

function seconds(ctx: ViewContext, value: number): string {
  return format(ctx.strings.seconds, secondsFigure(value));
}
