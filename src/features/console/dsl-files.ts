// Which Dify app a DSL file of the workspace belongs to, and the draft it was last in step with: the file's comment
// header names the app (so a clone of the repository knows it too), and the workspace remembers, per file (its
// workspace-relative path), the app, the console, and the draft's hash at the last export, push or pull, which is
// how a push notices a draft changed in Dify's web editor meanwhile.
import * as vscode from 'vscode';
import { readDslHeader, withDslHeader, type DslTarget } from '../../core/dsl-file.js';
import { DifyApiError, type ConsoleClient } from '../../dify/index.js';
import { KeyedMemory } from '../../platform/keyed-memory.js';

export interface RememberedDsl extends DslTarget {
  appName: string;
  /** The draft's hash when the file and Dify's draft were last the same; absent for apps without a draft. */
  hash?: string;
  /** Whether secret values were asked for (a pull asks the same). */
  includeSecret: boolean;
}

/** The app modes whose DSL Dify imports into an existing app and whose draft can be published. */
export const WORKFLOW_MODES = ['workflow', 'advanced-chat'] as const;

export class DslFiles {
  private readonly memory: KeyedMemory<RememberedDsl>;

  constructor(state: vscode.Memento) {
    this.memory = new KeyedMemory(state, 'dify.dslFiles', 200);
  }

  /** The app of the file: its header's, else the one remembered for it. */
  target(document: vscode.TextDocument): DslTarget | undefined {
    return readDslHeader(document.getText()) ?? this.remembered(document.uri);
  }

  /** What is remembered of the file, when it is about the app the file names. */
  remembered(uri: vscode.Uri, target?: DslTarget): RememberedDsl | undefined {
    const found = this.memory.get(keyOf(uri));
    return found && (!target || (found.appId === target.appId && found.origin === target.origin)) ? found : undefined;
  }

  remember(uri: vscode.Uri, value: RememberedDsl): Promise<void> {
    return this.memory.set(keyOf(uri), value);
  }

  /** The draft's hash now, for an app that has a draft (workflow and chatflow apps); undefined otherwise. */
  async draftHash(client: ConsoleClient, appId: string, mode: string): Promise<string | undefined> {
    if (!WORKFLOW_MODES.some((m) => m === mode)) return undefined;
    try {
      return (await client.draft(appId)).hash;
    } catch (e) {
      if (e instanceof DifyApiError && e.code === 'draft_workflow_not_exist') return undefined;
      throw e;
    }
  }

  /** Dify's DSL of the app as the file's text: headed by the app it belongs to. */
  async exportText(client: ConsoleClient, target: DslTarget, includeSecret: boolean): Promise<string> {
    return withDslHeader(await client.exportDsl(target.appId, includeSecret), target);
  }
}

/** The file's path relative to its workspace folder (the same file after the folder moves or is cloned elsewhere). */
function keyOf(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, true);
}
