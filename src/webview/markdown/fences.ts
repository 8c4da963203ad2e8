// Fenced code blocks as CommonMark reads them, with one exception models need (continue#5772): a ```markdown block
// that holds fenced examples. Models write the inner fences with as many backticks as the outer one, so by the letter
// of CommonMark the first inner ``` closes the document and the rest spills out as prose. Inside a fence whose
// language is markdown, a fence opener with a language opens a nested example and the next bare closer closes that
// example, not the document. The block splitter (blocks.ts) and the renderer (render-html.ts) both read fences here.

/** Languages whose fenced block is a markdown document, where fences nest. */
const MARKDOWN_LANGUAGES = new Set(['markdown', 'md', 'mdx', 'gfm']);

const FENCE_OPEN = /^(`{3,}|~{3,})(.*)$/;

/** A fence opener on a line (without its indentation): its character, length and info string. */
export interface FenceOpener {
  char: '`' | '~';
  length: number;
  info: string;
}

export function fenceOpener(content: string): FenceOpener | undefined {
  const open = FENCE_OPEN.exec(content);
  if (!open) return undefined;
  const char = open[1]![0] as FenceOpener['char'];
  // A backtick fence's info string may not hold a backtick (that is inline code).
  if (char === '`' && open[2]!.includes('`')) return undefined;
  return { char, length: open[1]!.length, info: open[2]!.trim() };
}

/** An open fenced block. */
export class OpenFence {
  /** Lengths of the nested examples open inside a markdown document, innermost last. */
  private readonly nested: number[] = [];
  /** The longest fence marker seen inside (nested openers and closers): the outer marker must be longer. */
  longestInside = 0;
  private readonly markdown: boolean;

  constructor(
    readonly char: FenceOpener['char'],
    readonly length: number,
    info: string,
    /** The deepest indent (in columns) its closing line may have. */
    readonly maxCloserIndent: number,
  ) {
    this.markdown = MARKDOWN_LANGUAGES.has(info.split(/\s/, 1)[0]!.toLowerCase());
  }

  /** Reads a line inside the block (`content` without its `columns` of indentation); true when it closes the block. */
  closedBy(content: string, columns: number): boolean {
    if (this.markdown) {
      const inner = fenceOpener(content);
      if (inner && inner.char === this.char && inner.info !== '') {
        this.nested.push(inner.length);
        this.longestInside = Math.max(this.longestInside, inner.length);
        return false;
      }
      const open = this.nested.at(-1);
      if (open !== undefined && closerLength(content, this.char) >= open) {
        this.nested.pop();
        this.longestInside = Math.max(this.longestInside, closerLength(content, this.char));
        return false;
      }
    }
    return columns <= this.maxCloserIndent && closerLength(content, this.char) >= this.length;
  }
}

/** The length of a closing fence made of `char` on this line (0 when it is not one). */
function closerLength(content: string, char: string): number {
  let i = 0;
  while (i < content.length && content[i] === char) i++;
  return i >= 3 && content.slice(i).trim() === '' ? i : 0;
}

/** Columns of leading whitespace (a tab advances to the next multiple of 4) and where the content starts. */
export function indentOf(line: string): { columns: number; start: number } {
  let columns = 0;
  let i = 0;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x20) columns++;
    else if (c === 0x09) columns += 4 - (columns % 4);
    else break;
  }
  return { columns, start: i };
}

/**
 * `source` with each markdown document's fence made longer than the fences nested in it, so a CommonMark parser
 * reads it as one block. Only fences opened at the top level (indent ≤ 3) are considered, as the splitter does.
 */
export function lengthenNestedFences(source: string): string {
  if (!source.includes('```') && !source.includes('~~~')) return source;
  const lines = source.split('\n');
  let fence: { state: OpenFence; line: number } | undefined;
  const rewrites: { line: number; length: number }[] = [];
  const lengthen = (line: number, state: OpenFence) => {
    if (state.longestInside >= state.length) rewrites.push({ line, length: state.longestInside + 1 });
  };
  lines.forEach((line, i) => {
    const { columns, start } = indentOf(line);
    const content = line.slice(start).replace(/\r$/, '');
    if (fence) {
      if (fence.state.closedBy(content, columns)) {
        lengthen(fence.line, fence.state);
        lengthen(i, fence.state);
        fence = undefined;
      }
      return;
    }
    const open = columns <= 3 ? fenceOpener(content) : undefined;
    if (open) fence = { state: new OpenFence(open.char, open.length, open.info, 3), line: i };
  });
  if (fence) lengthen(fence.line, fence.state);
  for (const { line, length } of rewrites) {
    const text = lines[line]!;
    const { start } = indentOf(text);
    const char = text[start]!;
    let end = start;
    while (text[end] === char) end++;
    lines[line] = text.slice(0, start) + char.repeat(length) + text.slice(end);
  }
  return lines.join('\n');
}
