// Seed state of the Knowledge API emulation. Ids are fixed so tests can address them directly.
import { ACCOUNT, MIME_TYPES, defaultRetrievalModel, extensionOf } from './store.js';
import type { Dataset, Doc, MetadataField, ProcessRule, Tag } from './store.js';

export const SEED = {
  /** High-quality English dataset, in use by an app (409 on delete), documents in every display state. */
  handbook: 'd1b6a3f0-3c2e-4c8a-9a51-7e0f2b4c6d01',
  /** Chinese name and Chinese documents. */
  chinese: 'd2c7b4e1-4d3f-4d9b-8b62-8f1a3c5d7e02',
  /** Economy (keyword) dataset with partial_members permission. */
  economy: 'd3d8c5f2-5e4a-4eac-9c73-9a2b4d6e8f03',
  /** 2,000 small completed documents for paging tests. */
  large: 'd4e9d6a3-6f5b-4fbd-8d84-ab3c5e7f9a04',
  /** Dataset whose API access is disabled (403). */
  apiDisabled: 'd5fae7b4-7a6c-40ce-9e95-bc4d6f8a0b05',
  documents: {
    gettingStarted: 'a1000000-0000-4000-8000-000000000001',
    faq: 'a1000000-0000-4000-8000-000000000002',
    disabled: 'a1000000-0000-4000-8000-000000000003',
    archived: 'a1000000-0000-4000-8000-000000000004',
    error: 'a1000000-0000-4000-8000-000000000005',
    indexing: 'a1000000-0000-4000-8000-000000000006',
    paused: 'a1000000-0000-4000-8000-000000000007',
    chineseGuide: 'a2000000-0000-4000-8000-000000000001',
    chineseFaq: 'a2000000-0000-4000-8000-000000000002',
    economyTickets: 'a3000000-0000-4000-8000-000000000001',
  },
  batches: {
    handbook: '20250110093000123456',
    chinese: '20250112101500654321',
  },
  tags: {
    product: 'e1000000-0000-4000-8000-000000000001',
    support: 'e1000000-0000-4000-8000-000000000002',
    unused: 'e1000000-0000-4000-8000-000000000003',
  },
  metadata: {
    author: 'c1000000-0000-4000-8000-000000000001',
    year: 'c1000000-0000-4000-8000-000000000002',
    reviewedAt: 'c1000000-0000-4000-8000-000000000003',
  },
  processRule: 'b1000000-0000-4000-8000-000000000001',
} as const;

const T0 = 1735722000; // 2025-01-01 09:00:00 UTC

const GETTING_STARTED = `# Getting started with Acme Cloud
Acme Cloud lets you deploy containers to a managed cluster in minutes. Create a project and connect a Git repository.

## Installing the CLI
Install the acme CLI with npm install -g acme-cli, then run acme login to authenticate with your API token.

## Deploying
Run acme deploy in the project folder. The CLI builds the image and rolls out the new version with zero downtime.

## Rolling back
Use acme rollback to return to the previous release. Rollbacks keep the environment variables of that release.

## Environment variables
Set secrets with acme env set KEY=value. Variables are encrypted at rest and injected into the container at start-up.`;

const FAQ = `How much does Acme Cloud cost? The starter plan is free for one project. The team plan costs 20 dollars per user per month.

Which regions are available? Deployments run in Frankfurt, Virginia and Singapore. You can pick a region per project.

How do I reset my API token? Open the account settings page and click regenerate token. Old tokens stop working immediately.

Is there an uptime guarantee? The team plan includes a 99.9 percent uptime service level agreement.`;

const OLD_PRICING = `Legacy pricing: the hobby plan cost 5 dollars per month and included 512 MB of memory. This plan was retired in 2023.`;

const ROADMAP = `Roadmap 2023: GPU instances, managed Postgres databases and private networking between projects.`;

const RELEASE_NOTES = `Release notes draft: version 4.2 adds build caching, faster cold starts and a new metrics dashboard.`;

const CSV_EXPORT = `id,name,plan\n1,alpha,team\n2,beta,starter\n3,gamma,team`;

const CN_GUIDE = `安装指南：首先下载安装包，然后双击运行安装程序。安装完成后，在终端中输入 acme login 登录账号。

部署应用：在项目目录中运行 acme deploy 命令。系统会自动构建镜像并发布新版本，整个过程不会中断服务。

常见错误：如果部署失败，请检查网络连接和访问令牌是否有效。`;

const CN_FAQ = `如何重置密码？请在账号设置页面点击重置密码按钮，系统会发送验证邮件。

支持哪些地区？目前支持法兰克福、弗吉尼亚和新加坡三个地区。

费用是多少？入门版免费，团队版每人每月二十美元。`;

const TICKETS = `Ticket 1042: customer cannot log in after password reset. Resolution: clear the browser cache and retry.

Ticket 1043: deployment stuck at building image. Resolution: the build cache was corrupted, purge it with acme cache purge.

Ticket 1044: invoice shows the wrong currency. Resolution: billing team corrected the account country.`;

