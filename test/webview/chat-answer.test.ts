// What sits around an answer: citations, agent thoughts, chatflow steps, message_replace, files, feedback,
// suggestions after the answer, usage. Server text is shown as text, never as HTML.
import assert from 'node:assert/strict';
import type { RetrieverResource, TurnThought, Usage } from '../../src/protocol.js';
import { useWebview } from './harness.js';
import { state, turn } from './lib/fixtures.js';

function citation(overrides: Partial<RetrieverResource>): RetrieverResource {
  return {
    position: 1,
    dataset_id: 'ds1',
    dataset_name: 'Handbook',
    document_id: 'doc1',
    document_name: 'refunds.md',
    data_source_type: 'upload_file',
    segment_id: 's1',
    retriever_from: 'api',
    score: 0.87654,
    hit_count: 1,
    word_count: 10,
    segment_position: 1,
    index_node_hash: 'h',
    content: 'Refunds take 5 days.',
    ...overrides,
  };
}

function thought(overrides: Partial<TurnThought>): TurnThought {
  return { id: 'th1', position: 1, thought: '', tool: 'web_search', toolInput: '{"query":"weather"}', observation: '', files: [], ...overrides };
}

const USAGE: Usage = {
  prompt_tokens: 120,
  prompt_unit_price: '0.001',
  prompt_price_unit: '0.001',
  prompt_price: '0.00012',
  completion_tokens: 30,
  completion_unit_price: '0.002',
  completion_price_unit: '0.001',
  completion_price: '0.00006',
  total_tokens: 150,
  total_price: '0.00018',
  currency: 'USD',
  latency: 1.2345,
  time_to_first_token: null,
  time_to_generate: null,
};

