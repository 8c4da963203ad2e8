// The view's words: read once from the page (the host localised them), with {0}-style placeholders filled here.
import type { ChatStrings } from '../protocol.js';

export function readStrings(): ChatStrings {
  const element = document.getElementById('dify-strings');
  try {
    const parsed: unknown = JSON.parse(element?.textContent ?? '{}');
    if (typeof parsed === 'object' && parsed !== null) return parsed as ChatStrings;
  } catch {
    // A page without strings still works: the keys show, which a test would notice.
  }
  return {} as ChatStrings;
}

/** Fills {0}, {1}, … with the arguments; an unknown placeholder stays as written. */
export function format(template: string | undefined, ...args: unknown[]): string {
  return (template ?? '').replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? match : String(value);
  });
}
