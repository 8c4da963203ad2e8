// Markdown to HTML with nothing live in it: links, images and code blocks come out as numbered placeholders whose
// URLs and languages stay in side tables, so no model-controlled URL ever passes through HTML attributes.
import MarkdownIt from 'markdown-it';
import type { Env, RendererRule } from 'markdown-it';
import { lengthenNestedFences } from './fences.js';
import { escapeHtml, highlightCode, languageOf } from './highlight.js';

/** What a piece of markdown rendered to, with what its placeholders stand for. */
export interface RenderedHtml {
  html: string;
  /** `data-link="i"`: the link's destination, as markdown-it normalised it. */
  links: string[];
  /** `data-image="i"`: the image's URL and alt text. */
  images: { src: string; alt: string }[];
  /** `data-code="i"`: the code block's language ('' when none or unsafe). */
  codes: string[];
  /** Reference labels the text uses that neither it nor `references` defines (yet: definitions may come later). */
  missing: string[];
}

/** What the renderer rules fill in while rendering one piece of markdown. */
interface Tables {
  links: string[];
  images: { src: string; alt: string }[];
  codes: string[];
}

const TABLES = Symbol('placeholders');

// breaks: answers are written for Dify's own chat UI, which shows single newlines as line breaks.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });

function tablesOf(env: Env | undefined): Tables {
  const tables = env?.[TABLES] as Tables | undefined;
  if (!tables) throw new Error('renderMarkdown: missing placeholder tables');
  return tables;
}

const linkOpen: RendererRule = (tokens, idx, _options, env) => {
  const links = tablesOf(env).links;
  links.push(tokens[idx]!.attrGet('href')?.toString() ?? '');
  return `<a data-link="${links.length - 1}">`;
};

const image: RendererRule = (tokens, idx, options, env, renderer) => {
  const token = tokens[idx]!;
  const images = tablesOf(env).images;
  images.push({ src: token.attrGet('src')?.toString() ?? '', alt: renderer.renderInlineAsText(token.children ?? [], options, env) });
  return `<span data-image="${images.length - 1}"></span>`;
};

function codeBlock(code: string, info: string, env: Env | undefined): string {
  const codes = tablesOf(env).codes;
  const language = languageOf(info);
  codes.push(language);
  const cls = language ? `hljs language-${language}` : 'hljs';
  return `<div class="md-code" data-code="${codes.length - 1}"><pre><code class="${escapeHtml(cls)}">${highlightCode(code, language)}</code></pre></div>\n`;
}

// Table alignment comes as a style attribute, which the page's CSP and the sanitiser both refuse: use a class.
const cellOpen: RendererRule = (tokens, idx, options, _env, renderer) => {
  const token = tokens[idx]!;
  const align = /text-align:\s*(left|right|center)/.exec(token.attrGet('style')?.toString() ?? '')?.[1];
  token.attrs = align ? [['class', `md-align-${align}`]] : null;
  return renderer.renderToken(tokens, idx, options);
};

md.renderer.rules.link_open = linkOpen;
md.renderer.rules.link_close = () => '</a>';
md.renderer.rules.image = image;
md.renderer.rules.fence = (tokens, idx, _options, env) => codeBlock(tokens[idx]!.content, md.utils.unescapeAll(tokens[idx]!.info), env);
md.renderer.rules.code_block = (tokens, idx, _options, env) => codeBlock(tokens[idx]!.content, '', env);
md.renderer.rules.th_open = cellOpen;
md.renderer.rules.td_open = cellOpen;

/**
 * Renders `source`. `references` holds link reference definitions seen in earlier blocks; the ones `source` defines
 * are added to it, so pass a copy when this render will be thrown away.
 */
export function renderMarkdown(source: string, references: NonNullable<Env['references']>): RenderedHtml {
  const tables: Tables = { links: [], images: [], codes: [] };
  const looked = new Set<string>();
  // markdown-it looks every `[label]` up in env.references: the lookups that miss name what a later definition fixes.
  const watched = new Proxy(references, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !Object.hasOwn(target, key)) looked.add(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  const env: Env = { references: watched, [TABLES]: tables };
  const html = md.render(lengthenNestedFences(source), env);
  const missing = [...looked].filter((label) => !Object.hasOwn(references, label));
  return { html, ...tables, missing };
}
