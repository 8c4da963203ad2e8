// Reasoning models in LLM nodes. A query (chatflow) or topic (workflow) with the word "think" runs the LLM node on a
// reasoning model. On 1.15 its reasoning format is "separated" (CONSOLE §11 item 4): `reasoning_chunk` events
// carry the chain of thought (`data: {message_id, reasoning, node_id, is_final}`, the last one with an empty
// `reasoning` and is_final true) and the answer has no `<think>`. On 1.13.2 it is "tagged": the answer deltas start
// with `<think>…</think>`, as Dify streamed reasoning before 1.15.
import { splitDeltas } from './answers.js';

const THINK = /\bthink\b/i;

/** Whether this prompt runs on the reasoning model. */
export function wantsReasoning(prompt: string): boolean {
  return THINK.test(prompt);
}

/** The model's chain of thought for a prompt (deterministic). */
export function reasoningText(prompt: string): string {
  return `The user asks: "${prompt.trim()}". 先想一想：I should answer briefly, then offer help.`;
}

/** The reasoning as it is streamed: the deltas, then "" (the final chunk). */
export function reasoningDeltas(prompt: string): string[] {
  return [...splitDeltas(reasoningText(prompt)), ''];
}

/** The tagged form (1.13.2): what precedes the answer text in the deltas and in `outputs.text`. */
export function taggedReasoning(prompt: string): string {
  return `<think>\n${reasoningText(prompt)}\n</think>\n\n`;
}
