// Deterministic "model output", so tests can predict answers, names and suggestions from the query.

const CODE_BLOCK = '\n\n```python\ndef greet(name):\n    return f"你好, {name}!"\n```\n';

/** The answer text for a query: an echo, some Chinese, and a fenced code block when the query mentions "code". */
export function answerText(query: string): string {
  return answerDeltas(query).join('');
}

/**
 * The answer as the deltas it is streamed in. `long:N` gives N deltas (for paging and performance tests).
 */
export function answerDeltas(query: string): string[] {
  const long = /^\s*long:(\d+)/i.exec(query);
  if (long) {
    const n = Math.min(Number(long[1]), 1_000_000);
    return Array.from({ length: n }, (_, i) => `Chunk ${i + 1} 块${i + 1}. `);
  }
  let text = `Echo: ${query.trim()}\n\n你好！这是 Dify 测试服务器的回答。`;
  if (/code/i.test(query)) text += CODE_BLOCK;
  text += '\n\nHope this helps.';
  return splitDeltas(text);
}

/** Groups of up to three whitespace-separated tokens; the deltas concatenate to the text exactly. */
export function splitDeltas(text: string): string[] {
  const tokens = text.match(/\s*\S+\s*/g) ?? [text];
  const deltas: string[] = [];
  for (let i = 0; i < tokens.length; i += 3) deltas.push(tokens.slice(i, i + 3).join(''));
  return deltas;
}

/** The name a conversation has until one is generated: the first 20 characters of the query and "…". */
export function provisionalName(query: string): string {
  return Array.from(query).slice(0, 20).join('') + '…';
}

/** The "generated" conversation title (auto_generate_name / rename with auto_generate). */
export function generatedName(query: string): string {
  const words = query.replace(/\s+/g, ' ').trim().split(' ').slice(0, 6).join(' ');
  const name = `Chat: ${words}`;
  return name.length > 75 ? name.slice(0, 75) + '...' : name;
}

/** Suggested questions after an answer. */
export function suggestedQuestions(query: string): string[] {
  const head = Array.from(query.trim()).slice(0, 20).join('');
  return [`Tell me more about "${head}"`, '能举个例子吗？', 'What should I try next?'];
}

/** Rough token counts, stable for a given text. */
export function tokenCount(text: string): number {
  return Math.max(1, Math.ceil(Array.from(text).length / 4));
}
