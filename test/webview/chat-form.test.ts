// Before the first message: the opening statement, suggested questions, and the app's input form (checked before
// sending, the host's problems shown at their fields), then the form as a read-only summary once locked.
import assert from 'node:assert/strict';
import type { InputField } from '../../src/protocol.js';
import { useWebview } from './harness.js';
import { app, state, turn } from './lib/fixtures.js';

const FORM: InputField[] = [
  { variable: 'name', label: 'Your name', type: 'text-input', required: true, maxLength: 10 },
  { variable: 'bio', label: 'Bio', type: 'paragraph', required: false, maxLength: 200 },
  { variable: 'tone', label: 'Tone', type: 'select', required: true, options: ['Formal', 'Casual <b>x</b>'] },
  { variable: 'age', label: 'Age', type: 'number', required: false },
  { variable: 'terse', label: 'Short answers', type: 'checkbox', required: false },
  { variable: 'doc', label: 'Document', type: 'file', required: false, allowedFileTypes: ['document'], maxFiles: 1 },
];

describe('chat view: opening statement and input form', function () {
  this.timeout(20_000);
  const { open } = useWebview();

  it('shows the opening statement as markdown and suggested questions that send when clicked', async () => {
    const chat = await open();
    await chat.post({
      type: 'state',
      state: state({ app: app({ openingStatement: 'Hello! I answer **billing** questions.', suggestedQuestions: ['How do I get an invoice?', 'Can I pay yearly?'] }) }),
    });
    await chat.page.locator('.opening-statement strong').getByText('billing').waitFor();
    const group = chat.page.getByRole('group', { name: chat.strings.suggestedQuestions });
    await group.getByRole('button', { name: 'Can I pay yearly?' }).click();
    const sent = await chat.request('send');
    assert.deepEqual(sent.body, { type: 'send', text: 'Can I pay yearly?', inputs: {} });
    // The conversation has begun: the opening statement stays its first item, the questions to start with go.
    await sent.answer({ ok: true }, { type: 'turn', turn: turn({ id: 't1', query: 'Can I pay yearly?', status: 'streaming' }) });
    await chat.page.locator('.opening-statement strong').getByText('billing').waitFor();
    assert.equal(await group.count(), 0);
    // Scrolled back to an older page (more before it): the statement waits until the start is shown.
    await chat.deliver({ type: 'state', state: state({ conversationId: 'c1', hasOlder: true, app: app({ openingStatement: 'Hello! I answer **billing** questions.' }), turns: [turn({ id: 't1' })] }) });
    assert.equal(await chat.page.locator('.opening-statement').count(), 0);
    await chat.assertClean();
  });

  it("the opening statement's {{variables}} show the form's values as they are typed, and the conversation's once it started", async () => {
    const chat = await open();
    const statement = 'Hello {{name}}! I answer in a {{tone}} tone, {{unknown}} stays.';
    await chat.post({ type: 'state', state: state({ app: app({ openingStatement: statement, inputForm: FORM }) }) });
    const shown = chat.page.locator('.opening-statement');
    await shown.getByText('Hello {{Your name}}! I answer in a {{Tone}} tone, {{unknown}} stays.').waitFor();
    await chat.page.getByLabel('Your name').fill('Ada');
    await chat.page.getByLabel('Tone').selectOption('Formal');
    await shown.getByText('Hello Ada! I answer in a Formal tone, {{unknown}} stays.').waitFor();
    // Reopened from history: the values the conversation started with.
    await chat.deliver({
      type: 'state',
      state: state({ conversationId: 'c9', inputsLocked: true, inputs: { name: 'Bob', tone: 'Casual <b>x</b>' }, app: app({ openingStatement: statement, inputForm: FORM }), turns: [turn({ id: 't1' })] }),
    });
    await shown.getByText('Hello Bob! I answer in a Casual <b>x</b> tone, {{unknown}} stays.').waitFor();
    assert.equal(await shown.locator('b').count(), 0, 'a value is text, never HTML');
    await chat.assertClean();
  });

  it('renders each field type with its label, required marks, max length and select options', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state({ app: app({ inputForm: FORM }) }) });
    const name = chat.page.getByRole('textbox', { name: /Your name/ });
    assert.equal(await name.getAttribute('maxlength'), '10');
    assert.equal(await name.getAttribute('aria-required'), 'true');
    assert.equal(await chat.page.getByRole('textbox', { name: /Bio/ }).evaluate((el) => el.tagName), 'TEXTAREA');
    const tone = chat.page.getByRole('combobox', { name: /Tone/ });
    assert.deepEqual(await tone.locator('option').allTextContents(), [chat.strings.selectPlaceholder, 'Formal', 'Casual <b>x</b>']);
    assert.equal(await chat.page.getByRole('spinbutton', { name: /Age/ }).count(), 1);
    assert.equal(await chat.page.getByRole('checkbox', { name: /Short answers/ }).count(), 1);
    await chat.page.getByRole('button', { name: 'Attach a file for Document' }).click();
    assert.deepEqual(await chat.waitForPosted((m) => m.type === 'attachInput'), { type: 'attachInput', variable: 'doc' });
    // Typing past the max length is not possible.
    await name.fill('abcdefghijklmnop');
    assert.equal((await name.inputValue()).length, 10);
    await chat.assertClean();
  });

  it('required fields are enforced before sending, with the message next to the field', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state({ app: app({ inputForm: FORM }) }) });
    const textbox = chat.page.getByRole('textbox', { name: 'Message' });
    await textbox.fill('Hello');
    await textbox.press('Enter');
    const nameError = chat.page.locator('[data-variable="name"] .field-error');
    assert.equal(await nameError.textContent(), 'Your name is required.');
    assert.equal(await chat.page.locator('[data-variable="tone"] .field-error').textContent(), 'Tone is required.');
    assert.equal(await chat.page.getByRole('textbox', { name: /Your name/ }).getAttribute('aria-invalid'), 'true');
    assert.ok(await chat.page.getByRole('textbox', { name: /Your name/ }).evaluate((el) => el === document.activeElement), 'the first wrong field has the focus');
    assert.equal((await chat.postedOf('send')).length, 0);

    await chat.page.getByRole('textbox', { name: /Your name/ }).fill('Ada');
    await chat.page.getByRole('combobox', { name: /Tone/ }).selectOption('Formal');
    await chat.page.getByRole('spinbutton', { name: /Age/ }).fill('36');
    await chat.page.getByRole('checkbox', { name: /Short answers/ }).check();
    await textbox.press('Enter');
    const sent = await chat.request('send');
    assert.deepEqual(sent.body, { type: 'send', text: 'Hello', inputs: { name: 'Ada', tone: 'Formal', age: '36', terse: true } });
    // The host has the values that were sent before the send itself.
    const posted = await chat.posted();
    const lastInputs = posted.filter((m) => m.type === 'inputs').at(-1);
    assert.ok(lastInputs && posted.indexOf(lastInputs) < posted.findIndex((m) => m.type === 'send'), 'the values reach the host before the send');
    assert.deepEqual(lastInputs, { type: 'inputs', values: { name: 'Ada', tone: 'Formal', age: '36', terse: true } });
    assert.equal(await nameError.isHidden(), true);
    await chat.assertClean();
  });

  it('a required file field needs a file; form values go to the host as typed and come back from it after a reload', async () => {
    const chat = await open();
    const form: InputField[] = [
      { variable: 'topic', label: 'Topic', type: 'text-input', required: false },
      { variable: 'doc', label: 'Document', type: 'file', required: true, maxFiles: 1 },
    ];
    const withForm = state({ app: app({ inputForm: form }) });
    await chat.post({ type: 'state', state: withForm });
    await chat.page.getByRole('textbox', { name: /Topic/ }).fill('taxes');
    const textbox = chat.page.getByRole('textbox', { name: 'Message' });
    await textbox.fill('Summarise');
    await textbox.press('Enter');
    assert.equal(await chat.page.locator('[data-variable="doc"] .field-error').textContent(), chat.strings.fieldFileRequired);
    assert.equal((await chat.postedOf('send')).length, 0);
    assert.deepEqual(await chat.waitForPosted((m) => m.type === 'inputs', 2_000), { type: 'inputs', values: { topic: 'taxes' } });
    await chat.page.reload();
    await chat.waitForPosted((m) => m.type === 'ready');
    // The host's state has the values it was given; the page shows them, not what its own storage may hold.
    await chat.post({
      type: 'state',
      state: { ...withForm, inputs: { topic: 'taxes' }, inputFiles: { doc: [{ id: 'f1', name: 'report.pdf', size: 2048, fileType: 'document', status: 'ready' }] } },
    });
    assert.equal(await chat.page.getByRole('textbox', { name: /Topic/ }).inputValue(), 'taxes');
    await chat.page.locator('[data-variable="doc"]').getByText('report.pdf').waitFor();
    await textbox.fill('Summarise');
    await textbox.press('Enter');
    assert.deepEqual((await chat.request('send')).body, { type: 'send', text: 'Summarise', inputs: { topic: 'taxes' } });
    await chat.assertClean();
  });

  it('shows inputErrors from the host next to their fields, and the typed text stays', async () => {
    const chat = await open();
    await chat.post({ type: 'state', state: state({ app: app({ inputForm: FORM }) }) });
    await chat.page.getByRole('textbox', { name: /Your name/ }).fill('Ada');
    await chat.page.getByRole('combobox', { name: /Tone/ }).selectOption('Formal');
    const textbox = chat.page.getByRole('textbox', { name: 'Message' });
    await textbox.fill('Hi');
    await textbox.press('Enter');
    const sent = await chat.request('send');
    await sent.answer({ ok: false }, { type: 'inputErrors', errors: { tone: 'Tone must be one of: Formal, Casual.', bio: '<img src=x onerror=alert(1)>' } });
    assert.equal(await chat.page.locator('[data-variable="tone"] .field-error').textContent(), 'Tone must be one of: Formal, Casual.');
    assert.equal(await chat.page.locator('[data-variable="bio"] .field-error').textContent(), '<img src=x onerror=alert(1)>');
    assert.equal(await chat.page.locator('img').count(), 0);
    assert.equal(await textbox.inputValue(), 'Hi');
    assert.equal(await chat.page.getByRole('button', { name: 'Send' }).isEnabled(), true, 'Send is back');
    await chat.deliver({ type: 'inputErrors', errors: {} });
    assert.equal(await chat.page.locator('.field-error:not([hidden])').count(), 0);
    await chat.assertClean();
  });

  it('once locked, the form is a read-only summary that expands', async () => {
    const chat = await open();
    await chat.post({
      type: 'state',
      state: state({
        app: app({ inputForm: FORM }),
        inputs: { name: 'Ada', tone: 'Formal', terse: true },
        inputsLocked: true,
        conversationId: 'c1',
        turns: [turn({ answer: 'Hello Ada.', messageId: 'm1' })],
      }),
    });
    assert.equal(await chat.page.getByRole('textbox', { name: /Your name/ }).count(), 0, 'no editable field');
    const summary = chat.page.getByText(chat.strings.inputsSummary);
    await summary.click();
    const list = chat.page.locator('.inputs-summary-list');
    await list.waitFor();
    const text = await list.textContent();
    assert.match(text ?? '', /Your name\s*Ada/);
    assert.match(text ?? '', /Short answers\s*Yes/);
    await chat.page.getByRole('textbox', { name: 'Message' }).fill('More');
    await chat.page.keyboard.press('Enter');
    assert.deepEqual((await chat.request('send')).body, { type: 'send', text: 'More', inputs: {} });
    await chat.assertClean();
  });
});
