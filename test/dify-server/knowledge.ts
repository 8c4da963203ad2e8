// Knowledge API of the test Dify server (CONTRACT.md §3.13): datasets, tags, documents with time-driven indexing,
// segments, child chunks, retrieval and metadata, authenticated with dataset keys. The routes live in knowledge/*.ts.
import type { Router } from './router.js';
import type { DifyVersion } from './version.js';
import { registerDatasets } from './knowledge/datasets.js';
import { registerDocuments } from './knowledge/documents.js';
import { registerRetrieve } from './knowledge/retrieve.js';
import { registerSegments } from './knowledge/segments.js';
import { KnowledgeState } from './knowledge/state.js';

export { SEED as KNOWLEDGE_SEED } from './knowledge/seed.js';

export interface KnowledgeOptions {
  /** Accepted `Authorization: Bearer` dataset keys (a live set: the console creates and deletes keys). */
  datasetKeys: Set<string>;
  /** Duration of each indexing step (waiting → parsing → cleaning → splitting → indexing → completed). */
  indexingStepMs: number;
  /** 1.14+: the PATCH document alias; 1.15: segment-create validation (CONSOLE §11 item 8). */
  version: DifyVersion;
}

export class KnowledgeApi {
  /** The datasets and keys, which the console manages too. */
  readonly state: KnowledgeState;

  constructor(options: KnowledgeOptions) {
    this.state = new KnowledgeState(options.datasetKeys, options.indexingStepMs);
    this.version = options.version;
  }

  private readonly version: DifyVersion;

  /** Registers every /datasets... route and GET /workspaces/current/models/model-types/:model_type. */
  register(router: Router): void {
    registerDatasets(router, this.state, this.version);
    registerDocuments(router, this.state, this.version);
    registerSegments(router, this.state, this.version);
    registerRetrieve(router, this.state);
  }

  /** What the dataset's API Access switch in Dify's console does (`enable_api`, CONSOLE.md §8.2). */
  setDatasetApi(datasetId: string, enabled: boolean): void {
    const dataset = this.state.datasets.find((d) => d.id === datasetId);
    if (!dataset) throw new Error(`No such dataset: ${datasetId}`);
    dataset.enableApi = enabled;
  }

  /** Back to the seed state. */
  reset(): void {
    this.state.reset();
  }
}
