// A long answer's finished blocks sit in chunks; full chunks, once laid out, skip layout and paint while off screen
// (content-visibility: auto) and keep their real size, so nothing moves; the chunk still growing never does.
import assert from 'node:assert/strict';
import { useMarkdownPage } from './fixtures/markdown-page.js';

describe('markdown renderer: chunks of a long answer', function () {
  this.timeout(30_000);
  const md = useMarkdownPage();

  it('settles the full chunks after they are laid out, skips them off screen, and the answer keeps its height', async () => {
    const result = await md().page.evaluate(async () => {
      const { view, root } = window.mount();
      let text = '';
      for (let i = 0; i < 200; i++) text += i % 10 === 0 ? `## Heading ${i}\n\n` : `Paragraph ${i} with **bold** text and \`code\`.\n\n`;
      view.set(text);
      for (let i = 0; i < 3; i++) await window.nextFrame();
      const chunks = Array.from(root.querySelectorAll<HTMLElement>(':scope > .md-chunk'));
      const settled = chunks.map((c) => c.classList.contains('md-settled'));
      const height = root.getBoundingClientRect().height;
      const skipped = chunks.filter((c) => !c.firstElementChild!.checkVisibility({ contentVisibilityAuto: true })).length;
      // The same answer with nothing settled: the height the browser lays out in full.
      for (const c of chunks) c.classList.toggle('md-settled', false);
      const fullHeight = root.getBoundingClientRect().height;
      chunks.forEach((c, i) => c.classList.toggle('md-settled', settled[i]));
      // Streaming on: blocks go into the last chunk again, which must not be settled.
      view.append('More text.\n\nAnd more.\n\n');
      view.flush();
      for (let i = 0; i < 3; i++) await window.nextFrame();
      const lastSettled = chunks[chunks.length - 1]!.classList.contains('md-settled');
      root.remove();
      return { chunks: chunks.length, settled, height, fullHeight, skipped, lastSettled };
    });
    assert.ok(result.chunks >= 10, `${result.chunks} chunks`);
    assert.deepEqual(result.settled, [...Array<boolean>(result.chunks - 1).fill(true), false], 'all full chunks settled, not the last');
    assert.ok(result.skipped > 0, 'chunks off screen are skipped');
    assert.equal(result.lastSettled, false, 'the chunk blocks still go into is never settled');
    assert.ok(Math.abs(result.height - result.fullHeight) < 1, `height ${result.height} settled, ${result.fullHeight} laid out in full`);
  });
});
