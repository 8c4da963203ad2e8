// Files an answer carries (Dify's message_file events): images wait for a click before anything loads, other files
// open through the host, and a URL outside http(s) shows as a name only.
import type { TurnFile } from '../protocol.js';
import type { ViewContext } from './context.js';
import { el, iconButton } from './dom.js';
import { allowedImage, allowedLink } from './markdown/index.js';
import { format } from './strings.js';

/** The files of an answer, as a section under it. */
export function messageFiles(files: TurnFile[], ctx: ViewContext): HTMLElement {
  const { strings } = ctx;
  const section = el('div', 'turn-files');
  section.setAttribute('aria-label', strings.files);
  for (const file of files) {
    const name = fileName(file.url);
    if (file.type === 'image') {
      const image = allowedImage(String(file.url ?? ''));
      if (!image) {
        section.append(el('span', 'turn-file-blocked', `${strings.imageBlocked}: ${name}`));
        continue;
      }
      // Like images in answers: nothing loads from the server until the user asks for it.
      const button = iconButton('file-media', `${strings.loadImage}: ${name} (${image.host})`, 'turn-image-load', () => {
        const img = el('img', 'turn-image');
        img.alt = name;
        img.referrerPolicy = 'no-referrer';
        img.src = image.src;
        button.replaceWith(img);
      }, `${strings.loadImage}: ${name}`);
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
