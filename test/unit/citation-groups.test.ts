// Citations grouped by document, the way the chat view and @dify both show them.
import assert from 'node:assert/strict';
import { citationGroups } from '../../src/core/citation-groups.js';
import type { RetrieverResource } from '../../src/dify/types.js';

const cite = (fields: Partial<RetrieverResource>): RetrieverResource => ({ ...fields }) as RetrieverResource;

describe('citation groups', () => {
  it('groups segments by document id, else by dataset and name, best score first; skips what is not an object', () => {
    const groups = citationGroups([
      cite({ document_id: 'd1', document_name: 'a.md', dataset_name: 'Docs', score: 0.2, content: 'low' }),
      cite({ document_id: null, document_name: '常见问题.md', dataset_name: 'Docs', score: 0.5 }),
      cite({ document_id: 'd1', document_name: 'a.md', dataset_name: 'Docs', score: 0.9, content: 'high' }),
      null as unknown as RetrieverResource,
      cite({ document_id: null, document_name: '常见问题.md', dataset_name: 'Docs', score: null }),
    ]);
    assert.deepEqual(groups.map((g) => [g.document, g.dataset, g.segments.length]), [['a.md', 'Docs', 2], ['常见问题.md', 'Docs', 2]]);
    assert.deepEqual(groups[0]!.segments.map((s) => s.content), ['high', 'low']);
    assert.equal(groups[1]!.segments[1]!.score, null, 'a segment without a score comes last');
  });

  it('a document without a name falls back to the title, else stays empty for the caller to name', () => {
    assert.equal(citationGroups([cite({ document_id: 'x', title: 'From the title' })])[0]!.document, 'From the title');
    assert.equal(citationGroups([cite({ document_id: 'y' })])[0]!.document, '');
  });
});
