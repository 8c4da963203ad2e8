// The chat view's markdown renderer in a real Chromium page with the chat view's CSP: what the user sees while an
// answer streams in, what the buttons and links hand to the host, and that images wait for a click.
import assert from 'node:assert/strict';
import { useMarkdownPage } from './fixtures/markdown-page.js';

const ANSWER = `# Sorting in TypeScript

Here is a **generic** merge sort, with \`compare\` as a parameter. It is *stable*; see [MDN](https://developer.mozilla.org/).

\`\`\`ts
export function mergeSort<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  if (items.length <= 1) return items;

  const middle = Math.floor(items.length / 2);
  return merge(mergeSort(items.slice(0, middle), compare), mergeSort(items.slice(middle), compare), compare);
}
\`\`\`

Steps:

1. Split the list in two.
2. Sort each half.

   The halves are sorted *recursively*.

3. Merge them.

> Note: \`Array.prototype.sort\` is stable since ES2019.

| Algorithm | Stable | Worst case |
|:--|:-:|--:|
| merge sort | yes | O(n log n) |
| quicksort | no | O(n²) |

The same in Python:

\`\`\`python
def merge_sort(items):
    if len(items) <= 1:
        return items
    middle = len(items) // 2
    return merge(merge_sort(items[:middle]), merge_sort(items[middle:]))
\`\`\`

中文说明：归并排序是**稳定**的排序算法。😀

- a bullet with https://example.com/bare linkified, not main.py or www.example.com
- another with a [reference link][ref]

[ref]: https://example.org/ref

---

That is all.
`;

/** Deterministic delta sizes, 1 to 9 characters. */
function deltas(text: string, seed = 7): string[] {
  const out: string[] = [];
  let state = seed;
  for (let i = 0; i < text.length; ) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const size = 1 + (state % 9);
    out.push(text.slice(i, i + size));
    i += size;
  }
  return out;
}

