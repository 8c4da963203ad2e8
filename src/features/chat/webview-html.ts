// The chat view's page: a strict CSP (nonce'd script, our own styles and fonts, images only on click), the
// localised strings as inert JSON, and the bundle. Pure, so tests serve the very same page from a plain server.
import type { ChatStrings } from '../../protocol.js';

export interface ChatHtmlOptions {
  /** `webview.cspSource`: where the bundle, styles and fonts come from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUris: string[];
  /** Extra image origins (the apps' servers, for files Dify sends with answers). */
  imgSources: string[];
  strings: ChatStrings;
  /** `vscode.env.language`, e.g. "en" or "zh-cn". */
  lang: string;
}

const escapeAttribute = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** JSON that cannot close its <script> element or open a comment, whatever the strings hold. */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** Only plain origins go into the policy: a value with spaces or quotes could add sources of its own. */
const cspSourceList = (sources: string[]): string => sources.filter((s) => /^[a-z][a-z0-9+.-]*:\/\/[^\s;'",]+$/i.test(s)).join(' ');

export function chatHtml(options: ChatHtmlOptions): string {
  const { cspSource, nonce } = options;
  const csp = [
    "default-src 'none'",
    `img-src ${cspSource} ${cspSourceList(options.imgSources)} https: data: blob:`.replace(/ +/g, ' '),
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "media-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const styles = options.styleUris.map((uri) => `  <link rel="stylesheet" href="${escapeAttribute(uri)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(options.lang || 'en')}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
  <title>Dify</title>
</head>
<body>
  <div id="dify-chat" class="chat"></div>
  <script type="application/json" id="dify-strings">${scriptJson(options.strings)}</script>
  <script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>
`;
}
