// A chatflow that pauses at a human-input node, in the chat (Dify ≥ 1.14): the turn pauses with the form, the form
// is answered through the Service API, and the resumed run carries on in the same turn. Someone else's answer first
// is said on the form and followed all the same; on 1.13 the form is shown but cannot be answered from here.
import assert from 'node:assert/strict';
import { ChatSession } from '../../src/core/chat-session.js';
import { AppClient } from '../../src/dify/index.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';

let server: DifyTestServer;
before(async () => (server = await startDifyServer()));
after(() => server.close());
beforeEach(() => server.reset());

const client = (on = server) => new AppClient({ baseUrl: on.baseUrl, apiKey: on.keys.advancedChatHumanInput, user: 'reviewer' });
const session = (c: AppClient) => new ChatSession(c, (e) => ({ message: (e as Error).message, actions: ['retry'] }));

describe('chat: a chatflow paused at a human-input form', () => {
  it('pauses with the form; the answer resumes the run in the same turn, to its end', async () => {
    const chat = session(client());
    const turn = await chat.send({ query: 'draft a reply', inputs: {} });
    assert.equal(turn.status, 'paused');
    assert.equal(chat.isRunning, false);
    const [form] = turn.forms ?? [];
    assert.ok(form);
    assert.equal(form.state, 'open');
    assert.equal(form.nodeTitle, 'Review 审核');
    assert.deepEqual(form.fields.map((f) => [f.name, f.type]), [['comment', 'paragraph']]);
    assert.deepEqual(form.actions.map((a) => [a.id, a.primary]), [['approve', true], ['reject', false]]);
    assert.match(form.content, /Please review the draft/);
    assert.ok(!JSON.stringify(turn).includes('form_token') && !Object.values(form).some((v) => typeof v === 'string' && /^[A-Za-z0-9_-]{22}$/.test(v)), 'no token in what the view gets');

    await chat.answerForm(turn.id, form.id, { inputs: { comment: 'LGTM 好' }, action: 'approve' });
    assert.equal(turn.status, 'done');
    assert.equal(form.state, 'filled');
    assert.equal(form.answeredWith, 'Approve 通过');
    assert.match(turn.answer, /Review \(approve\): LGTM 好$/);
    assert.ok(turn.messageId, 'the same message');
    const paths = server.requests.map((r) => `${r.method} ${r.path.replace(/\/[^/]{20,}$/, '/:id').replace(/workflow\/[^/]+/, 'workflow/:run')}`);
    assert.equal(paths.filter((p) => p === 'POST /chat-messages').length, 1, 'asked once');
    assert.ok(paths.includes('POST /form/human_input/:id'));
    assert.ok(paths.some((p) => p.startsWith('GET /workflow/:run/events')), 're-attached to the run');
  });

  it('answered by someone else first: said on the form, and the run is followed to its end with their answer', async () => {
    const mine = client();
    const other = client();
    const submit = mine.submitHumanInputForm.bind(mine);
    mine.submitHumanInputForm = async (token, answer, options) => {
      await other.submitHumanInputForm(token, { inputs: { comment: 'first' }, action: 'reject' });
      return submit(token, answer, options);
    };
    const chat = session(mine);
    const turn = await chat.send({ query: 'draft a reply', inputs: {} });
    await chat.answerForm(turn.id, turn.forms![0]!.id, { inputs: { comment: 'second' }, action: 'approve' });
    assert.equal(turn.status, 'done');
    assert.equal(turn.forms![0]!.state, 'filled');
    assert.equal(turn.forms![0]!.answeredByOthers, true);
    assert.match(turn.answer, /Review \(reject\): first$/);
  });

  it('on Dify 1.13 the form shows but cannot be answered from here; nothing is sent', async () => {
    const old = await startDifyServer({ version: '1.13.2' });
    try {
      const chat = session(client(old));
      const turn = await chat.send({ query: 'draft a reply', inputs: {} });
      assert.equal(turn.status, 'paused');
      assert.equal(turn.forms![0]!.state, 'elsewhere');
      await chat.answerForm(turn.id, turn.forms![0]!.id, { inputs: { comment: 'x' }, action: 'approve' });
      assert.equal(turn.status, 'paused');
      assert.equal(old.requests.filter((r) => r.path.startsWith('/form/')).length, 0);
    } finally {
      await old.close();
    }
  });
});
