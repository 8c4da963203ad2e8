// Attachments: the attach button (only when the app takes files), paste and drop posting the file's bytes,
// refusals explained inline before any byte is posted, chips with their upload status, and remove.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useWebview } from './harness.js';
import { app, state, uploadRules } from './lib/fixtures.js';

const withUploads = (overrides: Parameters<typeof uploadRules>[0] = {}) => state({ app: app({ fileUpload: uploadRules(overrides) }) });

/** Pastes (into the message box) or drops (onto the view) files made in the page from the given bytes. */
async function deliverFiles(page: Page, how: 'paste' | 'drop', files: Array<{ name: string; type: string; bytes: number[] }>): Promise<void> {
  await page.evaluate(
    ({ how, files }) => {
      const data = new DataTransfer();
      for (const f of files) data.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
      if (how === 'paste') {
        document.querySelector('textarea.composer-input')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      } else {
        const target = document.querySelector('main')!;
        target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
        target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
        target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      }
    },
    { how, files },
  );
}

describe('chat view: attachments', function () {
  this.timeout(20_000);
  const { open } = useWebview();

  it('shows the attach button only when the app takes files; it posts attach', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    const attach = chat.page.getByRole('button', { name: chat.strings.attach });
    await chat.page.getByRole('textbox', { name: 'Message' }).waitFor();
    assert.equal(await attach.count(), 0);
    await chat.deliver({ type: 'state', state: withUploads() });
    await attach.click();
    await chat.waitForPosted((m) => m.type === 'attach');
    await chat.assertClean();
  });

  it('a pasted image is sent as attachData with its bytes; a refusal of the host shows in the composer', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: withUploads() });
    await chat.page.getByRole('textbox', { name: 'Message' }).waitFor();
    await deliverFiles(chat.page, 'paste', [{ name: 'shot.png', type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 1, 2, 3] }]);
    const sent = await chat.request('attachData');
    assert.deepEqual(sent.body, { type: 'attachData', name: 'shot.png', mime: 'image/png', data: [0x89, 0x50, 0x4e, 0x47, 1, 2, 3] });
    await sent.answer({ ok: false, message: 'shot.png was not attached: this app takes one file per message.' });
    await chat.page.locator('.composer-problems').getByText('shot.png was not attached: this app takes one file per message.').waitFor();
    await chat.assertClean();
  });

  it('dropped files are posted in order; the app’s file count limit refuses the rest inline', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: withUploads({ maxFiles: 2 }) });
    await chat.page.getByRole('textbox', { name: 'Message' }).waitFor();
    await deliverFiles(chat.page, 'drop', [
      { name: 'a.txt', type: 'text/plain', bytes: [97] },
      { name: 'b.md', type: 'text/markdown', bytes: [98, 98] },
      { name: 'c.txt', type: 'text/plain', bytes: [99] },
    ]);
    await chat.page.getByText('c.txt was not attached: this app takes at most 2 files per message.').waitFor();
    const posted = await chat.postedOf('attachData');
    assert.deepEqual(posted.map((m) => [m.name, m.data]), [['a.txt', [97]], ['b.md', [98, 98]]]);
    await chat.assertClean();
  });

  it('a file too large or of a type the app does not take is refused inline, and nothing is posted', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: withUploads({ allowedFileTypes: ['image'], sizeLimits: { image: 4, document: 4, audio: 4, video: 4, custom: 4 } }) });
    await chat.page.getByRole('textbox', { name: 'Message' }).waitFor();
    await deliverFiles(chat.page, 'paste', [
      { name: 'big.png', type: 'image/png', bytes: [1, 2, 3, 4, 5] },
      { name: 'notes.pdf', type: 'application/pdf', bytes: [1] },
    ]);
    const problems = chat.page.locator('.composer-problems');
    await problems.getByText('notes.pdf was not attached: this app accepts image.').waitFor();
    await problems.getByText(/big\.png was not attached: it is larger than the 0 MB/).waitFor();
    assert.equal((await chat.postedOf('attachData')).length, 0);
    await problems.getByRole('button', { name: chat.strings.dismiss }).click();
    assert.equal(await problems.locator('.composer-problem').count(), 0);
    await chat.assertClean();
  });

  it('chips show uploading, ready and error; Send waits for uploads; remove posts removeAttachment', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: withUploads() });
    const textbox = chat.page.getByRole('textbox', { name: 'Message' });
    await textbox.fill('Look at these');
    await chat.deliver({
      type: 'draft',
      focus: false,
      setText: false,
      draft: {
        text: 'Look at these',
        attachments: [
          { id: 'a1', name: 'photo.jpg', size: 2048, fileType: 'image', status: 'uploading' },
          { id: 'a2', name: 'spec.pdf', size: 3 * 1024 * 1024, fileType: 'document', status: 'ready' },
          { id: 'a3', name: 'huge.mov', size: 1, fileType: 'video', status: 'error', error: 'Dify refused: file too large' },
        ],
      },
    });
    const chips = chat.page.getByRole('list', { name: chat.strings.attachments }).getByRole('listitem');
    assert.equal(await chips.count(), 3);
    assert.match((await chips.nth(0).textContent()) ?? '', /photo\.jpg.*Uploading…/);
    assert.match((await chips.nth(1).textContent()) ?? '', /spec\.pdf.*3\.0 MB/);
    assert.match((await chips.nth(2).textContent()) ?? '', /huge\.mov.*Dify refused: file too large/);
    const send = chat.page.getByRole('button', { name: 'Send' });
    assert.equal(await send.isDisabled(), true);
    assert.equal(await send.getAttribute('title'), chat.strings.sendWaitUploads);
    await textbox.press('Enter');
    assert.equal((await chat.postedOf('send')).length, 0, 'no send while uploading');
    await chat.page.getByRole('button', { name: 'Remove huge.mov' }).click();
    assert.deepEqual(await chat.waitForPosted((m) => m.type === 'removeAttachment'), { type: 'removeAttachment', id: 'a3' });
    await chat.deliver({
      type: 'draft',
      focus: false,
      setText: false,
      draft: {
        text: 'Look at these',
        attachments: [
          { id: 'a1', name: 'photo.jpg', size: 2048, fileType: 'image', status: 'ready' },
          { id: 'a2', name: 'spec.pdf', size: 3 * 1024 * 1024, fileType: 'document', status: 'ready' },
        ],
      },
    });
    assert.equal(await chips.count(), 2);
    assert.equal(await textbox.inputValue(), 'Look at these');
    await send.click();
    assert.deepEqual((await chat.request('send')).body, { type: 'send', text: 'Look at these', inputs: {} });
    await chat.assertClean();
  });

  it('a sent question shows its attachments as chips with name and size', async () => {
    const chat = await open();
    await chat.post({
      type: 'state',
      state: state({
        turns: [
          {
            id: 't1', query: 'What is in it?', answer: 'A cat.', status: 'done', thoughts: [], files: [], citations: [], nodes: [], createdAt: 1,
            attachments: [{ id: 'a1', name: 'cat<script>.png', size: 500, fileType: 'image' }],
          },
        ],
      }),
    });
    const chip = chat.page.locator('article[data-turn-id="t1"] .turn-attachments .chip');
    assert.match((await chip.textContent()) ?? '', /cat<script>\.png\s*500 B/);
    await chat.assertClean();
  });
});
