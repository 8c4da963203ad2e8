// The recent runs the "Dify Runs" view lists (workspace state: they hold the workspace's code), and what is
// remembered per app across workspaces (global state): the selection's variable, the output variable and mode,
// the last values asked, and which app was used last. Never a key.
import { randomUUID } from 'node:crypto';
import type { InputValue } from './input-form.js';
import type { KeyValueStore } from './profile-store.js';
import type { OutputMode } from './workflow-output.js';
import type { RunProgress, RunStatus, RunStep } from './workflow-progress.js';

/** A node the run went through, as the run's document lists it. */
export interface RecordedStep {
  title: string;
  type: string;
  status: RunStep['status'];
  seconds?: number;
}

export interface RunRecord {
  id: string;
  appId: string;
  appLabel: string;
  appMode: 'workflow' | 'completion';
  startedAt: number;
  durationMs: number;
  status: Exclude<RunStatus, 'running'>;
  tokens?: number;
  steps?: number;
  /** The nodes in the order they ran (the first MAX_STEPS). */
  nodes?: RecordedStep[];
  inputs: Record<string, unknown>;
  /** An input was too long to keep whole: the run cannot be repeated from the history. */
  inputsTruncated: boolean;
  /** The text that was (or would have been) applied. */
  output?: string;
  outputs?: Record<string, unknown>;
  outputMode: OutputMode;
  error?: string;
  failedNode?: string;
  workflowRunId?: string;
  /** The file the run was on, relative to the workspace ("src/add.py"; only its name in runs kept before). */
  source?: string;
  /** Started by a language model through the workflow tool: its outputs went to the model, `outputMode` is what a rerun does. */
  via?: 'tool';
}

const RUNS = 'dify.workflows.runs';
const MAX_VALUE = 32_000;
const MAX_STEPS = 200;

const cap = (text: string): string => (text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}\n…` : text);

/** A run's steps as the history keeps them. */
export const recordedSteps = (steps: RunStep[]): RecordedStep[] =>
  steps.slice(0, MAX_STEPS).map((s) => ({ title: s.title, type: s.type, status: s.status, seconds: s.elapsedSeconds }));

/** What a run was, apart from how it ended: the app, the inputs, where the output goes, what started it. */
export type RunFacts = Pick<RunRecord, 'appId' | 'appLabel' | 'appMode' | 'inputs' | 'inputsTruncated' | 'outputMode' | 'source' | 'via'>;

/** The record of a run that ended (the progress model's end state); an error or the output is added by the caller. */
export function runRecord(facts: RunFacts, ended: { status: RunRecord['status']; progress: RunProgress }, startedAt: number, durationMs: number): RunRecord {
  const p = ended.progress;
  return {
    id: randomUUID(),
    ...facts,
    startedAt,
    durationMs,
    status: ended.status,
    tokens: p.totalTokens,
    steps: p.totalSteps,
    nodes: recordedSteps(p.steps),
    outputs: p.outputs,
    workflowRunId: p.workflowRunId,
  };
}

/** A run's inputs as they are kept in the workspace state: long strings cut (and then the run cannot be repeated). */
export function keptInputs(inputs: Record<string, unknown>, truncated = false): { inputs: Record<string, unknown>; truncated: boolean } {
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) {
    if (typeof v === 'string' && v.length > MAX_VALUE) truncated = true;
    kept[k] = typeof v === 'string' ? cap(v) : v;
  }
  return { inputs: kept, truncated };
}

export class RunHistory {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly state: KeyValueStore,
    private readonly limit = 30,
  ) {}

  /** Newest first. */
  all(): RunRecord[] {
    return this.state.get<RunRecord[]>(RUNS) ?? [];
  }

  get(id: string): RunRecord | undefined {
    return this.all().find((r) => r.id === id);
  }

  /** Keeps the newest `limit` runs; long values are cut so the workspace state stays small. */
  async add(record: RunRecord): Promise<RunRecord> {
    const { inputs, truncated } = keptInputs(record.inputs, record.inputsTruncated);
    const outputs = record.outputs && JSON.stringify(record.outputs).length > MAX_VALUE ? undefined : record.outputs;
    const stored: RunRecord = { ...record, inputs, inputsTruncated: truncated, output: record.output === undefined ? undefined : cap(record.output), outputs };
    await this.state.update(RUNS, [stored, ...this.all().filter((r) => r.id !== record.id)].slice(0, this.limit));
    this.fire();
    return stored;
  }

  async clear(): Promise<void> {
    await this.state.update(RUNS, []);
    this.fire();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(): void {
    for (const listener of this.listeners) listener();
  }
}

export interface AppChoices {
  /** The variable the selection goes to. */
  selectionVariable?: string;
  outputVariable?: string;
  outputMode?: OutputMode;
  /** The last values typed for asked variables (pre-filled next time). */
  values?: Record<string, InputValue>;
}

const CHOICES = 'dify.workflows.choices';
const LAST_USED = 'dify.workflows.lastUsed';

export class WorkflowChoices {
  constructor(private readonly state: KeyValueStore) {}

  get(appId: string): AppChoices {
    return this.state.get<Record<string, AppChoices>>(CHOICES)?.[appId] ?? {};
  }

  async update(appId: string, patch: AppChoices): Promise<void> {
    const all = this.state.get<Record<string, AppChoices>>(CHOICES) ?? {};
    const current = all[appId] ?? {};
    await this.state.update(CHOICES, { ...all, [appId]: { ...current, ...patch, values: { ...current.values, ...patch.values } } });
  }

  async reset(appId: string): Promise<void> {
    const all = { ...this.state.get<Record<string, AppChoices>>(CHOICES) };
    delete all[appId];
    await this.state.update(CHOICES, all);
  }

  async markUsed(appId: string): Promise<void> {
    await this.state.update(LAST_USED, [appId, ...this.lastUsed().filter((id) => id !== appId)].slice(0, 50));
  }

  lastUsed(): string[] {
    return this.state.get<string[]>(LAST_USED) ?? [];
  }

  /** The apps, the most recently used first, the never-used after them in their own order. */
  byLastUsed<T extends { id: string }>(apps: T[]): T[] {
    const order = this.lastUsed();
    const rank = (id: string): number => {
      const i = order.indexOf(id);
      return i < 0 ? order.length : i;
    };
    return apps.map((app, i) => ({ app, i })).sort((a, b) => rank(a.app.id) - rank(b.app.id) || a.i - b.i).map(({ app }) => app);
  }
}
