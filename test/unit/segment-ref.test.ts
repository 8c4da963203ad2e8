// A segment editor's URI: the tab reads as the document and the segment's position, and the URI alone (its query)
// says which key, dataset, document and segment to fetch after a reload; never the key itself.
import assert from 'node:assert/strict';
import { segmentLocation, segmentMtime, segmentRefOf, type SegmentPlace } from '../../src/core/segment-ref.js';

const place: SegmentPlace = {
  profileId: 'profile-7',
  datasetId: 'a1b2c3d4-0000-4000-8000-000000000001',
  documentId: 'a1b2c3d4-0000-4000-8000-000000000002',
  segmentId: 'a1b2c3d4-0000-4000-8000-000000000003',
  datasetName: 'Acme Product Handbook',
  documentName: 'getting-started.md',
  position: 3,
};

describe('segment editor URIs', () => {
  it('names the tab after the document and position: no ids, one extension', () => {
    const { path } = segmentLocation(place);
    assert.equal(path, '/Acme Product Handbook/getting-started.md/getting-started #3.md');
    assert.doesNotMatch(path, /a1b2c3d4/);
  });

  it('keeps names with slashes, other extensions or none as one path segment each', () => {
    assert.equal(segmentLocation({ ...place, datasetName: 'R&D / 2024', documentName: 'notes\\q3.pdf' }).path, '/R&D _ 2024/notes_q3.pdf/notes_q3 #3.md');
    assert.equal(segmentLocation({ ...place, documentName: 'README' }).path, '/Acme Product Handbook/README/README #3.md');
    assert.equal(segmentLocation({ ...place, documentName: 'v1.2 release notes' }).path, '/Acme Product Handbook/v1.2 release notes/v1.2 release notes #3.md');
  });

  it('carries the ids in the query, read back from it alone', () => {
    const { query } = segmentLocation(place);
    assert.deepEqual(segmentRefOf(query), { profileId: 'profile-7', datasetId: place.datasetId, documentId: place.documentId, segmentId: place.segmentId });
    assert.equal(segmentRefOf('profile=p&dataset=d&document=x'), undefined, 'no segment id: not a segment URI');
    assert.equal(segmentRefOf(''), undefined);
  });

  it("dates the file by Dify's updated_at, in milliseconds", () => {
    assert.equal(segmentMtime({ created_at: 1_700_000_000, updated_at: 1_700_000_500 }), 1_700_000_500_000);
    assert.equal(segmentMtime({ created_at: 1_700_000_000 }), 1_700_000_000_000);
  });
});