describe('chat view: around the answer', function () {
  this.timeout(20_000);
  const { open } = useWebview();

  it('groups citations by document: its whole name, dataset and score (2 decimals) beneath, plain-text snippets that open in an editor', async () => {
    const chat = await open();
    const citations = [
      citation({ segment_id: 's1', score: 0.61, content: 'First part.' }),
      citation({ document_id: 'doc2', document_name: 'shipping <b>bold</b>.md', dataset_name: 'FAQ', score: 0.5, content: '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>' }),
      citation({ segment_id: 's2', score: 0.87654, content: 'Refunds take 5 days.' }),
    ];
    await chat.post({ type: 'state', state: state({ turns: [turn({ answer: 'See the handbook.', citations, messageId: 'm1' })] }) });
    const section = chat.page.getByRole('region', { name: chat.strings.citations });
    const groups = section.locator('details.citation');
    assert.equal(await groups.count(), 2, 'two documents');
    const first = groups.nth(0);
    assert.equal(await first.locator('.citation-document').textContent(), 'refunds.md');
    assert.equal(await first.locator('.citation-dataset').textContent(), 'Handbook · Score 0.88');
    assert.equal(await first.getByText('Refunds take 5 days.').isVisible(), false, 'collapsed');
    await first.locator('summary').click();
    await first.getByText('Refunds take 5 days.').waitFor();
    assert.equal(await first.locator('.citation-segment').count(), 2);
    await first.locator('.citation-segment').nth(0).getByRole('button', { name: 'Open in Editor' }).click();
    assert.deepEqual(await chat.postedOf('openCitation'), [{ type: 'openCitation', turnId: 'turn-1', segmentId: 's2' }]);
    const second = groups.nth(1);
    assert.equal(await second.locator('.citation-document').textContent(), 'shipping <b>bold</b>.md');
    await second.locator('summary').click();
    assert.equal(await second.locator('.citation-snippet').textContent(), '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>');
    assert.equal(await section.locator('img, script, b').count(), 0);
    assert.equal(await chat.page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    // A long document name is shown whole, wrapped, not cut with an ellipsis.
    await chat.page.setViewportSize({ width: 260, height: 700 });
    await chat.deliver({ type: 'turn', turn: turn({ answer: 'See the handbook.', messageId: 'm1', citations: [citation({ document_name: '2026 年第三季度 客户退款与售后服务处理流程 handbook-final-v7.md' })] }) });
    const name = section.locator('.citation-document').first();
    assert.equal(await name.evaluate((e) => e.scrollWidth <= e.clientWidth && e.getBoundingClientRect().height > 20), true, 'wrapped on several lines');
    await chat.assertClean();
  });

  it('agent thoughts are upserted by id: two updates of one thought make one step', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', status: 'streaming', thoughts: [thought({})] }) });
    await chat.deliver({
      type: 'turn',
      turn: turn({ id: 't1', status: 'streaming', thoughts: [thought({ observation: 'Sunny, 21 °C' }), thought({ id: 'th2', position: 2, tool: 'calculator', toolInput: '1+1' })] }),
    });
    const steps = chat.page.locator('article[data-turn-id="t1"] details.thought');
    assert.equal(await steps.count(), 2);
    assert.equal(await steps.nth(0).locator('summary').textContent(), 'Used web_search');
    await steps.nth(0).locator('summary').click();
    await steps.nth(0).getByText('Sunny, 21 °C').waitFor();
    assert.match((await steps.nth(0).locator('.thought-input pre').textContent()) ?? '', /"query": "weather"/);
    // Another update of th1 keeps it open, and still one step.
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', status: 'streaming', thoughts: [thought({ observation: 'Sunny, 22 °C' }), thought({ id: 'th2', position: 2, tool: 'calculator' })] }) });
    assert.equal(await steps.count(), 2);
    assert.equal(await steps.nth(0).getAttribute('open'), '');
    await steps.nth(0).getByText('Sunny, 22 °C').waitFor();
    await chat.assertClean();
  });

  it('chatflow steps: open while streaming, one row changed per node message, folded with a summary when done', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    await chat.deliver({
      type: 'turn',
      turn: turn({ id: 't1', status: 'streaming', nodes: [
        { id: 'n1', title: 'Start', nodeType: 'start', status: 'succeeded', elapsed: 0.01 },
        { id: 'n2', title: 'Knowledge Retrieval', nodeType: 'knowledge-retrieval', status: 'running' },
      ] }),
    });
    const process = chat.page.locator('article[data-turn-id="t1"] details.turn-process');
    const steps = process.locator('.turn-node');
    assert.deepEqual(await steps.locator('.turn-node-title').allTextContents(), ['Start', 'Knowledge Retrieval']);
    assert.equal(await process.getAttribute('open'), '', 'open while the run goes');
    await steps.nth(0).getByRole('img', { name: 'Succeeded' }).waitFor();
    await steps.nth(1).getByRole('img', { name: 'Running' }).waitFor();
    // A node message changes its one row: the other rows are the same elements as before.
    await steps.nth(0).evaluate((row) => ((row as HTMLElement & { marked?: boolean }).marked = true));
    await chat.deliver(
      { type: 'node', turnId: 't1', node: { id: 'n2', title: 'Knowledge Retrieval', nodeType: 'knowledge-retrieval', status: 'succeeded', elapsed: 1.25 } },
      { type: 'node', turnId: 't1', node: { id: 'n3', title: 'Each file', nodeType: 'iteration', status: 'running', round: 3, rounds: 10 } },
    );
    assert.equal(await steps.nth(0).evaluate((row) => (row as HTMLElement & { marked?: boolean }).marked === true), true, 'the Start row was left alone');
    await steps.nth(1).getByRole('img', { name: 'Succeeded' }).waitFor();
    assert.match(await steps.nth(1).innerText(), /1\.3 s|1\.2 s/);
    assert.match(await steps.nth(2).innerText(), /round 3 of 10/);
    // Done: the steps stay, folded under a summary of the run.
    await chat.deliver({
      type: 'turn',
      turn: turn({ id: 't1', status: 'done', answer: 'Done', elapsed: 12.4, nodes: [
        { id: 'n1', title: 'Start', nodeType: 'start', status: 'succeeded', elapsed: 0.01 },
        { id: 'n2', title: 'Knowledge Retrieval', nodeType: 'knowledge-retrieval', status: 'succeeded', elapsed: 1.25 },
        { id: 'n3', title: 'Each file', nodeType: 'iteration', status: 'succeeded', rounds: 10, elapsed: 11 },
      ] }),
    });
    assert.equal(await process.getAttribute('open'), null, 'folded once the answer is done');
    assert.equal((await process.locator('summary').innerText()).trim(), 'Workflow process · 3 steps · 12 s');
    assert.equal(await steps.count(), 3);
    assert.match((await steps.nth(2).textContent()) ?? '', /10 rounds/);
    // The user opens it: a later update of the turn leaves it open.
    await process.locator('summary').click();
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', status: 'done', answer: 'Done', elapsed: 12.4, feedback: 'like', nodes: [{ id: 'n1', title: 'Start', nodeType: 'start', status: 'succeeded' }] }) });
    assert.equal(await process.getAttribute('open'), '');
    assert.equal(await steps.count(), 1);
    await chat.assertClean();
  });

  it('a failed chatflow shows its steps open, the failed node with its error', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    await chat.deliver({
      type: 'turn',
      turn: turn({ id: 't1', status: 'error', error: { message: 'Run failed: JSONDecodeError', actions: ['retry', 'showLog'] }, nodes: [
        { id: 'n1', title: 'Start', nodeType: 'start', status: 'succeeded' },
        { id: 'n2', title: 'Parse JSON', nodeType: 'code', status: 'failed', error: 'JSONDecodeError: Expecting value: line 1 column 1 (char 0)' },
      ] }),
    });
    const process = chat.page.locator('article[data-turn-id="t1"] details.turn-process');
    assert.equal(await process.getAttribute('open'), '');
    const failed = process.locator('.turn-node.node-failed');
    await failed.getByRole('img', { name: 'Failed' }).waitFor();
    assert.equal(await failed.locator('.turn-node-error').innerText(), 'JSONDecodeError: Expecting value: line 1 column 1 (char 0)');
    await chat.assertClean();
  });

  it('message_replace: a turn with a shorter answer replaces the streamed text, with the reason', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', status: 'streaming' }) }, { type: 'delta', turnId: 't1', text: 'Some text the moderation will not like at all.' });
    await chat.page.getByText('will not like at all').waitFor();
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', status: 'done', answer: 'Sorry.', replacedBecause: 'output moderation' }) });
    const answer = chat.page.locator('article[data-turn-id="t1"] .turn-answer');
    assert.equal((await answer.textContent())?.trim(), 'Sorry.');
    await chat.page.getByText(/The answer was replaced: output moderation/).waitFor();
    await chat.assertClean();
  });

  it("a reasoning model's <think> block streams into a Thinking section, as text, and folds when the answer starts", async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    await chat.deliver(
      { type: 'turn', turn: turn({ id: 't1', status: 'streaming' }) },
      { type: 'delta', turnId: 't1', text: '<thi' },
      { type: 'delta', turnId: 't1', text: 'nk>\n先想一想 <b onmouseover="window.__xss=1">bold?</b>' },
    );
    const thinking = chat.page.locator('article[data-turn-id="t1"] details.turn-thinking');
    await thinking.getByText('先想一想 <b onmouseover="window.__xss=1">bold?</b>').waitFor();
    assert.equal(await thinking.locator('.turn-thinking-text').textContent(), '先想一想 <b onmouseover="window.__xss=1">bold?</b>');
    assert.equal(await thinking.getAttribute('open'), '', 'open while the model thinks');
    assert.equal((await chat.page.locator('article[data-turn-id="t1"] .turn-answer').textContent())?.trim(), '', 'no answer yet, no tag shown');
    await chat.deliver({ type: 'delta', turnId: 't1', text: '</think>\n\nThe **answer**.' });
    await chat.page.locator('article[data-turn-id="t1"] .turn-answer strong', { hasText: 'answer' }).waitFor();
    assert.equal(await thinking.getAttribute('open'), null, 'folded once the answer starts');
    assert.equal(await thinking.locator('summary').textContent(), 'Thinking');
    assert.equal(await thinking.locator('b').count(), 0);
    // The whole answer again (rehydration) gives the same split.
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', status: 'done', answer: '<think>\n先想一想</think>\n\nThe **answer**.' }) });
    assert.equal((await chat.page.locator('article[data-turn-id="t1"] .turn-answer').textContent())?.trim(), 'The answer.');
    await chat.assertClean();
  });

  it('a long <think> block streamed in 3,000 pieces shows exactly the text that the whole answer shows', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    const lines = Array.from({ length: 2000 }, (_, i) => `step ${i}: weigh </thin and <think> and </ as plain text`);
    const reasoning = lines.join('\n');
    const whole = `\n<think>\n  ${reasoning}\n</think>\n\nThe **answer** after ${lines.length} steps.`;
    // Cut at fixed, uneven places (a tag is cut too): the deltas as a model streams them.
    const pieces: string[] = [];
    for (let at = 0, n = 0; at < whole.length; n++) {
      const size = 1 + ((n * 37) % 61);
      pieces.push(whole.slice(at, at + size));
      at += size;
    }
    assert.ok(pieces.length > 3000);
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', status: 'streaming' }) });
    const half = Math.floor(pieces.length / 2);
    for (let i = 0; i < half; i += 100) await chat.deliver(...pieces.slice(i, Math.min(i + 100, half)).map((text) => ({ type: 'delta' as const, turnId: 't1', text })));
    const thinking = chat.page.locator('article[data-turn-id="t1"] details.turn-thinking');
    const sofar = pieces.slice(0, half).join('');
    const shown = (await thinking.locator('.turn-thinking-text').textContent()) ?? '';
    assert.ok(reasoning.startsWith(shown) && shown.length > sofar.length - 20, `half way: the reasoning so far, nothing else (${shown.length} of ${sofar.length})`);
    for (let i = half; i < pieces.length; i += 100) await chat.deliver(...pieces.slice(i, i + 100).map((text) => ({ type: 'delta' as const, turnId: 't1', text })));
    await chat.page.locator('article[data-turn-id="t1"] .turn-answer strong', { hasText: 'answer' }).waitFor();
    assert.equal(await thinking.locator('.turn-thinking-text').textContent(), reasoning);
    assert.equal(await thinking.getAttribute('open'), null);
    assert.equal((await chat.page.locator('article[data-turn-id="t1"] .turn-answer').textContent())?.trim(), `The answer after ${lines.length} steps.`);
    await chat.assertClean();
  });

  it("Dify 1.15's separate reasoning (reasoning_chunk) streams into the same Thinking section, as text, and folds when it is final", async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state() });
    await chat.deliver(
      { type: 'turn', turn: turn({ id: 't1', status: 'streaming' }) },
      { type: 'delta', turnId: 't1', text: 'Let me think <img src=x onerror="window.__xss=1"> ', part: 'reasoning' },
      { type: 'delta', turnId: 't1', text: 'about tides.', part: 'reasoning' },
    );
    const thinking = chat.page.locator('article[data-turn-id="t1"] details.turn-thinking');
    await thinking.getByText('Let me think <img src=x onerror="window.__xss=1"> about tides.').waitFor();
    assert.equal(await thinking.getAttribute('open'), '', 'open while the model thinks');
    await chat.deliver(
      { type: 'turn', turn: turn({ id: 't1', status: 'streaming', reasoning: { text: 'Let me think <img src=x onerror="window.__xss=1"> about tides.', done: true } }) },
      { type: 'delta', turnId: 't1', text: 'The **moon**.' },
    );
    await chat.page.locator('article[data-turn-id="t1"] .turn-answer strong', { hasText: 'moon' }).waitFor();
    assert.equal(await thinking.getAttribute('open'), null, 'folded once the reasoning is final');
    assert.equal(await thinking.locator('img').count(), 0);
    assert.equal(await chat.page.locator('article[data-turn-id="t1"] details.turn-thinking').count(), 1, 'one Thinking section');
    await chat.assertClean();
  });

  it('feedback: like, dislike and undo post feedback; the pressed button says so', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state({ turns: [turn({ id: 't1', answer: 'Yes.', messageId: 'm1' })] }) });
    const like = chat.page.getByRole('button', { name: 'Like', exact: true });
    const dislike = chat.page.getByRole('button', { name: 'Dislike', exact: true });
    assert.equal(await like.getAttribute('aria-pressed'), 'false');
    await like.click();
    assert.equal(await like.getAttribute('aria-pressed'), 'true');
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', answer: 'Yes.', messageId: 'm1', feedback: 'like' }) });
    await like.click();
    assert.equal(await like.getAttribute('aria-pressed'), 'false');
    await dislike.click();
    assert.equal(await dislike.getAttribute('aria-pressed'), 'true');
    assert.deepEqual((await chat.postedOf('feedback')).map((m) => m.rating), ['like', null, 'dislike']);
    // The host puts back what Dify kept (it refused the dislike).
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', answer: 'Yes.', messageId: 'm1', feedback: null }) });
    assert.equal(await dislike.getAttribute('aria-pressed'), 'false');
    await chat.assertClean();
  });

  it('suggestions after the last answer are chips that send; usage is on the info icon', async () => {
    const chat = await open();
    await chat.post({
      type: 'state',
      state: state({
        turns: [
          turn({ id: 't1', answer: 'One.', messageId: 'm1', suggestions: ['Old suggestion'] }),
          turn({ id: 't2', answer: 'Two.', messageId: 'm2', usage: USAGE, suggestions: ['Tell me more', 'Give an example'] }),
        ],
      }),
    });
    assert.equal(await chat.page.getByRole('button', { name: 'Old suggestion' }).count(), 0, 'only under the last answer');
    const group = chat.page.getByRole('group', { name: chat.strings.suggestionsAfterAnswer });
    await group.getByRole('button', { name: 'Give an example' }).click();
    assert.deepEqual((await chat.request('send')).body, { type: 'send', text: 'Give an example', inputs: {} });
    const usage = chat.page.locator('article[data-turn-id="t2"] .turn-usage');
    const title = await usage.getAttribute('title');
    assert.match(title ?? '', /Tokens: 120 prompt, 30 completion, 150 total/);
    assert.match(title ?? '', /Latency: 1\.23 s/);
    assert.match(title ?? '', /Price: 0\.00018 USD/);
    await chat.assertClean();
  });

  it('files from message_file: images wait for a click, named by their tool and host; other files open through the host', async () => {
    const chat = await open();
    const files = [
      { id: 'f1', type: 'image', url: 'https://dify.example/files/tools/5c2e1f0a-8d1b-4c52-9a7e-0d7e2f1b9c11.png?timestamp=1&nonce=n&sign=s' },
      { id: 'f2', type: 'document', url: 'https://files.example.com/report.pdf?sig=abc' },
      { id: 'f3', type: 'document', url: 'javascript:alert(1)' },
      { id: 'f4', type: 'image', url: 'https://elsewhere.example/x.png?leak=the+question' },
    ];
    const thoughts = [{ id: 'th1', position: 1, thought: '', tool: 'dalle3', toolInput: '{}', observation: 'done', files: ['f1'] }];
    // The file comes first (message_file), the thought naming it after (as Dify streams an agent's tool call).
    await chat.post({ type: 'state', state: state({ turns: [turn({ id: 't1', answer: 'Here you go.', messageId: 'm1', files })] }) });
    await chat.page.getByRole('button', { name: 'Load image: Image (dify.example)' }).waitFor();
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', answer: 'Here you go.', messageId: 'm1', files, thoughts }) });
    assert.equal(await chat.page.locator('img').count(), 0, 'no image loads by itself');
    const load = chat.page.getByRole('button', { name: 'Load image: Image from dalle3 (dify.example)' });
    assert.deepEqual([await load.locator('.turn-image-name').innerText(), await load.locator('.turn-image-host').innerText()], ['Image from dalle3', 'dify.example'], 'the tool and the host, not the UUID');
    assert.equal(await load.evaluate((b) => b.getBoundingClientRect().height < 40), true, 'one line');
    await chat.page.getByText('Image not shown: its address carries data for another server (elsewhere.example)').waitFor();
    await chat.page.getByRole('button', { name: 'Open report.pdf' }).click();
    assert.deepEqual(await chat.waitForPosted((m) => m.type === 'openLink'), { type: 'openLink', href: 'https://files.example.com/report.pdf?sig=abc' });
    assert.equal(await chat.page.getByRole('button', { name: /alert/ }).count(), 0);
    await chat.assertClean();
  });

  it('code block buttons post copy, insertCode and applyCode; links post openLink', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state({ turns: [turn({ answer: 'See [docs](https://docs.dify.ai).\n\n```py\nprint(1)\n```', messageId: 'm1' })] }) });
    await chat.page.getByRole('button', { name: chat.strings.copy, exact: true }).click();
    await chat.page.getByRole('button', { name: chat.strings.insert }).click();
    await chat.page.getByRole('button', { name: chat.strings.apply }).click();
    await chat.page.getByRole('link', { name: 'docs' }).click();
    const posted = (await chat.posted()).filter((m) => m.type !== 'ready');
    assert.deepEqual(posted, [
      { type: 'copy', text: 'print(1)' },
      { type: 'insertCode', code: 'print(1)' },
      { type: 'applyCode', code: 'print(1)', language: 'py' },
      { type: 'openLink', href: 'https://docs.dify.ai/' },
    ]);
    await chat.assertClean();
  });

  it("a chatflow paused at a human-input form: the form's text, fields and buttons; the answer goes to the host as typed", async () => {
    const chat = await open();
    const form = {
      id: 'form-1',
      nodeTitle: 'Review 审核',
      content: 'Please review the **draft**:\n\n<img src=x onerror="window.__xss=1">\n\n{{#$output.comment#}}',
      fields: [{ name: 'comment', type: 'paragraph', value: '' }],
      actions: [{ id: 'approve', title: 'Approve 通过', primary: true }, { id: 'reject', title: 'Reject', primary: false }],
      expiresAt: 4_102_444_800,
      state: 'open' as const,
    };
    await chat.post({ type: 'state', state: state({ conversationId: 'c1', turns: [turn({ id: 't1', status: 'paused', answer: 'The draft.', forms: [form] })] }) });
    const box = chat.page.getByRole('region', { name: 'Review 审核 asks for your answer' });
    await box.locator('strong', { hasText: 'draft' }).waitFor();
    assert.equal(await box.locator('img').count(), 0, 'the form text is markdown without HTML');
    assert.doesNotMatch((await box.innerText()), /\$output/, 'no placeholder shown');
    await box.getByRole('textbox', { name: 'comment' }).fill('LGTM 好');
    // Drawn again (another update of the turn): what was typed stays.
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', status: 'paused', answer: 'The draft.', forms: [{ ...form, expiresAt: 4_102_444_801 }] }) });
    assert.equal(await box.getByRole('textbox', { name: 'comment' }).inputValue(), 'LGTM 好');
    assert.equal(await chat.page.getByRole('button', { name: 'Send' }).isVisible(), true, 'not streaming: the composer can send');
    await box.getByRole('button', { name: 'Approve 通过' }).click();
    const request = await chat.request('answerForm');
    assert.deepEqual(request.body, { type: 'answerForm', turnId: 't1', formId: 'form-1', action: 'approve', inputs: { comment: 'LGTM 好' } });
    await request.answer({ ok: false, message: 'This form can no longer be answered here.' });
    await box.getByText('This form can no longer be answered here.').waitFor();
    // Answered: the form says with which button, and takes no more input.
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', status: 'streaming', answer: 'The draft.', forms: [{ ...form, state: 'filled', answeredWith: 'Approve 通过' }] }) });
    await box.getByText('Answered: Approve 通过').waitFor();
    assert.equal(await box.getByRole('button').count(), 0);
    assert.equal(await box.getByRole('textbox').isDisabled(), true);
    await chat.deliver({ type: 'turn', turn: turn({ id: 't1', status: 'paused', answer: 'The draft.', forms: [{ ...form, state: 'elsewhere' }] }) });
    await box.getByText("This Dify version takes answers to this form only in Dify's web app.").waitFor();
    await chat.assertClean();
  });
});
