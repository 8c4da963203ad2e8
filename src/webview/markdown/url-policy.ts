// Which URLs from model output may become a clickable link or a loadable image. Anything else stays inert text:
// the answer is hostile input (prompt injection), and a webview link can reach commands, files and other schemes.

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
const IMAGE_SCHEMES = new Set(['http:', 'https:']);
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp)[;,]/i;

function parse(raw: string): URL | undefined {
  try {
    return new URL(raw.trim());
  } catch {
    // Relative or malformed: there is no page to resolve it against.
    return undefined;
  }
}

/** The canonical form of a link's URL when it may be opened (http, https, mailto), else undefined. */
export function allowedLink(raw: string): string | undefined {
  const url = parse(raw);
  if (!url || !LINK_SCHEMES.has(url.protocol)) return undefined;
  if (url.protocol !== 'mailto:' && !url.hostname) return undefined;
  return url.href;
}

/** An image URL that may be loaded when the user asks for it, and the host to name in the placeholder. */
export interface AllowedImage {
  src: string;
  host: string;
}

/** An image's URL when it may be loaded on click (http, https, or an inline png/jpeg/gif/webp), else undefined. */
export function allowedImage(raw: string): AllowedImage | undefined {
  const url = parse(raw);
  if (!url) return undefined;
  if (IMAGE_SCHEMES.has(url.protocol) && url.hostname) return { src: url.href, host: url.host };
  if (url.protocol === 'data:' && DATA_IMAGE.test(url.href)) return { src: url.href, host: 'data:' };
  return undefined;
}
