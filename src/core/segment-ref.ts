// Where a segment editor's text comes from, written into its `dify-segment:` URI so that the URI alone fetches it
// again (a window reload, hot exit): the path is what the tab and breadcrumbs show (dataset, document, a readable file
// name), the query holds the ids. Never the key: the profile id names the knowledge key kept in SecretStorage.
import type { SegmentNode } from './knowledge-tree-model.js';

/** What identifies a segment in Dify, and which knowledge key reaches it. */
export interface SegmentRef {
  profileId: string;
  datasetId: string;
  documentId: string;
  segmentId: string;
}

/** A segment's ref plus the names its editor shows. */
export interface SegmentPlace extends SegmentRef {
  datasetName: string;
  documentName: string;
  position: number;
}

const FIELDS = ['profile', 'dataset', 'document', 'segment'] as const;

/** A name as one path segment: no separators, never empty. */
const part = (name: string) => name.replace(/[\\/]/g, '_').trim() || '_';

/** `getting-started.md` → `getting-started`: the editor's `.md` is the only extension in the tab's name. */
const stem = (name: string) => name.replace(/\.[A-Za-z0-9]{1,8}$/, '') || name;

/** The path and query of the segment's URI: `/<dataset>/<document>/<document stem> #<position>.md?profile=…`. */
export function segmentLocation(place: SegmentPlace): { path: string; query: string } {
  const path = `/${part(place.datasetName)}/${part(place.documentName)}/${part(stem(place.documentName))} #${place.position}.md`;
  const ids = [place.profileId, place.datasetId, place.documentId, place.segmentId];
  const query = FIELDS.map((field, i) => `${field}=${encodeURIComponent(ids[i]!)}`).join('&');
  return { path, query };
}

/** The ref a segment URI's query carries, or undefined when it is not one of ours. */
export function segmentRefOf(query: string): SegmentRef | undefined {
  const params = new URLSearchParams(query);
  const [profileId, datasetId, documentId, segmentId] = FIELDS.map((field) => params.get(field) ?? '');
  if (!profileId || !datasetId || !documentId || !segmentId) return undefined;
  return { profileId, datasetId, documentId, segmentId };
}

/** A file's modification time from Dify's `updated_at` (seconds); `created_at` for a segment never updated. */
export function segmentMtime(segment: { created_at: number; updated_at?: number | null }): number {
  return (segment.updated_at ?? segment.created_at) * 1000;
}

/** The place of a segment row of the knowledge tree. */
export function placeOf(node: SegmentNode): SegmentPlace {
  const document = node.parent;
  const dataset = document.parent;
  return {
    profileId: dataset.key.profile.id,
    datasetId: dataset.dataset.id,
    documentId: document.document.id,
    segmentId: node.segment.id,
    datasetName: dataset.dataset.name,
    documentName: document.document.name,
    position: node.segment.position,
  };
}
