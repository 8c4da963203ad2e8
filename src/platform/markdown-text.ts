// Text put into a MarkdownString (tooltips, hovers) as itself: every character Markdown would read as syntax escaped.
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
