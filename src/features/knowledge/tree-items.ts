// How each knowledge node looks: datasets with their document count, documents with their indexing state as an icon
// (and Dify's error text), segments with their first line, hit count and enabled state.
import * as vscode from 'vscode';
import type { DatasetNode, DocumentNode, MoreNode, NoticeNode, SegmentNode } from '../../core/knowledge-tree-model.js';
import type { IndexingStatus, KnowledgeDocument } from '../../dify/index.js';
import { knowledgeMessage } from './messages.js';
import { documentCount, hitCount, usedByApps, wordCount } from '../../platform/counts.js';

export function datasetItem(node: DatasetNode): vscode.TreeItem {
  const { dataset } = node;
  const item = new vscode.TreeItem(dataset.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  item.description = documentCount(dataset.document_count);
  item.iconPath = new vscode.ThemeIcon('database');
  const technique =
    dataset.indexing_technique === 'high_quality'
      ? vscode.l10n.t('High quality (embeddings)')
      : dataset.indexing_technique === 'economy'
        ? vscode.l10n.t('Economy (keywords)')
        : vscode.l10n.t('not set yet');
  const tooltip = new vscode.MarkdownString();
  tooltip.appendText(dataset.name);
  if (dataset.description) tooltip.appendMarkdown('\n\n').appendText(dataset.description);
  tooltip.appendMarkdown('\n\n').appendText(vscode.l10n.t('Indexing: {0}', technique));
  tooltip.appendMarkdown('\n\n').appendText([documentCount(dataset.document_count), wordCount(dataset.word_count), usedByApps(dataset.app_count)].join(' · '));
  item.tooltip = tooltip;
  item.contextValue = 'dify.dataset';
  return item;
}

type DocumentState = IndexingStatus | 'disabled' | 'archived';

/** The one state to show: indexing states first (paused only shows in display_status), then archived, then disabled. */
function documentState(document: KnowledgeDocument): DocumentState {
  if (document.display_status === 'paused') return 'paused';
  if (document.indexing_status !== 'completed') return document.indexing_status;
  if (document.archived) return 'archived';
  return document.enabled ? 'completed' : 'disabled';
}

const STATE_ICONS: Record<DocumentState, vscode.ThemeIcon> = {
  waiting: new vscode.ThemeIcon('clock'),
  parsing: new vscode.ThemeIcon('sync~spin'),
  cleaning: new vscode.ThemeIcon('sync~spin'),
  splitting: new vscode.ThemeIcon('sync~spin'),
  indexing: new vscode.ThemeIcon('sync~spin'),
  paused: new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('list.warningForeground')),
  completed: new vscode.ThemeIcon('file-text'),
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  disabled: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
  archived: new vscode.ThemeIcon('archive', new vscode.ThemeColor('disabledForeground')),
};

function stateLabel(state: DocumentState): string {
  switch (state) {
    case 'waiting':
      return vscode.l10n.t('waiting');
    case 'parsing':
      return vscode.l10n.t('parsing');
    case 'cleaning':
      return vscode.l10n.t('cleaning');
    case 'splitting':
      return vscode.l10n.t('splitting');
    case 'indexing':
      return vscode.l10n.t('indexing');
    case 'paused':
      return vscode.l10n.t('paused');
    case 'completed':
      return vscode.l10n.t('completed');
    case 'error':
      return vscode.l10n.t('error');
    case 'disabled':
      return vscode.l10n.t('disabled');
    case 'archived':
      return vscode.l10n.t('archived');
  }
}

export function documentItem(node: DocumentNode): vscode.TreeItem {
  const { document } = node;
  const state = documentState(document);
  const completed = document.indexing_status === 'completed';
  const item = new vscode.TreeItem(document.name, completed ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  const words = document.word_count ? wordCount(document.word_count) : undefined;
  item.description = [state === 'completed' ? words : stateLabel(state), state === 'error' ? document.error : undefined].filter(Boolean).join(' · ');
  item.iconPath = STATE_ICONS[state];
  const tooltip = new vscode.MarkdownString();
  tooltip.appendText(document.name);
  tooltip.appendMarkdown('\n\n').appendText(vscode.l10n.t('State: {0}', stateLabel(state)));
  if (document.error) tooltip.appendMarkdown('\n\n').appendText(vscode.l10n.t('Dify says: {0}', document.error));
  if (words) tooltip.appendMarkdown('\n\n').appendText(words);
  if (document.hit_count) tooltip.appendMarkdown('\n\n').appendText(document.hit_count === 1 ? vscode.l10n.t('Retrieved once') : vscode.l10n.t('Retrieved {0} times', document.hit_count));
  item.tooltip = tooltip;
  item.contextValue = `dify.document.${state}`;
  return item;
}

/** The first non-empty line of a segment, short enough for a tree row. */
function firstLine(text: string): string {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l) ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

export function segmentItem(node: SegmentNode): vscode.TreeItem {
  const { segment } = node;
  const item = new vscode.TreeItem(firstLine(segment.content) || vscode.l10n.t('(empty segment)'), vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  const hits = hitCount(segment.hit_count);
  item.description = segment.enabled ? `#${segment.position} · ${hits}` : `#${segment.position} · ${hits} · ${vscode.l10n.t('disabled')}`;
  item.iconPath = segment.enabled ? new vscode.ThemeIcon('symbol-string') : new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
  const tooltip = new vscode.MarkdownString();
  tooltip.appendText(segment.content.slice(0, 1000));
  if (segment.answer) tooltip.appendMarkdown('\n\n---\n\n').appendText(segment.answer.slice(0, 500));
  item.tooltip = tooltip;
  item.contextValue = segment.enabled ? 'dify.segment.enabled' : 'dify.segment.disabled';
  item.command = { command: 'dify.knowledge.openSegment', title: vscode.l10n.t('Open Segment'), arguments: [node] };
  return item;
}

export function moreItem(node: MoreNode, loaded: number): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
  item.id = `more:${node.parent.id}:${loaded}`;
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.command = { command: 'dify.knowledge.loadMore', title: vscode.l10n.t('Load more…'), arguments: [node] };
  return item;
}

export function noticeItem(node: NoticeNode): vscode.TreeItem {
  if (node.error === undefined) {
    const text =
      node.parent.kind === 'key'
        ? vscode.l10n.t('No datasets yet.')
        : node.parent.kind === 'dataset'
          ? vscode.l10n.t('No documents yet. Drop files here to upload them.')
          : vscode.l10n.t('No segments.');
    const item = new vscode.TreeItem(text, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('info');
    return item;
  }
  const text = knowledgeMessage(node.error);
  const item = new vscode.TreeItem(text, vscode.TreeItemCollapsibleState.None);
  item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  item.tooltip = text;
  item.command = { command: 'dify.knowledge.refresh', title: vscode.l10n.t('Retry'), arguments: [node.parent] };
  return item;
}
