// What an app lets the user attach, read from its /parameters, and each file checked before a byte is sent.
import assert from 'node:assert/strict';
import { checkFile, fileTypeOf, fileUploadRules } from '../../src/core/file-rules.js';
import type { AppParameters } from '../../src/dify/index.js';
import { buildApps, parametersOf } from '../dify-server/apps/fixtures.js';

const rulesOf = (handle: string) => fileUploadRules(parametersOf(buildApps().find((a) => a.handle === handle)!) as unknown as AppParameters);
const MB = 1024 * 1024;

describe('file upload rules', () => {
  it('the chat app takes up to 3 images of 10 MB, uploaded or by URL', () => {
    const rules = rulesOf('chat');
    assert.equal(rules.enabled, true);
    assert.deepEqual(rules.allowedFileTypes, ['image']);
    assert.equal(rules.maxFiles, 3);
    assert.equal(rules.sizeLimits.image, 10 * MB);
    assert.equal(rules.localUpload && rules.remoteUrl, true);
  });

  it("an app without file upload (only Dify's default image block, switched off) accepts nothing", () => {
    const rules = rulesOf('agent');
    assert.equal(rules.enabled, false);
    assert.deepEqual(checkFile(rules, { name: 'a.png', size: 10 }, 0), { kind: 'disabled' });
  });

  it('a chatflow takes documents and images, five at most', () => {
    const rules = rulesOf('advancedChat');
    assert.deepEqual(rules.allowedFileTypes, ['document', 'image']);
    assert.equal(checkFile(rules, { name: 'notes.md', size: 100 }, 0), undefined);
    assert.deepEqual(checkFile(rules, { name: 'notes.md', size: 100 }, 5), { kind: 'too_many', max: 5 });
    assert.deepEqual(checkFile(rules, { name: 'song.mp3', size: 100 }, 0), { kind: 'type_not_allowed', allowed: ['document', 'image'] });
  });

  it('refuses an empty file and one over the limit for its type', () => {
    const rules = rulesOf('chat');
    assert.deepEqual(checkFile(rules, { name: 'x.png', size: 0 }, 0), { kind: 'empty' });
    assert.deepEqual(checkFile(rules, { name: 'x.PNG', size: 10 * MB + 1 }, 0), { kind: 'too_large', limit: 10 * MB });
    assert.equal(checkFile(rules, { name: 'x.PNG', size: 10 * MB }, 2), undefined);
  });

  it('custom types go by the extension list', () => {
    const rules = fileUploadRules({
      file_upload: { enabled: true, allowed_file_types: ['custom'], allowed_file_extensions: ['.LOG'], allowed_file_upload_methods: ['local_file'], number_limits: 2 },
      system_parameters: { image_file_size_limit: 10, video_file_size_limit: 100, audio_file_size_limit: 50, file_size_limit: 15, workflow_file_upload_limit: 10 },
    });
    assert.equal(checkFile(rules, { name: 'server.log', size: 5 }, 0), undefined);
    assert.equal(checkFile(rules, { name: 'server.txt', size: 5 }, 0)?.kind, 'type_not_allowed');
    assert.equal(rules.remoteUrl, false);
  });

  it("detects the file type as Dify does, from the extension", () => {
    assert.deepEqual(['a.JPG', 'b.pdf', 'c.mp3', 'd.webm', 'e.ts', 'noext'].map(fileTypeOf), ['image', 'document', 'audio', 'video', 'custom', 'custom']);
  });
});
