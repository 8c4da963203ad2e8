// Turns a sanitised fragment's placeholders into what the user handles: links that can only be clicked through our
// handler, images that load only on request, and code blocks with their toolbar. Built with the DOM API, not HTML.
import type { RenderedHtml } from './render-html.js';
import type { MarkdownLabels } from './types.js';
import { allowedImage, allowedLink, checkImage, type ImageRefusal } from './url-policy.js';

export type CodeAction = 'copy' | 'insert' | 'apply';

const CODE_ACTIONS: { action: CodeAction; icon: string; label: keyof MarkdownLabels }[] = [
  { action: 'copy', icon: 'codicon-copy', label: 'copy' },
  { action: 'insert', icon: 'codicon-insert', label: 'insert' },
  { action: 'apply', icon: 'codicon-diff', label: 'apply' },
];

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

export function icon(name: string): HTMLSpanElement {
  const span = element('span', `codicon ${name}`);
  span.setAttribute('aria-hidden', 'true');
  return span;
}

/** Sets a button's accessible name and tooltip together. */
export function label(button: HTMLElement, text: string): void {
  button.setAttribute('aria-label', text);
  button.title = text;
}

function decorateLinks(root: DocumentFragment, links: string[]): void {
  for (const a of Array.from(root.querySelectorAll('a'))) {
    const index = Number(a.getAttribute('data-link'));
    const href = Number.isInteger(index) ? allowedLink(links[index] ?? '') : undefined;
    if (!href) {
      const inert = element('span', 'md-link-inert');
      inert.append(...Array.from(a.childNodes));
      a.replaceWith(inert);
      continue;
    }
    // No href attribute at all: without our click handler the element cannot navigate anywhere.
    a.removeAttribute('data-link');
    a.className = 'md-link';
    a.dataset.href = href;
    a.title = href;
    a.tabIndex = 0;
    a.setAttribute('role', 'link');
  }
}

/** Why an image is not shown, in the user's words, naming the host it would have contacted. */
export function refusalText(refusal: ImageRefusal, raw: string, labels: MarkdownLabels): string {
  let host = '';
  try {
    host = new URL(raw).host;
  } catch {
    // no host to name
  }
  if (refusal === 'local') return labels.imageBlockedLocal;
  if (refusal === 'query') return `${labels.imageBlockedQuery} (${host})`;
  return labels.imageBlocked;
}

function imagePlaceholder(src: string, alt: string, labels: MarkdownLabels, difyOrigin: string | undefined): HTMLElement {
  const image = checkImage(src, difyOrigin);
  if ('refused' in image) {
    const blocked = element('span', 'md-image-blocked');
    const why = refusalText(image.refused, src, labels);
    blocked.append(icon('codicon-circle-slash'), element('span', 'md-image-alt', alt ? `${why}: ${alt}` : why));
    return blocked;
  }
  const button = element('button', 'md-image-load');
  button.type = 'button';
  button.dataset.src = image.src;
  button.dataset.alt = alt;
  button.append(icon('codicon-file-media'), element('span', 'md-image-alt', alt || labels.loadImage), element('span', 'md-image-host', image.host));
  button.setAttribute('aria-label', `${labels.loadImage}: ${alt ? `${alt} ` : ''}(${image.host})`);
  button.title = image.src.length > 200 ? `${image.src.slice(0, 200)}…` : image.src;
  return button;
}

function decorateImages(root: DocumentFragment, images: RenderedHtml['images'], labels: MarkdownLabels, difyOrigin: string | undefined): void {
  for (const span of Array.from(root.querySelectorAll('span[data-image]'))) {
    const image = images[Number(span.getAttribute('data-image'))];
    if (image) span.replaceWith(imagePlaceholder(image.src, image.alt, labels, difyOrigin));
    else span.remove();
  }
}

function decorateCode(root: DocumentFragment, codes: string[], labels: MarkdownLabels): void {
  for (const block of Array.from(root.querySelectorAll<HTMLElement>('div.md-code[data-code]'))) {
    const language = codes[Number(block.getAttribute('data-code'))] ?? '';
    block.removeAttribute('data-code');
    block.dataset.lang = language;
    const toolbar = element('div', 'md-code-toolbar');
    toolbar.append(element('span', 'md-code-lang', language));
    for (const { action, icon: name, label: key } of CODE_ACTIONS) {
      const button = element('button', 'md-code-action');
      button.type = 'button';
      button.dataset.action = action;
      label(button, labels[key]);
      button.append(icon(name));
      toolbar.append(button);
    }
    block.prepend(toolbar);
  }
}

/** Replaces the placeholders of a sanitised render with live, inert-by-default elements. */
export function decorate(root: DocumentFragment, rendered: RenderedHtml, labels: MarkdownLabels, difyOrigin?: string): void {
  decorateLinks(root, rendered.links);
  decorateImages(root, rendered.images, labels, difyOrigin);
  decorateCode(root, rendered.codes, labels);
}

/** The image a placeholder stands for, created here and only on click; undefined if its URL is not allowed. */
export function loadImage(button: HTMLElement, difyOrigin?: string): HTMLImageElement | undefined {
  const image = allowedImage(button.dataset.src ?? '', difyOrigin);
  if (!image) return undefined;
  const img = document.createElement('img');
  img.className = 'md-image';
  img.alt = button.dataset.alt ?? '';
  img.referrerPolicy = 'no-referrer';
  img.src = image.src;
  button.replaceWith(img);
  return img;
}

/** The code of a block, as the model wrote it (without the newline that ends the fence's last line). */
export function codeOf(block: Element): string {
  const code = block.querySelector('pre > code')?.textContent ?? '';
  return code.endsWith('\n') ? code.slice(0, -1) : code;
}
