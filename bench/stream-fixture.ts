// A large recorded chat stream, wire-exact (CONTRACT.md §4.1): `data: <compact JSON>\n\n` frames with the envelope
// and key order of the `message` events in test/fixtures/streams/chat.sse, `event: ping` keep-alives sprinkled in,
// and chat.sse's own `message_end` frame last. Deterministic: the server child and the bench build the same bytes.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ChatStreamFixture {
  /** The whole response body as it goes on the wire. */
  body: Buffer;
  /** The JSON of every data frame, in order (pings excluded): the input of the JSON.parse floor. */
  dataFrames: string[];
  /** Data events: `message` frames plus the final `message_end`. */
  events: number;
  pings: number;
  /** Sum of the `answer` lengths (UTF-16 code units), a checksum every consumer must reproduce. */
  answerChars: number;
  sha256: string;
}

const CHAT_SSE = join(import.meta.dirname, '..', 'test', 'fixtures', 'streams', 'chat.sse');
const MARKER = '\u0000answer\u0000';

/** Text a model might stream: prose, Chinese, and code (quotes, backslashes, tabs and newlines get JSON escapes). */
export const CORPORA: readonly string[] = [
  'Dify is an open-source platform for building LLM applications. It combines visual workflow orchestration, ' +
    'retrieval-augmented generation over your own knowledge bases, agents with tools, and model management, so a ' +
    'prototype can become a production app without rewriting it. Each app exposes a Service API: you send a query, ' +
    'and the answer streams back as server-sent events, one small delta at a time, until message_end arrives with ' +
    'the token usage and the retrieved sources. ',
  'Dify 是一个开源的大语言模型应用开发平台。它把可视化的工作流编排、基于知识库的检索增强生成、带工具的智能体以及模型管理' +
    '整合在一起，让原型可以直接变成生产环境中的应用。每个应用都提供服务 API：发送一个问题，答案会以服务器推送事件的形式' +
    '逐段返回，最后由 message_end 事件给出用量和引用来源。「流式输出」能让用户更快地看到第一个字。',
  'export async function* readEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {\n' +
    '\tconst decoder = new TextDecoder("utf-8");\n\tlet buffer = \'\';\n' +
    '\tfor await (const chunk of body) {\n\t\tbuffer += decoder.decode(chunk, { stream: true });\n' +
    '\t\tlet end = buffer.indexOf("\\n\\n");\n\t\twhile (end !== -1) {\n' +
    '\t\t\tyield buffer.slice(0, end); // one frame\n\t\t\tbuffer = buffer.slice(end + 2);\n' +
    '\t\t\tend = buffer.indexOf("\\n\\n");\n\t\t}\n\t}\n}\n\n' +
    'def answer(query: str) -> dict:\n    """Ask Dify and return the JSON body."""\n' +
    '    return {"query": query, "path": "C:\\\\Users\\\\dify", "ok": True}\n\n',
];

/** mulberry32: a small seeded PRNG, so every process builds the same stream. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Token-delta lengths in code points: mostly short, sometimes a batched 20–40 character delta. */
function deltaLength(random: () => number): number {
  const r = random();
  if (r < 0.7) return 1 + Math.floor(random() * 8);
  if (r < 0.95) return 9 + Math.floor(random() * 12);
  return 21 + Math.floor(random() * 20);
}

function fixtureFrames(): { messageTemplate: [string, string]; messageEnd: string } {
  const frames = readFileSync(CHAT_SSE, 'utf8').split('\n\n').filter((f) => f.startsWith('data: '));
  const messageJson = frames.find((f) => f.startsWith('data: {"event":"message",'))?.slice(6);
  const messageEnd = frames.find((f) => f.startsWith('data: {"event":"message_end",'))?.slice(6);
  if (!messageJson || !messageEnd) throw new Error(`${CHAT_SSE} has no message / message_end frame`);
  const message = JSON.parse(messageJson) as Record<string, unknown>;
  // The fixture is orjson output; JSON.stringify writes these values identically, so the key order is kept exactly.
  if (JSON.stringify(message) !== messageJson) throw new Error('chat.sse message frame does not round-trip');
  const [prefix, suffix] = JSON.stringify({ ...message, answer: MARKER }).split(JSON.stringify(MARKER));
  if (prefix === undefined || suffix === undefined) throw new Error('cannot split the message envelope');
  return { messageTemplate: [prefix, suffix], messageEnd };
}

/** Builds at least `minBytes` of stream. `pingEvery` ≈ data frames between two pings. */
export function buildChatStream(minBytes: number, seed = 20260321, pingEvery = 1500): ChatStreamFixture {
  const { messageTemplate, messageEnd } = fixtureFrames();
  const [prefix, suffix] = messageTemplate;
  const corpora = CORPORA.map((text) => Array.from(text));
  const random = prng(seed);
  const dataFrames: string[] = [];
  const pieces: string[] = [];
  let bytes = 0;
  let pings = 0;
  let answerChars = 0;
  let corpus = corpora[0] ?? [];
  let position = 0;
  let runLeft = 0;
  let nextPing = pingEvery;

  while (bytes < minBytes) {
    if (runLeft <= 0) {
      corpus = corpora[Math.floor(random() * corpora.length)] ?? corpus;
      position = Math.floor(random() * corpus.length);
      runLeft = 50 + Math.floor(random() * 400);
    }
    runLeft--;
    let answer = '';
    if (random() >= 0.002) {
      // Deltas can be empty strings (CONTRACT.md §4.3); the rest walk through the corpus like a model's tokens.
      const length = deltaLength(random);
      for (let i = 0; i < length; i++) answer += corpus[(position + i) % corpus.length];
      position = (position + length) % corpus.length;
    }
    const json = prefix + JSON.stringify(answer) + suffix;
    const frame = `data: ${json}\n\n`;
    dataFrames.push(json);
    pieces.push(frame);
    answerChars += answer.length;
    bytes += Buffer.byteLength(frame);
    if (dataFrames.length >= nextPing) {
      pieces.push('event: ping\n\n');
      bytes += 13;
      pings++;
      nextPing += Math.floor(pingEvery * (0.5 + random()));
    }
  }
  dataFrames.push(messageEnd);
  pieces.push(`data: ${messageEnd}\n\n`);

  const body = Buffer.from(pieces.join(''), 'utf8');
  return {
    body,
    dataFrames,
    events: dataFrames.length,
    pings,
    answerChars,
    sha256: createHash('sha256').update(body).digest('hex'),
  };
}
