// Long conversations and scrolling: a 2,000-turn state opens quickly with a bounded DOM, scrolling up renders older
// turns (and asks the host for more at the top), and streaming sticks to the bottom unless the user scrolled up.
import assert from 'node:assert/strict';
import type { ChatPage } from './harness.js';
import { useWebview } from './harness.js';
import { state, turn, turns } from './lib/fixtures.js';

const domSize = (chat: ChatPage) => chat.page.evaluate(() => document.getElementsByTagName('*').length);
const distanceFromBottom = (chat: ChatPage) =>
  chat.page.evaluate(() => {
    const main = document.querySelector('main')!;
    return main.scrollHeight - main.scrollTop - main.clientHeight;
  });

async function scrollUpUntil(chat: ChatPage, selector: string, maxSteps = 200): Promise<void> {
  await chat.page.mouse.move(200, 300);
  for (let i = 0; i < maxSteps; i++) {
    if (await chat.page.locator(selector).count()) return;
    await chat.page.mouse.wheel(0, -600);
    await chat.page.waitForTimeout(20);
  }
  throw new Error(`${selector} never rendered`);
}

describe('chat view: long conversations and scrolling', function () {
  this.timeout(30_000);
  const { open } = useWebview();

  it('opens a 2,000-turn conversation at its end with a bounded DOM', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    const empty = await domSize(chat);
    const ms = await chat.page.evaluate(
      (s) =>
        new Promise<number>((resolve) => {
          const started = performance.now();
          window.postMessage({ type: 'state', state: s }, '*');
          window.addEventListener('message', () => requestAnimationFrame(() => resolve(performance.now() - started)), { once: true });
        }),
      state({ turns: turns(2000), conversationId: 'conv-1', inputsLocked: true }),
    );
    await chat.page.locator('article[data-turn-id="turn-2000"]').waitFor();
    await chat.page.waitForTimeout(200);
    const articles = await chat.page.locator('article').count();
    const nodes = await domSize(chat);
    console.log(`      2,000 turns: first frame ${ms.toFixed(0)} ms after the message, ${articles} turns and ${nodes} elements in the DOM (empty view: ${empty})`);
    assert.ok(articles <= 60, `${articles} turns rendered`);
    assert.ok(nodes - empty < 3000, `${nodes} elements`);
    assert.ok(await chat.page.locator('article[data-turn-id="turn-2000"]').isVisible(), 'the last turn is in view');
    assert.ok((await distanceFromBottom(chat)) <= 2, 'at the bottom');
    await chat.assertClean();
  });

  it('scrolling up renders older turns, keeps the DOM bounded, and asks the host for older messages at the top', async () => {
    const chat = await open({ height: 500 });
    await chat.post({ type: 'state', state: state({ turns: turns(150), conversationId: 'conv-1', inputsLocked: true, hasOlder: true }) });
    await chat.page.locator('article[data-turn-id="turn-150"]').waitFor();
    assert.equal(await chat.page.locator('article[data-turn-id="turn-100"]').count(), 0, 'far turns are not rendered');
    await scrollUpUntil(chat, 'article[data-turn-id="turn-100"]');
    await scrollUpUntil(chat, 'article[data-turn-id="turn-1"]');
    assert.equal(await chat.page.locator('article[data-turn-id="turn-150"]').count(), 0, 'the far end was let go');
    assert.ok((await chat.page.locator('article').count()) <= 60);
    await chat.page.evaluate(() => document.querySelector('main')!.scrollTo({ top: 0 }));
    const older = await chat.request('loadOlder');
    // The host prepends a page: what the user looks at stays where it is.
    const anchor = chat.page.locator('article[data-turn-id="turn-1"]');
    const before = (await anchor.boundingBox())!.y;
    await older.answer({ ok: true }, { type: 'state', state: state({ turns: [...turns(20, 'older'), ...turns(150)], conversationId: 'conv-1', inputsLocked: true, hasOlder: false }) });
    await chat.page.waitForTimeout(150);
    const after = (await anchor.boundingBox())!.y;
    assert.ok(Math.abs(after - before) <= 2, `turn-1 stayed put (${before} → ${after})`);
    assert.equal((await chat.postedOf('loadOlder')).length, 1, 'asked once');
    await chat.assertClean();
  });

  it('sticks to the bottom while streaming, and stops following when the user scrolls up', async () => {
    const chat = await open({ height: 400 });
    await chat.post({ type: 'state', state: state({ turns: turns(5), conversationId: 'conv-1' }) });
    await chat.deliver({ type: 'turn', turn: turn({ id: 'live', status: 'streaming' }) });
    for (let i = 0; i < 20; i++) await chat.deliver({ type: 'delta', turnId: 'live', text: `Line ${i} of a long streamed answer.\n\n` });
    await chat.page.waitForTimeout(50);
    assert.ok((await distanceFromBottom(chat)) <= 2, 'followed the answer');
    await chat.page.mouse.move(200, 200);
    await chat.page.mouse.wheel(0, -300);
    await chat.page.waitForTimeout(100);
    const top = await chat.page.evaluate(() => document.querySelector('main')!.scrollTop);
    for (let i = 20; i < 40; i++) await chat.deliver({ type: 'delta', turnId: 'live', text: `Line ${i} of a long streamed answer.\n\n` });
    await chat.page.waitForTimeout(50);
    assert.equal(await chat.page.evaluate(() => document.querySelector('main')!.scrollTop), top, 'stayed where the user scrolled to');
    assert.ok((await distanceFromBottom(chat)) > 100);
    await chat.page.getByText('Line 39 of a long streamed answer.').waitFor({ state: 'attached' });
    await chat.assertClean();
  });
});
