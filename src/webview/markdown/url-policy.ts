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

/**
 * Why an image is not offered: not http(s) or an inline raster image; an address inside VS Code (the webview's own
 * resource origins, or the page's own server, as code-server serves both); or a query string for a server other
 * than the app's Dify (a prompt-injected image can carry the conversation out in it; Dify's own file links are
 * signed with one).
 */
export type ImageRefusal = 'scheme' | 'local' | 'query';

/** Hosts that serve a webview's own resources (local files among them). */
const LOCAL_HOSTS = /(?:^|\.)(?:vscode-cdn\.net|vscode-webview\.net|vscode-resource\.[^.]+|vscode-webview-test\.com)$/i;

/** The image's URL and host when it may be loaded on click, else why not. `difyOrigin`: the app's Dify server. */
export function checkImage(raw: string, difyOrigin?: string): AllowedImage | { refused: ImageRefusal } {
  const url = parse(raw);
  if (url?.protocol === 'data:' && DATA_IMAGE.test(url.href)) return { src: url.href, host: 'data:' };
  if (!url || !IMAGE_SCHEMES.has(url.protocol) || !url.hostname) return { refused: 'scheme' };
  const own = typeof location === 'object' && /^https?:$/.test(location.protocol) ? location.origin : undefined;
  if (LOCAL_HOSTS.test(url.hostname) || url.origin === own) return { refused: 'local' };
  if ((url.search || url.hash) && url.origin !== difyOrigin) return { refused: 'query' };
  return { src: url.href, host: url.host };
}

/** The image when it may be loaded on click (see checkImage), else undefined. */
export function allowedImage(raw: string, difyOrigin?: string): AllowedImage | undefined {
  const image = checkImage(raw, difyOrigin);
  return 'refused' in image ? undefined : image;
}
