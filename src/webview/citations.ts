// Citations under an answer, grouped by document like Dify's web app: the document's name in full, its dataset and
// best score beneath it, and each segment's snippet behind a click, with a button that opens the cited segment in an
// editor. Every field is server text, so it only ever becomes textContent.
import { citationGroups, citationScore, citationText } from '../core/citation-groups.js';
import type { RetrieverResource } from '../protocol.js';
import type { ViewContext } from './context.js';
import { el, icon, iconButton } from './dom.js';
import { format } from './strings.js';

/**
 * The citations section of turn `turnId`, or undefined when there are none. `openKey` names each group for the
 * remembered open state.
 */
export function citationsSection(citations: RetrieverResource[], ctx: ViewContext, turnId: string, openKey: string): HTMLElement | undefined {
  const list = citationGroups(Array.isArray(citations) ? citations : []);
  if (list.length === 0) return undefined;
  const { strings } = ctx;
  const section = el('section', 'turn-citations');
  section.setAttribute('aria-label', strings.citations);
  section.append(el('div', 'section-title', strings.citations));
  for (const group of list) {
    const details = el('details', 'citation');
    const key = `${openKey}:${group.key}`;
    details.open = ctx.viewState.isOpen(key);
    details.addEventListener('toggle', () => ctx.viewState.setOpen(key, details.open));
    const summary = el('summary', 'citation-summary');
    const title = el('span', 'citation-title');
    const secondary = [group.dataset];
    const best = citationScore(group.segments[0]?.score);
    if (best !== undefined) secondary.push(format(strings.citationScore, best.toFixed(2)));
    title.append(el('span', 'citation-document', group.document || strings.citationUntitled), el('span', 'citation-dataset', secondary.filter(Boolean).join(' · ')));
    summary.append(icon('file'), title);
    details.append(summary);
    for (const segment of group.segments) {
      const item = el('div', 'citation-segment');
      const value = citationScore(segment.score);
      if (value !== undefined && group.segments.length > 1) item.append(el('div', 'citation-score', format(strings.citationScore, value.toFixed(2))));
      item.append(el('p', 'citation-snippet', citationText(segment.content)));
      const segmentId = citationText(segment.segment_id);
      if (segmentId) {
        item.append(iconButton('go-to-file', strings.openCitation, 'icon-button citation-open', () => ctx.post({ type: 'openCitation', turnId, segmentId }), strings.openCitation));
      }
      details.append(item);
    }
    section.append(details);
  }
  return section;
}