describe('markdown renderer in Chromium', function () {
  this.timeout(30_000);
  const md = useMarkdownPage();

  it('streaming a long answer in small deltas, frame by frame, gives the same DOM as setting it at once', async () => {
    const result = await md().page.evaluate(
      async ({ text, pieces }) => {
        const once = window.mount();
        once.view.set(text);
        const streamed = window.mount();
        for (let i = 0; i < pieces.length; i++) {
          streamed.view.append(pieces[i]!);
          if (i % 5 === 0) await window.nextFrame();
        }
        await window.nextFrame();
        return {
          once: once.root.innerHTML,
          streamed: streamed.root.innerHTML,
          text: streamed.root.textContent ?? '',
          blocks: streamed.root.querySelectorAll('.md-block').length,
          viewText: streamed.view.text,
        };
      },
      { text: ANSWER, pieces: deltas(ANSWER) },
    );
    assert.equal(result.viewText, ANSWER);
    assert.equal(result.streamed, result.once);
    assert.ok(result.blocks >= 10, `rendered in finished blocks (${result.blocks})`);
    for (const seen of ['Sorting in TypeScript', 'export function mergeSort<T>', 'def merge_sort(items):', '归并排序是稳定的排序算法。😀', 'O(n log n)', 'That is all.']) {
      assert.ok(result.text.includes(seen), `shows ${seen}`);
    }
    assert.ok(!result.text.includes('```') && !result.text.includes('**'), 'no markdown syntax left as text');
  });

  it('resolves a reference link defined further down, and renders CJK emphasis, aligned cells and a loose list', async () => {
    const shown = await md().page.evaluate((text) => {
      const { view, root } = window.mount();
      view.set(text);
      return {
        reference: root.querySelector<HTMLElement>('a[data-href="https://example.org/ref"]')?.textContent,
        linkified: Array.from(root.querySelectorAll('li a')).map((a) => a.textContent),
        strongCjk: Array.from(root.querySelectorAll('strong')).map((s) => s.textContent),
        cells: Array.from(root.querySelectorAll('td')).map((td) => `${td.className}:${td.textContent}`),
        olItems: root.querySelectorAll('ol > li').length,
      };
    }, ANSWER);
    assert.equal(shown.reference, 'reference link');
    assert.deepEqual(shown.linkified, ['https://example.com/bare', 'reference link'], 'linkify only takes URLs with a scheme');
    assert.deepEqual(shown.strongCjk, ['generic', '稳定']);
    assert.deepEqual(shown.cells.slice(0, 3), ['md-align-left:merge sort', 'md-align-center:yes', 'md-align-right:O(n log n)']);
    assert.equal(shown.olItems, 3, 'the loose ordered list stays one list');
  });

  it('keeps the DOM nodes of finished blocks while more text streams in', async () => {
    const result = await md().page.evaluate(async (pieces) => {
      type Marked = Element & { mark?: string };
      const { view, root } = window.mount();
      view.append('Para one with **bold** text.\n\n```ts\nconst a = 1;\n```\n\nPara two');
      await window.nextFrame();
      const blocks = Array.from(root.querySelectorAll<Element>('.md-block')) as Marked[];
      const strong = root.querySelector('strong') as Marked;
      const code = root.querySelector('code') as Marked;
      const copy = root.querySelector('button') as Marked;
      blocks.forEach((b, i) => (b.mark = `block${i}`));
      strong.mark = 'strong';
      code.mark = 'code';
      copy.mark = 'copy';
      const touched: Node[] = [];
      const observer = new MutationObserver((records) => records.forEach((r) => touched.push(r.target)));
      observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
      for (const piece of pieces) {
        view.append(piece);
        await window.nextFrame();
      }
      observer.disconnect();
      const after = Array.from(root.querySelectorAll<Element>('.md-block')) as Marked[];
      return {
        before: blocks.length,
        after: after.length,
        marks: after.slice(0, blocks.length).map((b) => b.mark),
        same: blocks.every((b, i) => after[i] === b),
        strong: (root.querySelector('strong') as Marked).mark,
        code: (root.querySelector('code') as Marked).mark,
        copy: (root.querySelector('button') as Marked).mark,
        touchedOld: touched.filter((t) => blocks.some((b) => b.contains(t))).length,
        touchedRoot: touched.filter((t) => t === root).length,
      };
    }, deltas('\n\nPara three, a little longer, with a [link](https://example.com).\n\n```python\nprint("hi")\n```\n\n- a\n- b\n\nEnd.\n'));
    assert.equal(result.before, 2);
    assert.ok(result.after >= 6, `more blocks were added (${result.after})`);
    assert.deepEqual(result.marks, ['block0', 'block1']);
    assert.ok(result.same, 'same element objects');
    assert.deepEqual([result.strong, result.code, result.copy], ['strong', 'code', 'copy']);
    assert.equal(result.touchedOld, 0, 'no mutation inside a finished block');
    assert.ok(result.touchedRoot > 0);
  });

  it('renders a block citing [1] again when `[1]: url` arrives later, and no other block', async () => {
    const result = await md().page.evaluate(async () => {
      type Marked = Element & { mark?: string };
      const { view, root } = window.mount();
      view.append('Intro paragraph.\n\nDify can run workflows [1] and agents [2].\n\nMore text.\n\n');
      await window.nextFrame();
      const blocks = Array.from(root.querySelectorAll('.md-block')) as Marked[];
      blocks.forEach((b, i) => (b.mark = `block${i}`));
      const before = blocks[1]!.textContent;
      for (const piece of ['[1]: https://docs', '.dify.ai/workflow\n', '[2]: https://docs.dify.ai/agent\n']) {
        view.append(piece);
        await window.nextFrame();
      }
      const after = Array.from(root.querySelectorAll('.md-block')) as Marked[];
      return {
        before,
        marks: after.map((b) => b.mark),
        links: Array.from(root.querySelectorAll('a')).map((a) => `${a.textContent}=${a.getAttribute('data-href')}`),
      };
    });
    assert.equal(result.before, 'Dify can run workflows [1] and agents [2].\n');
    assert.deepEqual(result.marks, ['block0', undefined, 'block2'], 'only the citing block was replaced');
    assert.deepEqual(result.links, ['1=https://docs.dify.ai/workflow', '2=https://docs.dify.ai/agent']);
  });

  it('coalesces deltas: nothing renders until the animation frame, then the tail is replaced once', async () => {
    const result = await md().page.evaluate(async () => {
      const { view, root } = window.mount();
      const replaced: number[] = [];
      const observer = new MutationObserver((records) => records.forEach((r) => replaced.push(r.addedNodes.length)));
      observer.observe(root, { childList: true });
      for (let i = 0; i < 1000; i++) view.append(i % 10 === 9 ? ' ' : 'x');
      const textBeforeFrame = root.textContent;
      await window.nextFrame();
      observer.disconnect();
      return { textBeforeFrame, replaced, shown: root.textContent?.trim().length };
    });
    assert.equal(result.textBeforeFrame, '');
    assert.deepEqual(result.replaced, [1], 'one tail replacement for 1000 deltas');
    assert.equal(result.shown, 999);
  });

  it('shows an unclosed fence as a code block of what arrived so far, and closes it when the fence ends', async () => {
    const streaming = await md().page.evaluate(async () => {
      const { view, root } = window.mount();
      for (const piece of ['Run ', 'this:\n\n``', '`pyth', 'on\ndef f(x):\n', '    return x', ' * 2\n']) view.append(piece);
      await window.nextFrame();
      const code = root.querySelector('.md-code pre > code');
      const during = {
        className: code?.className,
        text: code?.textContent,
        keywords: Array.from(code?.querySelectorAll('.hljs-keyword') ?? []).map((k) => k.textContent),
        buttons: root.querySelectorAll('.md-code button').length,
        lang: root.querySelector('.md-code-lang')?.textContent,
      };
      view.append('print(f(2))\n```\n\nDone.');
      await window.nextFrame();
      return {
        during,
        codes: Array.from(root.querySelectorAll('pre > code')).map((c) => c.textContent),
        last: root.querySelector('.md-tail')?.textContent?.trim(),
      };
    });
    assert.equal(streaming.during.className, 'hljs language-python');
    assert.equal(streaming.during.text, 'def f(x):\n    return x * 2\n');
    assert.deepEqual(streaming.during.keywords, ['def', 'return']);
    assert.equal(streaming.during.buttons, 3);
    assert.equal(streaming.during.lang, 'python');
    assert.deepEqual(streaming.codes, ['def f(x):\n    return x * 2\nprint(f(2))\n']);
    assert.equal(streaming.last, 'Done.');
    assert.equal(await md().page.getByRole('button', { name: 'Copy' }).count(), 1);
  });

  it('shows a ```markdown document holding ``` examples as one code block, streamed as when set (continue#5772)', async () => {
    const doc = '# Plan\n\n```text\nDONE: ...\n```\n\n## Notes\n\n```python\nprint(1)\n```\n';
    const answer = `Here is the README:\n\n\`\`\`markdown\n${doc}\`\`\`\n\nSave it as README.md.\n`;
    const result = await md().page.evaluate(
      async ({ text, pieces }) => {
        const streamed = window.mount();
        for (const piece of pieces) {
          streamed.view.append(piece);
          await window.nextFrame();
        }
        const once = window.mount();
        once.view.set(text);
        return {
          codes: Array.from(streamed.root.querySelectorAll('pre > code')).map((c) => c.textContent),
          paragraphs: Array.from(streamed.root.querySelectorAll('p')).map((p) => p.textContent),
          headings: streamed.root.querySelectorAll('h1, h2').length,
          same: streamed.root.innerHTML === once.root.innerHTML,
        };
      },
      { text: answer, pieces: deltas(answer) },
    );
    assert.deepEqual(result.codes, [doc]);
    assert.deepEqual(result.paragraphs, ['Here is the README:', 'Save it as README.md.']);
    assert.equal(result.headings, 0, 'the headings of the document stay inside the code block');
    assert.ok(result.same, 'streamed DOM equals the one-shot DOM');
  });

  it('highlights TypeScript and Python, and leaves an unknown language as escaped plain text', async () => {
    const result = await md().page.evaluate(() => {
      const { view, root } = window.mount();
      view.set(
        '```typescript\ninterface A { b: string }\nconst x: A = { b: "s" };\n```\n\n```py\nclass C:\n    pass\n```\n\n' +
          '```foolang\n<b>bold?</b> & <script>__pwned()</script>\n```\n',
      );
      const [ts, py, foo] = Array.from(root.querySelectorAll('pre > code'));
      const tokens = (el: Element | undefined) => Array.from(el?.querySelectorAll('span') ?? []).map((s) => `${s.className}=${s.textContent}`);
      return { classes: [ts, py, foo].map((c) => c?.className), ts: tokens(ts), py: tokens(py), foo: foo?.innerHTML, fooChildren: foo?.children.length };
    });
    assert.deepEqual(result.classes, ['hljs language-typescript', 'hljs language-py', 'hljs language-foolang']);
    assert.ok(result.ts.includes('hljs-keyword=interface') && result.ts.includes('hljs-keyword=const'), result.ts.join(' '));
    assert.ok(result.ts.includes('hljs-string="s"'), result.ts.join(' '));
    assert.ok(result.py.includes('hljs-keyword=class') && result.py.includes('hljs-keyword=pass'), result.py.join(' '));
    assert.equal(result.fooChildren, 0, 'no markup in an unknown language');
    assert.equal(result.foo, '&lt;b&gt;bold?&lt;/b&gt; &amp; &lt;script&gt;__pwned()&lt;/script&gt;\n');
  });

  it('set replaces the text, keeps the finished blocks it still starts with, and can shrink to nothing', async () => {
    const result = await md().page.evaluate(() => {
      type Marked = Element & { mark?: string };
      const { view, root } = window.mount();
      view.set('alpha\n\nbeta\n\ngamma');
      const first = root.querySelector('.md-block') as Marked;
      first.mark = 'kept';
      const afterFirst = root.textContent;
      view.set('alpha\n\nomega');
      const replaced = { text: root.textContent, viewText: view.text, kept: (root.querySelector('.md-block') as Marked).mark };
      view.set('alpha\n\nomega and more');
      const extended = root.textContent;
      view.set('');
      return { afterFirst, replaced, extended, empty: root.textContent, emptyText: view.text, children: root.children.length };
    });
    assert.equal(result.afterFirst, 'alpha\nbeta\ngamma\n');
    assert.deepEqual(result.replaced, { text: 'alpha\nomega\n', viewText: 'alpha\n\nomega', kept: 'kept' });
    assert.equal(result.extended, 'alpha\nomega and more\n');
    assert.equal(result.empty, '');
    assert.equal(result.emptyText, '');
    assert.equal(result.children, 1, 'only the (empty) tail');
  });

  it('renders 100 KB streamed in 20,000 deltas in close to linear time', async function () {
    this.timeout(60_000);
    const section = (i: number) =>
      `## Part ${i}\n\nSome text with \`code\` and a [link](https://example.com/${i}), then a list:\n\n- one\n- two\n\n` +
      `\`\`\`ts\nfunction f${i}(x: number): number {\n  return x * ${i};\n}\n\`\`\`\n\n`;
    let big = '';
    for (let i = 0; big.length < 100_000; i++) big += section(i);
    const result = await md().page.evaluate((text) => {
      const run = (source: string) => {
        const { view, root } = window.mount();
        const t0 = performance.now();
        // 5-character deltas, a render every 20 of them: what a fast stream at 60 frames a second looks like.
        for (let i = 0, n = 0; i < source.length; i += 5, n++) {
          view.append(source.slice(i, i + 5));
          if (n % 20 === 19) view.flush();
        }
        view.flush();
        const ms = performance.now() - t0;
        const once = window.mount();
        once.view.set(source);
        const same = once.root.innerHTML === root.innerHTML;
        // Finished blocks sit in chunks, so each frame's layout walks a few dozen children, not every paragraph.
        const shape = { children: root.children.length, blocks: root.querySelectorAll('.md-block').length };
        root.remove();
        once.root.remove();
        return { ms, same, deltas: Math.ceil(source.length / 5), ...shape };
      };
      run(text.slice(0, 20_000));
      const small = run(text.slice(0, 10_000));
      const large = run(text.slice(0, 100_000));
      return { small, large };
    }, big);
    assert.ok(result.small.same && result.large.same, 'streamed DOM equals the one-shot DOM');
    assert.ok(result.large.blocks > 500, `${result.large.blocks} finished blocks`);
    assert.ok(result.large.children <= Math.ceil(result.large.blocks / 16) + 1, `the answer's element has ${result.large.children} children`);
    assert.equal(result.large.deltas, 20_000);
    const ratio = result.large.ms / Math.max(result.small.ms, 1);
    assert.ok(ratio < 25, `10× the text took ${ratio.toFixed(1)}× the time (${result.small.ms.toFixed(0)} ms → ${result.large.ms.toFixed(0)} ms)`);
    assert.ok(result.large.ms < 10_000, `100 KB took ${result.large.ms.toFixed(0)} ms`);
  });

  it('stops rendering and listening when disposed', async () => {
    const result = await md().page.evaluate(async () => {
      const { view, root } = window.mount();
      view.set('```ts\nx\n```\n\nmore');
      const button = root.querySelector('button')!;
      view.append(' and more');
      view.dispose();
      await window.nextFrame();
      button.click();
      view.append('ignored');
      await window.nextFrame();
      return { children: root.children.length, calls: window.records.calls.length };
    });
    assert.deepEqual(result, { children: 0, calls: 0 });
  });
});
