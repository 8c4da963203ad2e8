// Files an answer carries (Dify's message_file events): images wait for a click before anything loads, named by the
// tool that made them and the host the click contacts (never by the UUID of their file name); other files open
// through the host, and a URL outside http(s) shows as a name only.
import type { TurnFile, TurnThought } from '../protocol.js';
import type { ViewContext } from './context.js';
import { el, iconButton } from './dom.js';
import { allowedLink, checkImage } from './markdown/index.js';
import { refusalText } from './markdown/decorate.js';
import { format } from './strings.js';

/** The files of an answer, as a section under it; `thoughts` name the tool that made each one. */
export function messageFiles(files: TurnFile[], thoughts: TurnThought[], ctx: ViewContext): HTMLElement {
  const { strings } = ctx;
  const section = el('div', 'turn-files');
  section.setAttribute('aria-label', strings.files);
  for (const file of files) {
    const name = fileName(file.url);
    if (file.type === 'image') {
      const url = String(file.url ?? '');
      const image = checkImage(url, ctx.markdownHooks.difyOrigin());
      if ('refused' in image) {
        section.append(el('span', 'turn-file-blocked', refusalText(image.refused, url, strings)));
        continue;
      }
      const tool = (Array.isArray(thoughts) ? thoughts : []).find((t) => Array.isArray(t.files) && t.files.includes(file.id))?.tool;
      const label = tool ? format(strings.toolImage, tool.split(';').join(', ')) : strings.image;
      // Like images in answers: nothing loads from the server until the user asks for it.
      const button = iconButton('file-media', `${strings.loadImage}: ${label} (${image.host})`, 'turn-image-load', () => {
        const img = el('img', 'turn-image');
        img.alt = label;
        img.referrerPolicy = 'no-referrer';
        img.src = image.src;
        button.replaceWith(img);
      });
      button.append(el('span', 'turn-image-name', label), el('span', 'turn-image-host', image.host));
      button.title = `${strings.loadImage}: ${name} (${image.host})`;
      section.append(button);
      continue;
    }
    const href = allowedLink(String(file.url ?? ''));
    if (!href) {
      section.append(el('span', 'turn-file-blocked', name));
      continue;
    }
    section.append(iconButton('file', format(strings.openFile, name), 'turn-file-link link-button', () => ctx.post({ type: 'openLink', href }), name));
  }
  return section;
}

/** The last path segment of a file URL, without its signature query. */
function fileName(url: unknown): string {
  const raw = typeof url === 'string' ? url : '';
  const path = raw.split(/[?#]/)[0] ?? '';
  const last = path.split('/').filter(Boolean).pop() ?? raw;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
