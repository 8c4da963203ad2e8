// The byte-level fast path must give exactly what a full SSE parser gives, for Dify's frames and for anything else,
// however the bytes are split into chunks.
import assert from 'node:assert/strict';
import { createParser } from 'eventsource-parser';
import { SseFrames } from '../../src/dify/sse-frames.js';
import { exampleStream } from '../helpers/streams.js';

/**
 * What the spec says the events are: eventsource-parser over the whole text, unnamed events only. The spec's UTF-8
 * decode drops a leading BOM; eventsource-parser only recognises it as raw bytes, so it is dropped here.
 */
function reference(text: string): string[] {
  const out: string[] = [];
  const parser = createParser({ onEvent: (m) => m.event === undefined && out.push(m.data) });
  parser.feed(text.replace(/^\ufeff/, ''));
  return out;
}

function split(bytes: Buffer, cuts: number[]): string[] {
  const out: string[] = [];
  const frames = new SseFrames((d) => out.push(d));
  let last = 0;
  for (const cut of [...cuts, bytes.length]) {
    frames.push(bytes.subarray(last, cut));
    last = cut;
  }
  frames.end();
  return out;
}

const cases: Record<string, string> = {
  dify: 'event: ping\n\ndata: {"event":"message","answer":"你好 🚀"}\n\ndata: {"event":"message_end"}\n\n',
  crlfFromTheStart: 'data: {"a":1}\r\n\r\ndata: {"b":"中文"}\r\n\r\n',
  crlfLater: 'data: {"a":1}\n\ndata: {"b":2}\r\n\r\ndata: {"c":3}\n\n',
  multiLine: 'data: {"a":\ndata: 1}\n\ndata: {"b":2}\n\n',
  commentsAndIds: ': keep-alive\n\nid: 7\ndata: {"a":1}\n\nretry: 100\n\ndata: {"b":2}\n\n',
  namedEvents: 'event: custom\ndata: {"ignored":true}\n\ndata: {"kept":true}\n\n',
  bom: '\ufeffdata: {"a":1}\n\n',
  noSpaceAfterColon: 'data:{"a":1}\n\n',
  unfinishedLastFrame: 'data: {"a":1}\n\ndata: {"cut":',
  otherPingLikeFrame: 'event: pinged\n\ndata: {"a":1}\n\n',
};

describe('SSE frames: fast path equals the spec', () => {
  for (const [name, text] of Object.entries(cases)) {
    it(`${name}: every single split point`, () => {
      const bytes = Buffer.from(text);
      const expected = reference(text);
      assert.deepEqual(split(bytes, []), expected, 'one chunk');
      for (let i = 1; i < bytes.length; i++) assert.deepEqual(split(bytes, [i]), expected, `split at ${i}`);
      assert.deepEqual(split(bytes, Array.from({ length: bytes.length - 1 }, (_, i) => i + 1)), expected, 'byte by byte');
    });
  }

  it('the example streams, in 3-byte chunks', () => {
    for (const name of ['chat', 'agent-chat', 'advanced-chat', 'workflow']) {
      const bytes = exampleStream(name);
      const cuts = Array.from({ length: Math.floor((bytes.length - 1) / 3) }, (_, i) => (i + 1) * 3);
      assert.deepEqual(split(bytes, cuts), reference(bytes.toString('utf8')), name);
    }
  });
});
