// One app's conversations as the tree shows them: newest first, a page at a time (`last_id` paging, CONTRACT.md §3.6),
// with local updates for rename, delete and a conversation the chat view just used.
import type { AppClient, Conversation } from '../dify/index.js';
import { PagedList, type PagedFetch } from './paged-list.js';

export class ConversationList extends PagedList<Conversation> {
  constructor(
    private readonly client: () => Promise<AppClient>,
    readonly pageSize = 20,
  ) {
    super();
  }

  protected async fetch(first: boolean): Promise<PagedFetch<Conversation>> {
    const client = await this.client();
    const lastId = first ? undefined : this.items.at(-1)?.id;
    const page = await client.getConversations({ limit: this.pageSize, sort_by: '-updated_at', last_id: lastId });
    return { items: PagedList.merge(first ? [] : this.items, page.data), hasMore: page.has_more };
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
