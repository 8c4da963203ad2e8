// The "Dify Runs" view: this workspace's recent runs (app, how long ago, file, output mode, status, duration; the
// run's document on click; re-run inline) and, under "Server Logs", each workflow app's runs as Dify's
// /workflows/logs pages them. The times say "5 minutes ago": they are written again when the view shows and each
// minute while it is visible.
import * as vscode from 'vscode';
import { touches, type AppProfile, type ProfileStore } from '../../core/profile-store.js';
import type { RunHistory, RunRecord } from '../../core/workflow-history.js';
import { PagedItems } from '../../core/knowledge-pages.js';
import type { WorkflowLog } from '../../dify/index.js';
import type { DifyConnections } from '../apps/connections.js';
import { errorMessage } from '../apps/messages.js';
import { tokenCount } from '../../platform/counts.js';
import { redrawWhileVisible } from '../../platform/while-visible.js';
import { absoluteTime, duration, outputModeLabel, outputModeName, statusLabel, timeAgo } from './run-labels.js';

const STATUS_ICONS: Record<string, [string, string?]> = {
  succeeded: ['pass', 'testing.iconPassed'],
  'partial-succeeded': ['pass', 'list.warningForeground'],
  failed: ['error', 'testing.iconFailed'],
  stopped: ['debug-stop'],
  paused: ['debug-pause', 'list.warningForeground'],
  running: ['loading~spin'],
};

const icon = (status: string): vscode.ThemeIcon => {
  const [id, color] = STATUS_ICONS[status] ?? ['circle-outline'];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
};

const tokens = (n: number | undefined): string | undefined => (n ? tokenCount(n) : undefined);

export class RunItem extends vscode.TreeItem {
  constructor(readonly record: RunRecord) {
    super(record.appLabel, vscode.TreeItemCollapsibleState.None);
    this.id = `run:${record.id}`;
    // A success shows as its icon; any other end is said.
    const status = record.status === 'succeeded' ? undefined : statusLabel(record.status);
    this.description = [timeAgo(record.startedAt), record.source, record.via === 'tool' ? vscode.l10n.t('chat tool') : outputModeName(record.outputMode), status, duration(record.durationMs / 1000)].filter(Boolean).join(' · ');
    this.iconPath = icon(record.status);
    this.tooltip = [
      `${record.appLabel} · ${statusLabel(record.status)}`,
      absoluteTime(record.startedAt),
      record.source,
      record.via === 'tool' ? vscode.l10n.t('Run by a language model (chat tool)') : outputModeLabel(record.outputMode),
      [duration(record.durationMs / 1000), tokens(record.tokens)].filter(Boolean).join(' · '),
      record.error,
    ].filter(Boolean).join('\n');
    this.accessibilityInformation = { label: [record.appLabel, statusLabel(record.status), this.description].join(', ') };
    this.contextValue = record.inputsTruncated ? 'dify.run' : 'dify.run.repeatable';
    this.command = { command: 'dify.showWorkflowRun', title: vscode.l10n.t('Show Run'), arguments: [this] };
  }
}

class ServerLogsNode extends vscode.TreeItem {
  constructor() {
    super(vscode.l10n.t('Server Logs'), vscode.TreeItemCollapsibleState.Collapsed);
    this.id = 'server-logs';
    this.iconPath = new vscode.ThemeIcon('cloud');
    this.tooltip = vscode.l10n.t("Each workflow app's runs as Dify keeps them (all users of the key), newest first.");
  }
}

