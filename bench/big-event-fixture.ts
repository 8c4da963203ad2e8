// Two workflow streams with the same text, wire-exact (CONTRACT.md §4.1), built from the frames of
// test/fixtures/streams/workflow.sse: "big" carries it all in one `workflow_finished` whose outputs hold a string of
// BENCH_BIG_EVENT_MIB MiB (as Dify sends a run over a large file: one data line of many MB), "small" spreads the same
// text over ~4,000 `text_chunk` events of 4 KiB each. Deterministic: the server child and the reader build the same bytes.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPORA } from './stream-fixture.js';

export type BigEventShape = 'big' | 'small';

export interface BigEventStream {
  body: Buffer;
  /** Data events (workflow_started … workflow_finished). */
  events: number;
  /** UTF-16 length of the text the consumer must find: the big output, or the sum of the text_chunk texts. */
  textChars: number;
  /** Bytes of the longest data line. */
  longestLine: number;
  sha256: string;
}

export interface BigEventFixture {
  big: BigEventStream;
  small: BigEventStream;
  /** The JSON of the big event's data line: the input of the JSON.parse floor. */
  bigLine: string;
  /** Text bytes (as JSON on the wire) of one small event, and their number. */
  segmentBytes: number;
  segments: number;
}

const WORKFLOW_SSE = join(import.meta.dirname, '..', 'test', 'fixtures', 'streams', 'workflow.sse');
const MARKER = '\u0000text\u0000';

/** A frame's JSON split around one string value, so any text can go in its place. */
function template(json: string, put: (event: Record<string, unknown>, marker: string) => void): [string, string] {
  const event = JSON.parse(json) as Record<string, unknown>;
  if (JSON.stringify(event) !== json) throw new Error('workflow.sse frame does not round-trip through JSON.stringify');
  put(event, MARKER);
  const [prefix, suffix, extra] = JSON.stringify(event).split(JSON.stringify(MARKER));
  if (prefix === undefined || suffix === undefined || extra !== undefined) throw new Error('cannot split the frame around its text');
  return [prefix, suffix];
}

/**
 * Text as a run over a file puts out (prose, Chinese, code with quotes, backslashes, tabs and newlines), cut into
 * segments of about `segmentBytes` bytes each once JSON-encoded on the wire.
 */
function segmentsOf(totalBytes: number, segmentBytes: number): string[] {
  const corpora = CORPORA.map((text) => Array.from(text).map((ch) => ({ ch, bytes: Buffer.byteLength(JSON.stringify(ch)) - 2 })));
  const segments: string[] = [];
  let total = 0;
  for (let i = 0; total < totalBytes; i++) {
    const corpus = corpora[i % corpora.length]!;
    let position = (i * 97) % corpus.length;
    const limit = Math.min(segmentBytes, totalBytes - total);
    const parts: string[] = [];
    let bytes = 0;
    for (;;) {
      const next = corpus[position]!;
      if (bytes + next.bytes > limit) break;
      parts.push(next.ch);
      bytes += next.bytes;
      position = (position + 1) % corpus.length;
    }
    if (bytes === 0) break;
    segments.push(parts.join(''));
    total += bytes;
  }
  return segments;
}

function stream(frames: string[], textChars: number): BigEventStream {
  const body = Buffer.from(frames.map((json) => `data: ${json}\n\n`).join(''), 'utf8');
  return {
    body,
    events: frames.length,
    textChars,
    longestLine: Math.max(...frames.map((json) => Buffer.byteLength(json))),
    sha256: createHash('sha256').update(body).digest('hex'),
  };
}

export function buildBigEventStreams(textBytes: number, segmentBytes = 4096): BigEventFixture {
  const frames = readFileSync(WORKFLOW_SSE, 'utf8')
    .split('\n\n')
    .filter((f) => f.startsWith('data: '))
    .map((f) => f.slice(6));
  const chunkAt = frames.findIndex((json) => json.startsWith('{"event":"text_chunk",'));
  const finishedAt = frames.findIndex((json) => json.startsWith('{"event":"workflow_finished",'));
  if (chunkAt < 0 || finishedAt !== frames.length - 1) throw new Error(`${WORKFLOW_SSE}: no text_chunk, or workflow_finished is not last`);
  const others = frames.filter((json) => !json.startsWith('{"event":"text_chunk",'));
  const segments = segmentsOf(textBytes, segmentBytes);
  const text = segments.join('');

  // Big: the frames without their text_chunks, and workflow_finished's outputs holding all the text.
  const [finPrefix, finSuffix] = template(frames[finishedAt]!, (event, marker) => {
    (event.data as { outputs: Record<string, unknown> }).outputs = { summary: marker };
  });
  const bigLine = finPrefix + JSON.stringify(text) + finSuffix;
  const big = stream([...others.slice(0, -1), bigLine], text.length);

  // Small: the same text as text_chunk events where the fixture's text_chunks were; workflow_finished as recorded.
  const [chunkPrefix, chunkSuffix] = template(frames[chunkAt]!, (event, marker) => {
    (event.data as { text: unknown }).text = marker;
  });
  const chunks = segments.map((segment) => chunkPrefix + JSON.stringify(segment) + chunkSuffix);
  const after = frames.slice(chunkAt).find((json) => !json.startsWith('{"event":"text_chunk",')); // the node_finished after them
  const firstOther = after === undefined ? -1 : others.indexOf(after);
  if (firstOther < 0) throw new Error(`${WORKFLOW_SSE}: unexpected frame order around text_chunk`);
  const small = stream([...others.slice(0, firstOther), ...chunks, ...others.slice(firstOther)], text.length);

  return { big, small, bigLine, segmentBytes, segments: segments.length };
}
