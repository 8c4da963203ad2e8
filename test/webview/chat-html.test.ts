// The chat page itself (chatHtml): a strict CSP with the nonce, strings that cannot break out of their <script>,
// and only plain origins accepted as image sources. Pure string checks; the browser tests load this same page.
import assert from 'node:assert/strict';
import type { ChatStrings } from '../../src/protocol.js';
import { chatHtml } from '../../src/features/chat/webview-html.js';

const page = (overrides: Partial<Parameters<typeof chatHtml>[0]> = {}) =>
  chatHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: 'bm9uY2U=',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
    styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/media/chat.css'],
    imgSources: ['https://dify.example.com'],
    strings: { send: 'Send' } as unknown as ChatStrings,
    lang: 'zh-cn',
    ...overrides,
  });

describe('chat view: the page (chatHtml)', () => {
  it('has a strict CSP: nonce-only scripts, no connections, own styles and fonts', () => {
    const html = page();
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!.replace(/&#39;|&apos;/g, "'");
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    assert.equal(directives['default-src'], "'none'");
    assert.equal(directives['script-src'], "'nonce-bm9uY2U='");
    assert.equal(directives['style-src'], "https://file+.vscode-resource.vscode-cdn.net 'nonce-bm9uY2U='");
    assert.equal(directives['font-src'], 'https://file+.vscode-resource.vscode-cdn.net');
    assert.equal(directives['connect-src'], "'none'");
    assert.equal(directives['base-uri'], "'none'");
    assert.equal(directives['form-action'], "'none'");
    assert.match(directives['img-src']!, /^https:\/\/file\+\.vscode-resource\.vscode-cdn\.net https:\/\/dify\.example\.com https: data: blob:$/);
    assert.match(html, /<script nonce="bm9uY2U=" src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\.js"><\/script>/);
    assert.match(html, /<html lang="zh-cn">/);
    assert.equal((html.match(/<script/g) ?? []).length, 2, 'the strings and the bundle, nothing else');
  });

  it('keeps the strings inside their JSON script whatever they hold', () => {
    const strings = { send: '</script><script>alert(1)</script>', stop: '<!-- & \u2028' } as unknown as ChatStrings;
    const html = page({ strings });
    const json = /<script type="application\/json" id="dify-strings">(.*?)<\/script>/s.exec(html)![1]!;
    assert.ok(!json.includes('<'), 'no < inside the JSON');
    assert.deepEqual(JSON.parse(json), strings);
  });

  it('accepts only plain origins as image sources (nothing that adds a directive or a keyword)', () => {
    const html = page({ imgSources: ["https://ok.example.com", "https://x.com; script-src 'unsafe-inline'", "'unsafe-eval'", 'http://intranet:8080'] });
    const img = /img-src ([^;]+);/.exec(html)![1]!;
    assert.equal(img, 'https://file+.vscode-resource.vscode-cdn.net https://ok.example.com http://intranet:8080 https: data: blob:');
    assert.ok(!html.includes('unsafe'), 'no keyword smuggled in');
  });
});
