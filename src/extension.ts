// activate(): build the services and register the features. Wiring only: no network, no heavy work.
import * as vscode from 'vscode';
import { ProfileStore } from './core/profile-store.js';
import { AppFlows } from './features/apps/app-flows.js';
import { AppsTree } from './features/apps/apps-tree.js';
import { registerAppCommands } from './features/apps/commands.js';
import { DifyConnections } from './features/apps/connections.js';
import { registerDevSeedCommand, seedFromDevFile } from './features/apps/dev-seed.js';
import { trackContextKeys } from './features/apps/context-keys.js';
import { DefaultAppStatus } from './features/apps/status-bar.js';
import { ChatController } from './features/chat/chat-controller.js';
import { registerConsole } from './features/console/index.js';
import { CHAT_VIEW_ID, ChatViewProvider } from './features/chat/chat-view.js';
import { registerChatCommands } from './features/chat/commands.js';
import { registerConversationCommands } from './features/conversations/commands.js';
import { ConversationsTree } from './features/conversations/conversations-tree.js';
import { Proposals } from './features/editor/proposal.js';
import { ReadOnlyDocs } from './features/editor/read-only-docs.js';
import { registerKnowledge } from './features/knowledge/index.js';
import { registerLanguageModels } from './features/native-chat/language-model.js';
import { registerChatParticipant } from './features/native-chat/participant.js';
import { registerLanguageModelTools } from './features/native-chat/tools.js';
import { registerWorkflows } from './features/workflows/index.js';
import { DifyLog } from './platform/log.js';

export function activate(context: vscode.ExtensionContext): void {
  const log = new DifyLog();
  const store = new ProfileStore(context.globalState, context.secrets);
  const connections = new DifyConnections(store, log);
  const flows = new AppFlows(store, connections);
  const proposals = new Proposals();
  const docs = new ReadOnlyDocs();
  const chat = new ChatController(store, connections, context.globalState, proposals, log, docs);
  const chatView = new ChatViewProvider(context.extensionUri, chat, store, log);
  const conversations = new ConversationsTree(store, connections);
  const workspace = registerConsole(context, { store, connections, flows, docs });
  const workflows = registerWorkflows(context, { store, connections, proposals, docs, log });
  context.subscriptions.push(
    log,
    connections,
    new DefaultAppStatus(store),
    trackContextKeys(store),
    vscode.window.registerTreeDataProvider('dify.apps', new AppsTree(store, workspace.workspaceSection)),
    vscode.commands.registerCommand('dify.showLog', () => log.channel.show()),
    ...registerAppCommands(store, flows),
    ...workspace.disposables,
    proposals,
    chat,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chatView),
    ...registerChatCommands(chat, chatView),
    docs,
    conversations,
    vscode.window.createTreeView('dify.conversations', { treeDataProvider: conversations, showCollapseAll: true }),
    chat.onDidUseConversation(({ appId }) => void conversations.conversationUsed(appId)),
    chat.onDidChangeShownConversation(() => conversations.setShown(chat.shownConversation)),
    ...registerConversationCommands(conversations, chat, chatView, connections, docs),
    ...registerKnowledge(context, { store, connections }),
    ...workflows.disposables,
    ...registerChatParticipant(context, { store, connections, docs, log, runner: workflows.runner }),
    ...registerLanguageModels({ store, connections, state: context.globalState, log }),
    ...registerLanguageModelTools({ store, connections, ...workflows.shared }),
    ...registerDevSeedCommand(context, store),
  );
  void seedFromDevFile(context, store).then(
    (n) => n > 0 && log.info(`Added ${n} apps and knowledge keys from DIFY_DEV_SEED.`),
    (e: unknown) => log.error(`DIFY_DEV_SEED: ${(e as Error).message}`),
  );
}

export function deactivate(): void {}