class AppLogsNode extends vscode.TreeItem {
  constructor(readonly profile: AppProfile) {
    super(profile.label, vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `logs:${profile.id}`;
    this.iconPath = new vscode.ThemeIcon('run-all');
    this.contextValue = 'dify.runLogsApp';
  }
}

class LogItem extends vscode.TreeItem {
  constructor(
    readonly profile: AppProfile,
    readonly log: WorkflowLog,
  ) {
    const run = log.workflow_run;
    super(timeAgo(log.created_at * 1000), vscode.TreeItemCollapsibleState.None);
    this.id = `log:${profile.id}:${log.id}`;
    this.description = run ? [statusLabel(run.status), duration(run.elapsed_time), tokens(run.total_tokens)].filter(Boolean).join(' · ') : '';
    this.iconPath = icon(run?.status ?? '');
    this.tooltip = [absoluteTime(log.created_at * 1000), run?.error, log.created_by_end_user?.session_id && vscode.l10n.t('by {0}', log.created_by_end_user.session_id)].filter(Boolean).join('\n');
    if (run) this.command = { command: 'dify.showServerWorkflowRun', title: vscode.l10n.t('Show Run'), arguments: [profile.id, run.id] };
  }
}

class MoreLogsItem extends vscode.TreeItem {
  constructor(readonly profile: AppProfile) {
    super(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
    this.id = `more:${profile.id}`;
    this.command = { command: 'dify.loadMoreWorkflowLogs', title: vscode.l10n.t('Load more…'), arguments: [profile.id] };
  }
}

class NoticeItem extends vscode.TreeItem {
  constructor(id: string, message: string) {
    super(message, vscode.TreeItemCollapsibleState.None);
    this.id = id;
  }
}

/** A page of server logs that failed: what went wrong; a click tries that page again. */
class LogsErrorItem extends vscode.TreeItem {
  constructor(profile: AppProfile, message: string) {
    super(message, vscode.TreeItemCollapsibleState.None);
    this.id = `logs-error:${profile.id}`;
    this.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    this.tooltip = vscode.l10n.t('Click to try again.');
    this.command = { command: 'dify.loadMoreWorkflowLogs', title: vscode.l10n.t('Retry'), arguments: [profile.id] };
  }
}

type RunsNode = RunItem | ServerLogsNode | AppLogsNode | LogItem | MoreLogsItem | NoticeItem | LogsErrorItem;

const PAGE = 20;

export class RunsTree implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Each workflow app's server logs loaded so far (Dify pages them by number, newest first). */
  private readonly logs = new Map<string, PagedItems<WorkflowLog>>();
  private readonly nodes = new Map<string, AppLogsNode>();
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly history: RunHistory,
    private readonly store: ProfileStore,
    private readonly connections: DifyConnections,
  ) {
    this.subscriptions = [
      history.onDidChange(() => this.changed.fire(undefined)),
      // Server logs are read again only when they can differ (an app's key, URL or mode; apps added or removed); a
      // renamed app is only redrawn.
      store.onDidChange((c) => {
        if (c.kind !== 'app') return;
        if (c.what === 'key' || touches(c, 'baseUrl', 'mode')) this.refresh();
        else if (touches(c, 'label')) this.changed.fire(undefined);
      }),
    ];
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    if (!node) {
      const runs = this.history.all().map((r) => new RunItem(r));
      // Without any run the view shows its welcome text (package.json viewsWelcome).
      return runs.length || this.workflowApps().length ? [...runs, new ServerLogsNode()] : [];
    }
    if (node instanceof ServerLogsNode) {
      const apps = this.workflowApps();
      if (apps.length === 0) return [new NoticeItem('logs:none', vscode.l10n.t('No workflow app is configured.'))];
      return apps.map((p) => this.appNode(p));
    }
    if (node instanceof AppLogsNode) {
      const list = this.logList(node.profile);
      if (!list.loaded && !list.error) await list.refresh();
      const items: RunsNode[] = list.items.map((log) => new LogItem(node.profile, log));
      if (list.error) items.push(new LogsErrorItem(node.profile, vscode.l10n.t('Could not load the server logs: {0}', errorMessage(list.error))));
      else if (list.hasMore) items.push(new MoreLogsItem(node.profile));
      else if (items.length === 0) items.push(new NoticeItem(`logs-empty:${node.profile.id}`, vscode.l10n.t('No runs on the server yet.')));
      return items;
    }
    return [];
  }

  /** Writes the times ("5 minutes ago") again when `view` shows, and each minute while it is visible. */
  keepTimesFresh(view: vscode.TreeView<RunsNode>): void {
    this.subscriptions.push(redrawWhileVisible(view, () => this.changed.fire(undefined)));
  }

  /** The next page of an app's server logs, or the page that failed again. */
  async loadMore(appId: string): Promise<void> {
    const list = this.logs.get(appId);
    if (!list || (list.loaded && !list.hasMore && !list.error)) return;
    await (list.loaded ? list.loadMore() : list.refresh());
    // The tree refreshes an element by the instance it was given.
    this.changed.fire(this.nodes.get(appId));
  }

  /** Forgets the loaded server pages (they are fetched again when shown; a page still on its way is dropped). */
  refresh(): void {
    this.logs.clear();
    this.changed.fire(undefined);
  }

  private appNode(profile: AppProfile): AppLogsNode {
    const node = new AppLogsNode(profile);
    this.nodes.set(profile.id, node);
    return node;
  }

  private workflowApps(): AppProfile[] {
    return this.store.apps().filter((p) => p.mode === 'workflow');
  }

  private logList(profile: AppProfile): PagedItems<WorkflowLog> {
    let list = this.logs.get(profile.id);
    if (!list) {
      list = new PagedItems(async (page, limit) => (await this.connections.appClient(profile)).getWorkflowLogs({ page, limit }), PAGE);
      this.logs.set(profile.id, list);
    }
    return list;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
