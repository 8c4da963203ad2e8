// The signed-in workspace's apps as the Apps view lists them: a page at a time from Dify's console (`GET /apps`,
// page/limit), filtered there by mode and name (a new filter starts again from the first page, and what a fetch
// under the old filter brings is dropped), and matched to the apps the user has added already.
// Plain Node, so it is tested against the test Dify server without VS Code.
import type { ConsoleApp, ConsoleClient } from '../dify/index.js';
import { versionAtLeast } from '../dify/http.js';
import { PagedItems } from './knowledge-pages.js';
import type { AppProfile } from './profile-store.js';

/**
 * The modes the filter offers, as Dify's `mode` query names them (CONSOLE.md §5.1). Dify 1.15's agent apps (`agent`)
 * are listed by `mode=agent` only (`all` leaves them out), and Dify 1.13 refuses that mode: see filterModes.
 */
export const FILTER_MODES = ['all', 'chat', 'agent-chat', 'advanced-chat', 'workflow', 'completion', 'agent'] as const;
export type FilterMode = (typeof FILTER_MODES)[number];

export interface WorkspaceAppFilter {
  mode: FilterMode;
  /** Apps whose name contains this, case-insensitively; '' for any. */
  name: string;
}

/** Dify searches by the first 30 characters of `name` only (§5.1). */
const NAME_SEARCH_LENGTH = 30;

export const NO_FILTER: WorkspaceAppFilter = { mode: 'all', name: '' };

/** The modes a Dify of `version` (X-Version) filters by: `agent` from 1.15.0 on. */
export function filterModes(version: string | undefined): readonly FilterMode[] {
  return versionAtLeast(version, '1.15.0') ? FILTER_MODES : FILTER_MODES.filter((m) => m !== 'agent');
}

/** The filter as Dify applies it: the name trimmed and cut to what Dify searches by. */
export function workspaceAppFilter(mode: FilterMode, name: string): WorkspaceAppFilter {
  return { mode, name: name.trim().slice(0, NAME_SEARCH_LENGTH) };
}

export const isFiltered = (filter: WorkspaceAppFilter): boolean => filter.mode !== 'all' || filter.name !== '';

/**
 * The user's app that is this app of the workspace: the same Service API base URL, name and mode (what the Service
 * API's /info says of an app; an app renamed in Dify since it was added counts as another one).
 */
export function addedAs(profiles: AppProfile[], baseUrl: string | undefined, app: Pick<ConsoleApp, 'name' | 'mode'>): AppProfile | undefined {
  return baseUrl === undefined ? undefined : profiles.find((p) => p.baseUrl === baseUrl && p.appName === app.name && p.mode === app.mode);
}

/** One listing under one filter: its pages and the Service API base URL its apps are reached at. */
interface Listing {
  pages: PagedItems<ConsoleApp>;
  baseUrl?: string;
}

export class WorkspaceApps {
  private current: WorkspaceAppFilter = NO_FILTER;
  private listing: Listing;

  constructor(
    private readonly client: () => Promise<ConsoleClient>,
    readonly pageSize = 10,
  ) {
    this.listing = this.start();
  }

  get filter(): WorkspaceAppFilter {
    return this.current;
  }

  /** A new filter: the list starts again, fetched on the next refresh (the workspace's base URL is kept). */
  setFilter(filter: WorkspaceAppFilter): void {
    this.current = filter;
    this.listing = this.start(this.listing.baseUrl);
  }

  /** Forgets what was fetched (signed in or out, another workspace): fetched again on the next refresh. */
  reset(): void {
    this.listing = this.start();
  }

  get items(): ConsoleApp[] {
    return this.listing.pages.items;
  }

  get hasMore(): boolean {
    return this.listing.pages.hasMore;
  }

  get loaded(): boolean {
    return this.listing.pages.loaded;
  }

  /** The last fetch failed: what Dify or the network said (the apps listed before stay). */
  get error(): unknown {
    return this.listing.pages.error;
  }

  /** How many apps match the filter, as Dify counted them with the last page. */
  get total(): number {
    return this.listing.pages.total;
  }

  /** The Service API base URL of the workspace's apps, once the first page is fetched. */
  get baseUrl(): string | undefined {
    return this.listing.baseUrl;
  }

  refresh(): Promise<void> {
    return this.listing.pages.refresh();
  }

  loadMore(): Promise<void> {
    return this.listing.pages.loadMore();
  }

  private start(baseUrl?: string): Listing {
    const { mode, name } = this.current;
    const listing: Listing = {
      baseUrl,
      pages: new PagedItems(async (page, limit) => {
        const client = await this.client();
        listing.baseUrl ??= await client.apiBaseUrl();
        return client.apps({ page, limit, mode, name });
      }, this.pageSize),
    };
    return listing;
  }
}