export interface SeedState {
  datasets: Dataset[];
  tags: Tag[];
  /** tag id → dataset ids */
  bindings: Map<string, Set<string>>;
  processRules: Map<string, ProcessRule>;
}

function dataset(partial: Partial<Dataset> & Pick<Dataset, 'id' | 'name' | 'createdAt'>): Dataset {
  return {
    description: '',
    provider: 'vendor',
    permission: 'only_me',
    indexingTechnique: 'high_quality',
    updatedAt: partial.createdAt,
    embeddingModel: 'text-embedding-3-small',
    embeddingModelProvider: 'langgenius/openai/openai',
    retrievalModel: defaultRetrievalModel(),
    appCount: 0,
    enableApi: true,
    builtInFieldEnabled: false,
    metadata: [],
    partialMembers: [],
    iconInfo: { icon_type: 'emoji', icon: '\u{1F4D9}', icon_background: '#FFF4ED', icon_url: null },
    externalKnowledgeId: null,
    externalKnowledgeApiId: null,
    documents: [],
    dataSourceType: 'upload_file',
    ...partial,
  };
}

interface DocSeed {
  id?: string;
  name: string;
  text: string;
  createdAt: number;
  batch?: string;
  enabled?: boolean;
  archived?: boolean;
  failure?: string;
  frozen?: 'indexing' | 'paused';
  hits?: number[];
  docType?: string;
  uploadId?: string;
}

function addDoc(ds: Dataset, rule: ProcessRule, seed: DocSeed): Doc {
  const ext = extensionOf(seed.name);
  const doc: Doc = {
    id: seed.id ?? seedUuid('a9', ds.documents.length + 1, ds.id),
    datasetId: ds.id,
    position: ds.documents.length + 1,
    name: seed.name,
    batch: seed.batch ?? `${stamp(seed.createdAt)}${String(100000 + ((ds.documents.length * 7919) % 900000))}`,
    createdAt: seed.createdAt,
    updatedAt: seed.createdAt + 30,
    startedMs: seed.createdAt * 1000,
    frozen: seed.frozen ?? null,
    failure: seed.failure ?? null,
    upload: {
      id: seed.uploadId ?? seedUuid('f9', ds.documents.length + 1, ds.id),
      name: seed.name,
      size: Buffer.byteLength(seed.text),
      extension: ext,
      mimeType: MIME_TYPES[ext] ?? 'application/octet-stream',
      createdAt: seed.createdAt,
    },
    processRule: rule,
    text: seed.text,
    enabled: seed.enabled ?? true,
    disabledAt: seed.enabled === false ? seed.createdAt + 3600 : null,
    disabledBy: seed.enabled === false ? ACCOUNT.id : null,
    archived: seed.archived ?? false,
    docForm: 'text_model',
    docLanguage: 'English',
    docType: seed.docType ?? null,
    metadata: new Map(),
    segments: null,
    tokens: null,
    seedHits: seed.hits,
  };
  ds.documents.push(doc);
  return doc;
}

