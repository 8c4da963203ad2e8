// Every payload of the XSS corpus, rendered at once (`set`) and streamed in small pieces (`append`) in a page with
// the chat view's CSP: nothing runs, nothing navigates, nothing is requested, no dangerous element or attribute is
// produced, and the CSP never had to block anything (a violation means something tried).
import assert from 'node:assert/strict';
import type { MarkdownPage } from './fixtures/markdown-page.js';
import { openMarkdownPage } from './fixtures/markdown-page.js';
import { XSS_PAYLOADS } from './xss-corpus.js';

/** What a payload's renders left behind that they must not have. */
interface Outcome {
  problems: string[];
  links: number;
}

describe('markdown renderer against the XSS corpus', function () {
  this.timeout(30_000);
  let p: MarkdownPage;

  before(async () => {
    p = await openMarkdownPage();
    // Anything that does try to leave the page fails fast instead of waiting on DNS.
    await p.page.route((url) => !url.href.startsWith(`${p.origin}/`), (route) => route.abort());
  });
  after(async () => {
    await p?.close();
  });

  it(`has at least 60 payloads (${XSS_PAYLOADS.length})`, () => {
    assert.ok(XSS_PAYLOADS.length >= 60);
    assert.equal(new Set(XSS_PAYLOADS.map((x) => x.name)).size, XSS_PAYLOADS.length, 'names are unique');
  });

  for (const [index, payload] of XSS_PAYLOADS.entries()) {
    it(`renders inert: ${payload.name}`, async () => {
      const outcome: Outcome = await p.page.evaluate(
        async ({ markdown, seed }) => {
          const FORBIDDEN = ['img', 'iframe', 'frame', 'object', 'embed', 'svg', 'math', 'style', 'script', 'base', 'meta', 'link', 'form', 'input', 'textarea', 'select', 'video', 'audio', 'source', 'template', 'noscript'];
          const URL_ATTRIBUTES = ['href', 'src', 'srcset', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc', 'style', 'background', 'poster'];
          const problems: string[] = [];
          const inspect = (root: HTMLElement, how: string) => {
            for (const el of Array.from(root.querySelectorAll('*'))) {
              const tag = el.tagName.toLowerCase();
              if (FORBIDDEN.includes(tag) || el.namespaceURI !== 'http://www.w3.org/1999/xhtml') problems.push(`${how}: <${tag}>`);
              for (const attr of Array.from(el.attributes)) {
                const name = attr.name.toLowerCase();
                // Browsers drop whitespace and control characters in URL schemes, so compare without them.
                const value = Array.from(attr.value).filter((c) => c > ' ' && c !== '\u200b').join('').toLowerCase();
                if (name.startsWith('on')) problems.push(`${how}: ${tag}[${name}]`);
                if (URL_ATTRIBUTES.includes(name)) problems.push(`${how}: ${tag}[${name}=${attr.value.slice(0, 60)}]`);
                if (/^(javascript|vbscript|data:text|file|command|vscode)/.test(value) && name !== 'title') problems.push(`${how}: ${tag}[${name}=${attr.value.slice(0, 60)}]`);
              }
              if (el.matches('[data-href]') && !/^(https?:\/\/|mailto:)/.test(el.getAttribute('data-href')!)) problems.push(`${how}: link to ${el.getAttribute('data-href')}`);
              if (el.matches('[data-src]') && !/^(https?:\/\/|data:image\/(png|jpeg|gif|webp)[;,])/.test(el.getAttribute('data-src')!)) problems.push(`${how}: image ${el.getAttribute('data-src')}`);
            }
          };
          const once = window.mount();
          once.view.set(markdown);
          const streamed = window.mount();
          let state = seed;
          for (let i = 0, n = 0; i < markdown.length; n++) {
            state = (state * 1103515245 + 12345) % 2147483648;
            const size = 1 + (state % 4);
            streamed.view.append(markdown.slice(i, i + size));
            i += size;
            // Render some partial states too: a half-written payload must be as inert as a whole one.
            if (n % 3 === 0 && n < 400) streamed.view.flush();
          }
          await window.nextFrame();
          if (streamed.root.innerHTML !== once.root.innerHTML) problems.push('streamed DOM differs from the one set at once');
          inspect(once.root, 'set');
          inspect(streamed.root, 'streamed');
          const before = window.records.calls.length;
          const clickable = Array.from(once.root.querySelectorAll<HTMLElement>('a, .md-link-inert'));
          for (const el of clickable) el.click();
          for (const [name, href] of window.records.calls.slice(before)) {
            if (name !== 'onLink' || !/^(https?:\/\/|mailto:)/.test(href ?? '')) problems.push(`hook ${name}(${href})`);
          }
          const head = document.head.children.length;
          if (head !== 3 || document.querySelectorAll('script').length !== 2 || document.querySelectorAll('iframe, base, link').length) problems.push('the document itself changed');
          await new Promise((resolve) => setTimeout(resolve, 20));
          if (window.records.pwned) problems.push(`script ran (${window.records.pwned})`);
          for (const v of window.records.violations) problems.push(`CSP ${v.directive} blocked ${v.blocked} ${v.sample}`);
          return { problems, links: clickable.length };
        },
        { markdown: payload.markdown, seed: index + 1 },
      );
      assert.deepEqual(outcome.problems, []);
      assert.deepEqual(p.dialogs, [], 'no dialog opened');
      assert.deepEqual(p.requests, [`${p.origin}/`], 'no request left the page');
      assert.equal(p.page.url(), `${p.origin}/`, 'no navigation');
    });
  }

  it('nothing happened late: no script, dialog, CSP violation, request or navigation after all payloads', async () => {
    await p.page.waitForTimeout(500);
    const records = await p.records();
    assert.equal(records.pwned, 0);
    assert.deepEqual(records.violations, []);
    assert.deepEqual(p.dialogs, []);
    assert.deepEqual(p.requests, [`${p.origin}/`]);
    assert.deepEqual(p.served, ['/'], 'the server saw the page only');
    assert.equal(p.page.url(), `${p.origin}/`);
  });

  it('clicking every image placeholder of the corpus creates only http(s) or inline raster images', async () => {
    const loaded = await p.page.evaluate(() => {
      const buttons = Array.from(document.querySelectorAll<HTMLElement>('.md-body button.md-image-load'));
      buttons.forEach((b) => b.click());
      return { buttons: buttons.length, srcs: Array.from(document.querySelectorAll('img')).map((img) => img.getAttribute('src') ?? '') };
    });
    assert.ok(loaded.buttons >= 10, `image placeholders (${loaded.buttons})`);
    assert.equal(loaded.srcs.length, loaded.buttons);
    for (const src of loaded.srcs) assert.match(src, /^https:\/\/(evil|ok)\.example\//);
    await p.page.waitForTimeout(200);
    for (const url of p.requests.slice(1)) assert.match(url, /^https:\/\/evil\.example\//, 'requests only for the clicked images');
    const records = await p.records();
    assert.equal(records.pwned, 0);
    assert.deepEqual(records.violations, []);
  });
});
