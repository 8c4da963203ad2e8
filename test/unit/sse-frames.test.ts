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

/**
 * Counts the bytes Buffer.concat copies and Buffer#indexOf scans while `run` frames, so a test can say "linear in
 * bytes" without a clock: a framer that re-joins and re-scans its tail on every chunk does n²/chunk of each.
 */
function measureWork(run: () => void): { copied: number; scanned: number } {
  const concat = Buffer.concat;
  const indexOf = Buffer.prototype.indexOf;
  let copied = 0;
  let scanned = 0;
  Buffer.concat = function (list: readonly Uint8Array[], total?: number) {
    const out = concat.call(Buffer, list, total);
    copied += out.length;
    return out;
  } as typeof Buffer.concat;
  Buffer.prototype.indexOf = function (this: Buffer, value: string | number | Uint8Array, byteOffset?: number | BufferEncoding, encoding?: BufferEncoding) {
    const at = indexOf.call(this, value, byteOffset as number, encoding);
    const from = typeof byteOffset === 'number' ? byteOffset : 0;
    scanned += (at === -1 ? this.length : at + 1) - from;
    return at;
  } as typeof Buffer.prototype.indexOf;
  try {
    run();
  } finally {
    Buffer.concat = concat;
    Buffer.prototype.indexOf = indexOf;
  }
  return { copied, scanned };
}

describe('SSE frames: big events cost work linear in their bytes', () => {
  const big = (bytes: number) => {
    const text = 'x'.repeat(bytes);
    return { text, body: Buffer.from(`event: ping\n\ndata: {"event":"workflow_finished","outputs":{"text":"${text}"}}\n\ndata: {"event":"after"}\n\n`) };
  };

  for (const [frameSize, chunkSize] of [
    [4 * 1024 * 1024, 16 * 1024],
    [1024 * 1024, 1024],
    [256 * 1024, 1],
  ] as const) {
    it(`a ${frameSize / 1024} KB event in ${chunkSize}-byte chunks: each byte copied and scanned a bounded number of times`, () => {
      const { text, body } = big(frameSize);
      const out: string[] = [];
      const frames = new SseFrames((d) => out.push(d));
      const work = measureWork(() => {
        for (let i = 0; i < body.length; i += chunkSize) frames.push(body.subarray(i, i + chunkSize));
        frames.end();
      });
      assert.equal(out.length, 2);
      assert.equal((JSON.parse(out[0]!) as { outputs: { text: string } }).outputs.text.length, text.length);
      assert.ok(work.copied <= 2 * body.length, `copied ${work.copied} bytes for a ${body.length}-byte body`);
      assert.ok(work.scanned <= 3 * body.length, `scanned ${work.scanned} bytes for a ${body.length}-byte body`);
    });
  }

  it('the blank line of a frame arriving alone in the next chunk still ends the frame', () => {
    const bytes = Buffer.from('data: {"a":1}\n\ndata: {"b":2}\n\n');
    // Split right after each data line's LF, so the frame's second LF opens the next chunk.
    assert.deepEqual(split(bytes, [14, 15, 29]), ['{"a":1}', '{"b":2}']);
    assert.deepEqual(split(Buffer.from('data: {"a":1}\r\n\r\n'), [14, 15]), ['{"a":1}']);
  });
});
