// Files dropped on a dataset (or on one of its documents) from the Explorer or the OS are uploaded into it. The
// Explorer hands over `text/uri-list`; the OS hands over `files`, which carry a URI when they are on disk.
import * as vscode from 'vscode';
import { datasetOf } from './dataset-pick.js';
import type { KnowledgeElement } from './knowledge-tree.js';
import type { KnowledgeUploads } from './uploads.js';

const URI_LIST = 'text/uri-list';

export class KnowledgeDrop implements vscode.TreeDragAndDropController<KnowledgeElement> {
  readonly dropMimeTypes = ['files', URI_LIST];
  readonly dragMimeTypes: string[] = [];

  constructor(private readonly uploads: KnowledgeUploads) {}

  async handleDrop(target: KnowledgeElement | undefined, dataTransfer: vscode.DataTransfer, token: vscode.CancellationToken): Promise<void> {
    const uris = await droppedUris(dataTransfer);
    if (token.isCancellationRequested || uris.length === 0) return;
    const dataset = datasetOf(target);
    if (!dataset) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Drop the files on a dataset to upload them there.'));
      return;
    }
    await this.uploads.upload(uris, dataset);
  }
}

/** The dropped files as URIs, each once; a file from the OS without a path on disk is reported and left out. */
async function droppedUris(dataTransfer: vscode.DataTransfer): Promise<vscode.Uri[]> {
  const found = new Map<string, vscode.Uri>();
  const list = await dataTransfer.get(URI_LIST)?.asString();
  for (const line of list?.split(/\r?\n/) ?? []) {
    const text = line.trim();
    if (!text || text.startsWith('#')) continue;
    try {
      const uri = vscode.Uri.parse(text, true);
      found.set(uri.toString(), uri);
    } catch {
      // Not a URI: a plain-text drop, nothing to upload.
    }
  }
  dataTransfer.forEach((item) => {
    const file = item.asFile();
    if (!file) return;
    if (file.uri) found.set(file.uri.toString(), file.uri);
    else if (![...found.values()].some((u) => u.path.endsWith(`/${file.name}`))) {
      void vscode.window.showWarningMessage(vscode.l10n.t('"{0}" was not uploaded: it does not come from a folder VS Code can read. Drop it from the Explorer instead.', file.name));
    }
  });
  return [...found.values()];
}
