// A run as a readable Markdown document (VS Code's Markdown preview shows it): the app as title, the facts (file,
// when, status, duration, output mode), the failure message once, the steps with their durations, the inputs (long
// values cut) and the outputs. Every text from Dify or the user is escaped or fenced: none of it becomes Markdown or
// HTML. The labels come translated from the caller.
import { escapeMarkdown } from '../platform/markdown-text.js';
import { outputText } from './workflow-output.js';

export interface RunDocument {
  title: string;
  /** Label and value, in order; a pair without a value is left out. */
  facts: [label: string, value: string | undefined][];
  /** Why the run failed, once. */
  failure?: { heading: string; message: string };
  steps?: { heading: string; columns: [step: string, status: string, duration: string]; rows: [string, string, string][] };
  sections: ValueSection[];
  /** More facts after everything else (how a failure happened, in the terms of Dify's API). */
  more?: { heading: string; facts: RunDocument['facts'] };
  /** Remarks after the values, as plain text. */
  notes?: string[];
}

export interface ValueSection {
  heading: string;
  /** Named values (each under its name), or one text. */
  values: Record<string, unknown> | string | undefined;
  /** Values longer than MAX_SHOWN are cut to their start, with this note ("First 3,000 of 40,000 characters"). */
  cut?: (shown: number, total: number) => string;
}

/** The most of a cut value shown: this many lines, or characters. */
export const MAX_SHOWN = { lines: 40, chars: 3_000 };

/** Plain text as itself in Markdown, on one line (a table cell, a list item). */
const inline = (text: string): string => escapeMarkdown(text.replace(/\s*\n\s*/g, ' '));

/** `text` in a code fence that nothing in it can close. */
function fence(text: string, language = 'text'): string {
  const ticks = '`'.repeat(Math.max(3, ...[...text.matchAll(/`{3,}/g)].map((m) => m[0].length + 1)));
  return `${ticks}${language}\n${text}\n${ticks}`;
}

/** The start of `text` when it is longer than MAX_SHOWN, else undefined. */
export function cutText(text: string): string | undefined {
  let end = Math.min(text.length, MAX_SHOWN.chars);
  let newline = -1;
  for (let line = 0; line < MAX_SHOWN.lines; line++) {
    newline = text.indexOf('\n', newline + 1);
    if (newline < 0) break;
  }
  if (newline >= 0) end = Math.min(end, newline);
  return end < text.length ? text.slice(0, end) : undefined;
}

function section(part: ValueSection): string[] {
  const lines = [`## ${inline(part.heading)}`, ''];
  const value = (value: unknown): string[] => {
    const text = outputText(value);
    const cut = part.cut && cutText(text);
    const json = typeof value === 'object' && value !== null && text === JSON.stringify(value, null, 2);
    const shown = [fence(cut ?? text, json ? 'json' : 'text'), ''];
    return part.cut && cut !== undefined ? [...shown, `*${inline(part.cut(cut.length, text.length))}*`, ''] : shown;
  };
  if (typeof part.values === 'string') return [...lines, ...value(part.values)];
  const entries = Object.entries(part.values ?? {}).filter(([k]) => !k.startsWith('sys.'));
  if (entries.length === 0) return [...lines, '—', ''];
  for (const [key, v] of entries) lines.push(`### ${inline(key)}`, '', ...value(v));
  return lines;
}

const factList = (facts: RunDocument['facts']): string[] => [...facts.flatMap(([label, value]) => (value ? [`- **${inline(label)}:** ${inline(value)}`] : [])), ''];

export function runMarkdown(doc: RunDocument): string {
  const lines = [`# ${inline(doc.title)}`, '', ...factList(doc.facts)];
  if (doc.failure) {
    lines.push(`## ${inline(doc.failure.heading)}`, '');
    for (const line of doc.failure.message.split('\n')) lines.push(`> ${escapeMarkdown(line)}`);
    lines.push('');
  }
  if (doc.steps?.rows.length) {
    lines.push(`## ${inline(doc.steps.heading)}`, '', `| ${doc.steps.columns.map(inline).join(' | ')} |`, '| --- | --- | ---: |');
    for (const row of doc.steps.rows) lines.push(`| ${row.map(inline).join(' | ')} |`);
    lines.push('');
  }
  for (const part of doc.sections) lines.push(...section(part));
  for (const note of doc.notes ?? []) lines.push(`*${inline(note)}*`, '');
  if (doc.more) lines.push(`## ${inline(doc.more.heading)}`, '', ...factList(doc.more.facts));
  return lines.join('\n').replace(/\n+$/, '\n');
}
