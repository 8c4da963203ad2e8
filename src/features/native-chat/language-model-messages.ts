// A language model request message as the text a Dify app takes: its text parts as they are, a tool's result by its
// text, and a short bracketed note for what a text-only app cannot take (a tool call, an image or other data).
import * as vscode from 'vscode';
import type { ThreadMessage, ThreadRole } from '../../core/lm-thread.js';
import type { LanguageModelChatRequestMessage } from './language-model-api.js';

export function threadMessage(message: LanguageModelChatRequestMessage): ThreadMessage {
  // Content was a plain string before VS Code 1.93's parts; a caller may still hand one over.
  const parts: readonly unknown[] = Array.isArray(message.content) ? message.content : [String(message.content ?? '')];
  return { role: roleOf(message.role), text: parts.map((p) => (typeof p === 'string' ? p : partText(p))).filter(Boolean).join('\n') };
}

function roleOf(role: vscode.LanguageModelChatMessageRole): ThreadRole {
  if (role === vscode.LanguageModelChatMessageRole.User) return 'user';
  if (role === vscode.LanguageModelChatMessageRole.Assistant) return 'assistant';
  // System (3, proposed API in VS Code) and any role added later: instructions, not a turn of the conversation.
  return 'system';
}

/** Sent to the app's model, so the notes are plain English, not localised. */
function partText(part: unknown): string {
  if (part instanceof vscode.LanguageModelTextPart) return part.value;
  if (part instanceof vscode.LanguageModelToolResultPart) {
    const text = part.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).filter(Boolean).join('\n');
    return text ? `[Tool result]\n${text}` : '';
  }
  if (part instanceof vscode.LanguageModelToolCallPart) return `[Called the tool ${part.name}]`;
  // LanguageModelDataPart (1.104+, not in the 1.95 types): images and other data a text-only Dify app cannot take.
  // Text and JSON data are text; other kinds (such as a provider's cache marks) say nothing to a Dify app.
  if (isDataPart(part)) {
    if (part.mimeType.startsWith('image/')) return `[An image (${part.mimeType}) was attached; it is left out.]`;
    return part.mimeType.startsWith('text/') || part.mimeType === 'application/json' ? new TextDecoder().decode(part.data) : '';
  }
  return '';
}

function isDataPart(part: unknown): part is { mimeType: string; data: Uint8Array } {
  return typeof part === 'object' && part !== null && typeof (part as { mimeType?: unknown }).mimeType === 'string' && (part as { data?: unknown }).data instanceof Uint8Array;
}
