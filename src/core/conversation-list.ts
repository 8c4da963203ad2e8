// One app's conversations as the tree shows them: newest first, a page at a time (`last_id` paging, CONTRACT.md §3.6),
// with local updates for rename, delete and a conversation the chat view just used.
import type { AppClient, Conversation } from '../dify/index.js';

export class ConversationList {
  items: Conversation[] = [];
  hasMore = false;
  loaded = false;
  /** The last page failed: what Dify or the network said. The items loaded before stay. */
  error: unknown;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly client: () => Promise<AppClient>,
    readonly pageSize = 20,
  ) {}

  /** The first page (again), replacing what was loaded. */
  refresh(): Promise<void> {
    return this.load(true);
  }

  /** The next page, appended. */
  loadMore(): Promise<void> {
    return this.load(false);
  }

  private load(first: boolean): Promise<void> {
    if (this.loading) return this.loading;
    const run = async () => {
      try {
        const client = await this.client();
        const lastId = first ? undefined : this.items.at(-1)?.id;
        const page = await client.getConversations({ limit: this.pageSize, sort_by: '-updated_at', last_id: lastId });
        const known = first ? new Set<string>() : new Set(this.items.map((c) => c.id));
        const fresh = page.data.filter((c) => !known.has(c.id));
        this.items = first ? fresh : [...this.items, ...fresh];
        this.hasMore = page.has_more;
        this.loaded = true;
        this.error = undefined;
      } catch (error) {
        this.error = error;
      }
    };
    this.loading = run().finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** Renames in Dify (a name, or Dify's generated one) and here once Dify answered. */
  async rename(conversationId: string, rename: { name: string } | { auto_generate: true }): Promise<Conversation> {
    const client = await this.client();
    const renamed = await client.renameConversation(conversationId, rename);
    this.items = this.items.map((c) => (c.id === conversationId ? { ...c, ...renamed } : c));
    return renamed;
  }

  /** Deletes in Dify; the item goes only when Dify said yes. */
  async delete(conversationId: string): Promise<void> {
    const client = await this.client();
    await client.deleteConversation(conversationId);
    this.forget(conversationId);
  }

  forget(conversationId: string): void {
    this.items = this.items.filter((c) => c.id !== conversationId);
  }
}