/** A deterministic UUID for generated seed rows. */
function seedUuid(prefix: string, n: number, scope: string): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${prefix}${scope.slice(2, 8)}-0000-4000-8000-${hex}`;
}

function stamp(sec: number): string {
  return new Date(sec * 1000).toISOString().replace(/[-:TZ]/g, '').slice(0, 14);
}

/** Seeded datasets cut by paragraph, small enough that every paragraph is one segment. */
function seedRule(id: string, datasetId: string, createdAt: number): ProcessRule {
  return {
    id,
    datasetId,
    mode: 'custom',
    rules: {
      pre_processing_rules: [
        { id: 'remove_extra_spaces', enabled: true },
        { id: 'remove_urls_emails', enabled: false },
      ],
      segmentation: { separator: '\\n\\n', max_tokens: 48, chunk_overlap: 0 },
    },
    createdAt,
  };
}

export function buildSeed(): SeedState {
  const processRules = new Map<string, ProcessRule>();
  const rule = (id: string, datasetId: string, at: number) => {
    const r = seedRule(id, datasetId, at);
    processRules.set(r.id, r);
    return r;
  };

  // 1. Handbook: every display state.
  const handbook = dataset({
    id: SEED.handbook,
    name: 'Acme Product Handbook',
    description: 'User documentation for Acme Cloud.',
    createdAt: T0,
    appCount: 1,
    permission: 'all_team_members',
  });
  const fields: MetadataField[] = [
    { id: SEED.metadata.author, name: 'author', type: 'string' },
    { id: SEED.metadata.year, name: 'year', type: 'number' },
    { id: SEED.metadata.reviewedAt, name: 'reviewed_at', type: 'time' },
  ];
  handbook.metadata = fields;
  const r1 = rule(SEED.processRule, handbook.id, T0 + 60);
  const batch = SEED.batches.handbook;
  const gs = addDoc(handbook, r1, { id: SEED.documents.gettingStarted, name: 'getting-started.md', text: GETTING_STARTED, createdAt: T0 + 100, batch, hits: [3, 7, 12, 1, 0, 2, 5] });
  gs.metadata.set(SEED.metadata.author, 'Jane Doe');
  gs.metadata.set(SEED.metadata.year, 2025);
  addDoc(handbook, r1, { id: SEED.documents.faq, name: 'faq.txt', text: FAQ, createdAt: T0 + 100, batch, hits: [4, 0, 9, 1] }).metadata.set(SEED.metadata.author, 'Support Team');
  addDoc(handbook, r1, { id: SEED.documents.disabled, name: 'old-pricing.md', text: OLD_PRICING, createdAt: T0 + 200, enabled: false });
  addDoc(handbook, r1, { id: SEED.documents.archived, name: 'roadmap-2023.md', text: ROADMAP, createdAt: T0 + 300, archived: true });
  addDoc(handbook, r1, {
    id: SEED.documents.error,
    name: 'scanned-contract.pdf',
    text: '',
    createdAt: T0 + 400,
    failure: 'Failed to extract text from scanned-contract.pdf: the PDF has no text layer.',
  });
  addDoc(handbook, r1, { id: SEED.documents.indexing, name: 'release-notes-draft.md', text: RELEASE_NOTES, createdAt: T0 + 500, frozen: 'indexing' });
  addDoc(handbook, r1, { id: SEED.documents.paused, name: 'customers-export.csv', text: CSV_EXPORT, createdAt: T0 + 600, frozen: 'paused' });

  // 2. Chinese dataset.
  const chinese = dataset({
    id: SEED.chinese,
    name: '产品知识库',
    description: '中文产品文档与常见问题。',
    createdAt: T0 + 86400,
    permission: 'all_team_members',
  });
  const r2 = rule('b2000000-0000-4000-8000-000000000001', chinese.id, T0 + 86400 + 60);
  const cn1 = addDoc(chinese, r2, { id: SEED.documents.chineseGuide, name: '安装指南.md', text: CN_GUIDE, createdAt: T0 + 86400 + 100, batch: SEED.batches.chinese, hits: [2, 6, 1, 0, 3] });
  const cn2 = addDoc(chinese, r2, { id: SEED.documents.chineseFaq, name: '常见问题.txt', text: CN_FAQ, createdAt: T0 + 86400 + 100, batch: SEED.batches.chinese, hits: [5, 1, 2] });
  cn1.docLanguage = 'Chinese Simplified';
  cn2.docLanguage = 'Chinese Simplified';

  // 3. Economy dataset.
  const economy = dataset({
    id: SEED.economy,
    name: 'Support Tickets',
    description: 'Resolved support tickets (keyword index).',
    createdAt: T0 + 2 * 86400,
    indexingTechnique: 'economy',
    embeddingModel: null,
    embeddingModelProvider: null,
    permission: 'partial_members',
    partialMembers: [ACCOUNT.id],
    iconInfo: null,
  });
  const r3 = rule('b3000000-0000-4000-8000-000000000001', economy.id, T0 + 2 * 86400 + 60);
  addDoc(economy, r3, { id: SEED.documents.economyTickets, name: 'tickets.txt', text: TICKETS, createdAt: T0 + 2 * 86400 + 100, hits: [1, 1, 0] });

  // 4. Large dataset: 2,000 one-paragraph documents.
  const large = dataset({ id: SEED.large, name: 'Meeting Notes Archive', description: 'Two thousand meeting notes.', createdAt: T0 + 3 * 86400 });
  const r4 = rule('b4000000-0000-4000-8000-000000000001', large.id, T0 + 3 * 86400 + 60);
  const topics = ['budget', 'hiring', 'roadmap', 'security', 'pricing', 'support', 'marketing', 'infrastructure'];
  for (let i = 1; i <= 2000; i++) {
    const topic = topics[i % topics.length]!;
    addDoc(large, r4, {
      name: `meeting-${String(i).padStart(4, '0')}.txt`,
      text: `Meeting ${i} discussed ${topic}. Action items were assigned to the ${topic} owner.`,
      createdAt: T0 + 3 * 86400 + 100 + i,
    });
  }

  // 5. API access disabled.
  const disabled = dataset({ id: SEED.apiDisabled, name: 'Internal HR Policies', description: 'Not exposed to the API.', createdAt: T0 + 4 * 86400, enableApi: false });
  const r5 = rule('b5000000-0000-4000-8000-000000000001', disabled.id, T0 + 4 * 86400 + 60);
  addDoc(disabled, r5, { name: 'leave-policy.md', text: 'Employees get 25 days of paid leave per year.', createdAt: T0 + 4 * 86400 + 100 });

  const tags: Tag[] = [
    { id: SEED.tags.product, name: 'product', createdAt: T0 },
    { id: SEED.tags.support, name: 'support', createdAt: T0 + 1 },
    { id: SEED.tags.unused, name: 'unused', createdAt: T0 + 2 },
  ];
  const bindings = new Map<string, Set<string>>([
    [SEED.tags.product, new Set([handbook.id, chinese.id])],
    [SEED.tags.support, new Set([economy.id])],
    [SEED.tags.unused, new Set()],
  ]);

  return { datasets: [handbook, chinese, economy, large, disabled], tags, bindings, processRules };
}
