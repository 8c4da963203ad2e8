// The chat view's conversation in real Chromium: the ready handshake, rehydration, streaming, Stop, sending with
// the keyboard (and not while an IME composes), errors with Retry, and host messages that are not to be trusted.
import assert from 'node:assert/strict';
import { useWebview } from './harness.js';
import { app, state, turn, turns } from './lib/fixtures.js';

describe('chat view: conversation', function () {
  this.timeout(20_000);
  const { open } = useWebview();

  it('posts ready on load, then renders the state the host sends', async () => {
    const chat = await open();
    assert.deepEqual(await chat.posted(), [{ type: 'ready' }]);
    await chat.post({ type: 'state', state: state({ turns: [turn({ answer: 'Dify is an **LLM app** platform.', messageId: 'm1' })] }) });
    const article = chat.page.locator('article[data-turn-id="turn-1"]');
    await article.waitFor();
    assert.equal(await article.getAttribute('data-status'), 'done');
    assert.equal(await article.locator('.turn-query').textContent(), 'What is Dify?');
    assert.equal(await article.locator('.turn-answer strong').textContent(), 'LLM app');
    assert.match(await chat.page.getByRole('button', { name: /Chat app: Support Bot \(Chatbot\)/ }).textContent() ?? '', /Support Bot/);
    await chat.assertClean();
  });

  it('rehydrates the draft text and the scroll position after a reload', async () => {
    const chat = await open({ height: 500 });
    const full = state({ turns: turns(40), draft: { text: 'half-typed question', attachments: [] } });
    await chat.post({ type: 'state', state: full });
    const textbox = chat.page.getByRole('textbox', { name: 'Message' });
    await textbox.waitFor();
    assert.equal(await textbox.inputValue(), 'half-typed question');
    // Scroll up to a turn in the middle (rendering more as it goes), then leave it there.
    const target = chat.page.locator('article[data-turn-id="turn-25"]');
    await chat.page.mouse.move(200, 200);
    for (let i = 0; i < 60 && !(await target.count()); i++) {
      await chat.page.mouse.wheel(0, -300);
      await chat.page.waitForTimeout(30);
    }
    await chat.page.evaluate(() => document.querySelector('article[data-turn-id="turn-25"]')!.scrollIntoView({ block: 'start' }));
    await chat.page.waitForTimeout(400);
    const before = await chat.page.evaluate(() => document.querySelector('article[data-turn-id="turn-25"]')!.getBoundingClientRect().top);
    await chat.page.reload();
    await chat.waitForPosted((m) => m.type === 'ready');
    await chat.post({ type: 'state', state: full });
    await chat.page.locator('article[data-turn-id="turn-25"]').waitFor();
    await chat.page.waitForTimeout(100);
    const after = await chat.page.evaluate(() => document.querySelector('article[data-turn-id="turn-25"]')!.getBoundingClientRect().top);
    assert.ok(Math.abs(after - before) <= 2, `turn-25 back where it was (${before} px from the top, now ${after})`);
    assert.equal(await textbox.inputValue(), 'half-typed question');
    await chat.assertClean();
  });

  it('streams deltas into the answer as markdown, with a cursor, without re-rendering the turn', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', status: 'streaming' }) });
    const article = chat.page.locator('article[data-turn-id="t1"]');
    await chat.page.evaluate(() => ((window as unknown as { __article: Element | null }).__article = document.querySelector('article[data-turn-id="t1"]')));
    assert.equal(await article.getAttribute('data-status'), 'streaming');
    assert.equal(await article.getAttribute('aria-busy'), 'true');
    await chat.deliver({ type: 'delta', turnId: 't1', text: 'Here is **bold' }, { type: 'delta', turnId: 't1', text: '** text and code:\n\n```ts\nconst a' });
    await chat.page.waitForFunction(() => document.querySelector('article[data-turn-id="t1"] .turn-answer strong')?.textContent === 'bold');
    await chat.deliver({ type: 'delta', turnId: 't1', text: ' = 1;\n```\n\nDone.' });
    await chat.page.waitForFunction(() => document.querySelector('article[data-turn-id="t1"] .turn-answer pre code')?.textContent?.includes('const a = 1;'));
    await chat.page.getByText('Done.').waitFor();
    assert.ok(await chat.page.evaluate(() => (window as unknown as { __article: Element }).__article === document.querySelector('article[data-turn-id="t1"]')), 'same article element');
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', status: 'done', answer: 'Here is **bold** text and code:\n\n```ts\nconst a = 1;\n```\n\nDone.', messageId: 'm1' }) });
    assert.equal(await article.getAttribute('data-status'), 'done');
    assert.equal(await article.locator('.turn-answer pre code').count(), 1);
    await chat.assertClean();
  });

  it('Stop posts stop while streaming; the stopped turn keeps its text and says it was stopped', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', status: 'streaming' }) }, { type: 'delta', turnId: 't1', text: 'Partial answer' });
    await chat.page.getByRole('button', { name: 'Stop' }).click();
    await chat.waitForPosted((m) => m.type === 'stop');
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', status: 'stopped', answer: 'Partial answer' }) });
    const article = chat.page.locator('article[data-turn-id="t1"]');
    assert.equal(await article.getAttribute('data-status'), 'stopped');
    assert.equal((await article.locator('.turn-answer').textContent())?.trim(), 'Partial answer');
    await article.getByText(chat.strings.stopped).waitFor();
    await chat.page.getByRole('button', { name: 'Send' }).waitFor();
    assert.equal(await chat.page.getByRole('button', { name: 'Stop' }).count(), 0);
    await chat.assertClean();
  });

  it('Enter sends, Shift+Enter makes a new line, and Enter during an IME composition does not send', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    const textbox = chat.page.getByRole('textbox', { name: 'Message' });
    await textbox.click();
    await chat.page.keyboard.type('first line');
    await chat.page.keyboard.press('Shift+Enter');
    await chat.page.keyboard.type('second line');
    assert.equal(await textbox.inputValue(), 'first line\nsecond line');
    // An IME picking a candidate with Enter: keydown with isComposing (keyCode 229).
    await textbox.dispatchEvent('keydown', { key: 'Enter', code: 'Enter', isComposing: true, keyCode: 229, bubbles: true, cancelable: true });
    assert.equal((await chat.postedOf('send')).length, 0, 'no send during composition');
    await chat.page.keyboard.press('Enter');
    const sent = await chat.request('send');
    assert.deepEqual(sent.body, { type: 'send', text: 'first line\nsecond line', inputs: {} });
    // The host starts the turn: the composer empties and Stop replaces Send.
    await sent.answer({ ok: true }, { type: 'turn', turn: turn({ id: 't1', query: 'first line\nsecond line', status: 'streaming' }) });
    assert.equal(await textbox.inputValue(), '');
    await chat.page.getByRole('button', { name: 'Stop' }).waitFor();
    await chat.assertClean();
  });

  it('posts the draft text as the user types, at once (a view collapsed right after typing loses nothing)', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    const textbox = chat.page.getByRole('textbox', { name: 'Message' });
    await textbox.click();
    await chat.page.keyboard.type('hi!');
    assert.deepEqual(
      (await chat.postedOf('draftText')).map((m) => m.text),
      ['h', 'hi', 'hi!'],
    );
    // A state from the host built before it had the last keystroke does not take it away.
    await chat.deliver({ type: 'state', state: state({ draft: { text: 'hi', attachments: [] } }) });
    assert.equal(await textbox.inputValue(), 'hi!');
    await chat.assertClean();
  });

  it('an error turn shows the message inline with Retry, and what was typed since stays in the input; Retry posts retry', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    const textbox = chat.page.getByRole('textbox', { name: 'Message' });
    await textbox.fill('Why is the sky blue?');
    await chat.page.keyboard.press('Enter');
    const sent = await chat.request('send');
    await sent.answer({ ok: true }, { type: 'turn', turn: turn({ id: 't1', query: 'Why is the sky blue?', status: 'streaming' }) });
    assert.equal(await textbox.inputValue(), '');
    await textbox.fill('And the sunset?');
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', query: 'Why is the sky blue?', status: 'error', error: { message: 'The connection to Dify was cut.', actions: ['retry', 'showLog'] } }) });
    const alert = chat.page.locator('article[data-turn-id="t1"]').getByRole('alert');
    assert.match((await alert.textContent()) ?? '', /The connection to Dify was cut\./);
    assert.equal(await textbox.inputValue(), 'And the sunset?', 'the failure does not touch the input');
    await alert.getByRole('button', { name: 'Retry' }).click();
    const retry = await chat.request('retry');
    assert.deepEqual(retry.body, { type: 'retry', turnId: 't1' });
    // Refused (an answer is streaming): the reason shows under the error.
    await retry.answer({ ok: false, message: 'An answer is still streaming: stop it or wait for it to finish.' });
    await alert.getByText('An answer is still streaming').waitFor();
    await alert.getByRole('button', { name: 'Show Log' }).click();
    assert.deepEqual(await chat.postedOf('action'), [{ type: 'action', action: 'showLog', turnId: 't1' }]);
    await chat.assertClean();
  });

  it('a send the host refuses keeps the text, says why, and Send comes back; one it takes empties the input', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    const textbox = chat.page.getByRole('textbox', { name: 'Message' });
    const send = chat.page.getByRole('button', { name: 'Send' });
    await textbox.fill('Hello there');
    await textbox.press('Enter');
    const first = await chat.request('send');
    assert.equal(await send.isDisabled(), true, 'no second send while the host decides');
    await textbox.press('Enter');
    await first.answer({ ok: false, message: 'The app is still loading; send again in a moment.' });
    assert.equal((await chat.postedOf('send')).length, 1, 'Enter while waiting sent nothing more');
    assert.equal(await textbox.inputValue(), 'Hello there');
    await chat.page.getByRole('alert').getByText('The app is still loading').waitFor();
    assert.equal(await send.isEnabled(), true);
    await textbox.press('Enter');
    const second = await chat.request('send');
    await second.answer({ ok: true }, { type: 'turn', turn: turn({ id: 't1', query: 'Hello there', status: 'streaming' }) });
    assert.equal(await textbox.inputValue(), '');
    await chat.assertClean();
  });

  it('a draft from the host with focus puts the text in and focuses the input', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    await chat.deliver({ type: 'draft', draft: { text: 'Explain:\n```ts\nlet x = 1;\n```', attachments: [] }, focus: true, setText: true });
    const textbox = chat.page.getByRole('textbox', { name: 'Message' });
    assert.equal(await textbox.inputValue(), 'Explain:\n```ts\nlet x = 1;\n```');
    assert.ok(await textbox.evaluate((el) => el === document.activeElement), 'the input has the focus');
    await chat.assertClean();
  });

  it('a draft from the host with the old text (attachment progress) keeps what the user typed since', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state({ app: app({ fileUpload: { ...app().fileUpload, enabled: true } }), draft: { text: 'abc', attachments: [] } }) });
    const textbox = chat.page.getByRole('textbox', { name: 'Message' });
    await textbox.click();
    await chat.page.keyboard.press('End');
    await chat.page.keyboard.type('def');
    await chat.deliver({ type: 'draft', focus: false, setText: false, draft: { text: 'abc', attachments: [{ id: 'a1', name: 'x.png', size: 10, fileType: 'image', status: 'uploading' }] } });
    assert.equal(await textbox.inputValue(), 'abcdef');
    await chat.waitForPosted((m) => m.type === 'draftText' && m.text === 'abcdef', 2_000);
    await chat.assertClean();
  });

  it('rehydrates mid-stream: the partial answer shows, Stop is offered, and deltas continue it', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state({ conversationId: 'c1', turns: [turn({ id: 't1', status: 'streaming', answer: 'The first half, ' })] }) });
    await chat.page.getByRole('button', { name: 'Stop' }).waitFor();
    await chat.deliver({ type: 'delta', turnId: 't1', text: 'and the second half.' });
    await chat.page.getByText('The first half, and the second half.').waitFor();
    await chat.assertClean();
  });

  it('ignores malformed host messages: nothing rendered, nothing thrown', async () => {
    const chat = await open();
    await chat.deliver(
      null,
      'state',
      42,
      { type: 'unknown' },
      { type: 'state' },
      { type: 'state', state: { turns: 'no', apps: [] } },
      { type: 'turn', turn: { id: 7, answer: 'x' } },
      { type: 'delta', turnId: 't1' },
      { type: 'delta', turnId: 't1', text: 5 },
      { type: 'draft', draft: { text: 1, attachments: [] }, focus: false, setText: false },
      { type: 'inputErrors', errors: { a: 1 } },
      { type: 'turn', turn: { id: 'x', answer: 'before any state' } },
    );
    assert.equal(await chat.page.locator('article').count(), 0);
    // Then a good state with odd leftovers still renders what makes sense.
    await chat.deliver(
      { type: 'state', state: { ...state(), turns: [turn({ id: 'ok', answer: 'fine' }), null, { id: 3 }] } },
      { type: 'turn', turn: { id: 'partial', answer: 'only id and answer' } },
      { type: 'delta', turnId: 'nobody', text: 'lost' },
    );
    assert.equal(await chat.page.locator('article').count(), 2);
    await chat.page.getByText('only id and answer').waitFor();
    await chat.assertClean();
  });

  it('shows the welcome with Add a Dify App when there are no apps, and app errors with their actions', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state({ apps: [], app: undefined }) });
    await chat.page.getByRole('button', { name: chat.strings.addApp }).click();
    await chat.waitForPosted((m) => m.type === 'action' && m.action === 'addApp');
    await chat.deliver({
      type: 'state',
      state: state({ app: undefined, appError: { message: 'The API key was rejected.', actions: ['setKey', 'reload'] } }),
    });
    const alert = chat.page.getByRole('alert').filter({ hasText: 'The API key was rejected.' });
    await alert.getByRole('button', { name: 'Set Key' }).click();
    await chat.waitForPosted((m) => m.type === 'action' && m.action === 'setKey');
    await chat.deliver({ type: 'state', state: state({ app: undefined, loadingApp: true }) });
    await chat.page.getByRole('progressbar', { name: chat.strings.loadingApp }).waitFor();
    await chat.page.getByRole('button', { name: chat.strings.chooseApp }).click();
    await chat.waitForPosted((m) => m.type === 'chooseApp');
    await chat.deliver({ type: 'state', state: state({ app: app({ name: 'Agent Smith', mode: 'agent-chat' }) }) });
    await chat.page.getByRole('button', { name: /Agent Smith \(Agent\)/ }).waitFor();
    await chat.page.getByRole('button', { name: chat.strings.newChat }).click();
    await chat.waitForPosted((m) => m.type === 'newChat');
    await chat.assertClean();
  });

  it('Enter while an answer streams keeps the text and says why it waits; nothing is posted', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state({ conversationId: 'c1', turns: [turn({ id: 't1', status: 'streaming', answer: 'Half' })] }) });
    const textbox = chat.page.getByRole('textbox', { name: 'Message' });
    await textbox.fill('And then?');
    await textbox.press('Enter');
    await chat.page.getByRole('alert').getByText('An answer is still streaming: stop it or wait for it to finish.').waitFor();
    assert.equal(await textbox.inputValue(), 'And then?');
    assert.equal((await chat.postedOf('send')).length, 0);
    // Once the answer is done, Enter sends it.
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', status: 'done', answer: 'Half and whole.' }) });
    await textbox.press('Enter');
    const sent = await chat.request('send');
    assert.equal(sent.body.text, 'And then?');
    await chat.assertClean();
  });

  it('ArrowUp in an empty input brings back the earlier questions, ArrowDown goes forward to what was typed', async () => {
    const chat = await open();
    await chat.post({
      type: 'state',
      state: state({ conversationId: 'c1', turns: [turn({ id: 't1', query: 'first question' }), turn({ id: 't2', query: 'second\nquestion' })] }),
    });
    const textbox = chat.page.getByRole('textbox', { name: 'Message' });
    await textbox.click();
    await textbox.press('ArrowUp');
    assert.equal(await textbox.inputValue(), 'second\nquestion');
    // The caret is at the end of a two-line question: ArrowUp first moves it to the first line, then recalls.
    await textbox.press('ArrowUp');
    assert.equal(await textbox.inputValue(), 'second\nquestion');
    await textbox.press('ArrowUp');
    assert.equal(await textbox.inputValue(), 'first question');
    await textbox.press('ArrowUp');
    assert.equal(await textbox.inputValue(), 'first question', 'nothing before the first');
    await textbox.press('ArrowDown');
    await textbox.press('ArrowDown');
    assert.equal(await textbox.inputValue(), '');
    // Text typed stays: ArrowUp moves the caret in it.
    await textbox.fill('typed');
    await textbox.press('ArrowUp');
    assert.equal(await textbox.inputValue(), 'typed');
    await chat.assertClean();
  });

  it('Copy Answer copies the whole answer as markdown, without its <think> block', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state({ turns: [turn({ id: 't1', messageId: 'm1', answer: '<think>plan</think>\n\nUse **this**:\n\n```js\nrun();\n```' })] }) });
    const copy = chat.page.locator('article[data-turn-id="t1"]').getByRole('button', { name: 'Copy Answer' });
    await copy.click();
    const [posted] = await chat.postedOf('copy');
    assert.equal(posted!.text, 'Use **this**:\n\n```js\nrun();\n```');
    await chat.page.locator('article[data-turn-id="t1"]').getByRole('button', { name: 'Copied' }).waitFor();
    await chat.assertClean();
  });

  it("the header: the conversation's name (click renames it), history and New Chat; one set of controls", async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    const header = chat.page.locator('header.chat-header');
    await header.getByRole('button', { name: chat.strings.history }).waitFor();
    assert.equal(await header.locator('.conversation-name').isVisible(), false, 'no name before the conversation has one');
    await chat.deliver({ type: 'state', state: state({ conversationId: 'c1', conversationName: '周报 weekly <b>report</b>', turns: [turn({ id: 't1' })] }) });
    const name = header.getByRole('button', { name: 'Conversation: 周报 weekly <b>report</b> (rename)' });
    assert.equal(await name.innerText(), '周报 weekly <b>report</b>');
    await name.click();
    await header.getByRole('button', { name: chat.strings.history }).click();
    assert.deepEqual(
      (await chat.posted()).filter((m) => m.type === 'renameConversation' || m.type === 'history'),
      [{ type: 'renameConversation' }, { type: 'history' }],
    );
    assert.equal(await chat.page.getByRole('button', { name: chat.strings.newChat }).count(), 1);
    await chat.assertClean();
  });

  it('Edit puts a question into an empty input with a note on where it goes; it never replaces what is typed', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state({ conversationId: 'c1', turns: [turn({ id: 't1', query: 'How do I deploy?' }), turn({ id: 't2', query: 'And roll back?' })] }) });
    const textbox = chat.page.getByRole('textbox', { name: 'Message' });
    await textbox.fill('half a thought');
    await chat.page.locator('article[data-turn-id="t1"]').getByRole('button', { name: 'Edit and Ask Again' }).click();
    assert.equal(await textbox.inputValue(), 'half a thought');
    await chat.page.getByRole('alert').getByText('The input holds text: send or clear it, then edit the question.').waitFor();
    await textbox.fill('');
    await chat.page.locator('article[data-turn-id="t1"]').getByRole('button', { name: 'Edit and Ask Again' }).click();
    assert.equal(await textbox.inputValue(), 'How do I deploy?');
    await chat.page.getByRole('alert').getByText(/the edited question is asked at its end/).waitFor();
    assert.equal(await textbox.evaluate((e) => e === document.activeElement), true);
    await chat.waitForPosted((m) => m.type === 'draftText' && m.text === 'How do I deploy?', 1_000);
    await chat.assertClean();
  });

  it('Ask Again is on the last answer only; the host decides, and a refusal says why', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state({ conversationId: 'c1', turns: [turn({ id: 't1', messageId: 'm1' }), turn({ id: 't2', messageId: 'm2' })] }) });
    assert.equal(await chat.page.locator('article[data-turn-id="t1"]').getByRole('button', { name: 'Ask Again', exact: true }).count(), 0);
    await chat.page.locator('article[data-turn-id="t2"]').getByRole('button', { name: 'Ask Again', exact: true }).click();
    const request = await chat.request('askAgain');
    assert.deepEqual(request.body, { type: 'askAgain', turnId: 't2' });
    await request.answer({ ok: false, message: "This question's files are not known here any more: ask it again with its files." });
    await chat.page.locator('article[data-turn-id="t2"]').getByText(/files are not known here/).waitFor();
    // A new last turn: the button moves to it.
    await chat.deliver({ type: 'turn', turn: turn({ id: 't3', messageId: 'm3' }) });
    assert.equal(await chat.page.locator('article[data-turn-id="t2"]').getByRole('button', { name: 'Ask Again', exact: true }).count(), 0);
    await chat.page.locator('article[data-turn-id="t3"]').getByRole('button', { name: 'Ask Again', exact: true }).waitFor();
    await chat.assertClean();
  });

  it('text typed while the host decides on a send stays, and the host has it once the send started', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    const textbox = chat.page.getByRole('textbox', { name: 'Message' });
    await textbox.fill('first');
    await textbox.press('Enter');
    const sent = await chat.request('send');
    await textbox.press('End');
    await chat.page.keyboard.type(' then');
    await chat.clearPosted();
    await sent.answer({ ok: true }, { type: 'turn', turn: turn({ id: 't1', query: 'first', status: 'streaming' }) });
    assert.equal(await textbox.inputValue(), 'first then');
    assert.deepEqual((await chat.postedOf('draftText')).map((m) => m.text), ['first then'], 'the host (whose draft the send emptied) has it again');
    await chat.assertClean();
  });
});
