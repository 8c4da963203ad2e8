// Runs on the selection against the test Dify server: inputs planned from the app's real /parameters, workflow
// (plain, iteration + loop, agent with a retried node, human input), completion, cancel, and every failure named.
import assert from 'node:assert/strict';
import { inputFields } from '../../src/core/input-form.js';
import { describeFailure } from '../../src/core/workflow-failure.js';
import { planInputs, selectionVariable, type EditorContext } from '../../src/core/workflow-inputs.js';
import { chooseOutput, outputText } from '../../src/core/workflow-output.js';
import { currentActivity, type RunProgress } from '../../src/core/workflow-progress.js';
import { runDifyApp, type RunnableMode } from '../../src/core/workflow-run.js';
import { toDifyInputs } from '../../src/core/input-form.js';
import { AppClient, DifyStreamError, type DifyTimeouts, type HumanInputRequiredData } from '../../src/dify/index.js';
import { answerText } from '../dify-server/apps/answers.js';
import { startDifyServer, type DifyTestServer } from '../dify-server/server.js';

let server: DifyTestServer;
let slow: DifyTestServer;
const USER = 'vscode-workflow-合同';

before(async () => {
  server = await startDifyServer({ pingIntervalMs: 40, idleTimeoutMs: 3_000 });
  slow = await startDifyServer({ eventDelayMs: 30 });
});
after(async () => {
  await server.close();
  await slow.close();
});
beforeEach(() => {
  server.reset();
  slow.reset();
});

type Handle = keyof DifyTestServer['keys'];

function client(handle: Handle, on = server, timeouts: Partial<DifyTimeouts> = {}) {
  return new AppClient({
    baseUrl: on.baseUrl,
    apiKey: on.keys[handle],
    user: USER,
    timeouts: { streamIdleMs: 400, streamEventMs: 800, ...timeouts },
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
  });
}

const editor = (selection: string): EditorContext => ({
  selection,
  fileName: 'main.py',
  filePath: 'src/main.py',
  languageId: 'python',
  fileText: selection,
  workspaceFolder: 'demo',
});

/** What the extension does before a run: /parameters, the selection's variable, Dify's inputs. */
async function inputsFor(app: AppClient, selection: string): Promise<Record<string, unknown>> {
  const fields = inputFields((await app.getParameters()).user_input_form);
  const plan = planInputs(fields, editor(selection), { selectionVariable: selectionVariable(fields, undefined), mappings: {} });
  assert.deepEqual(plan.ask, [], 'nothing left to ask');
  return toDifyInputs(fields, plan.values);
}

async function run(handle: Handle, mode: RunnableMode, selection: string, on = server) {
  const app = client(handle, on);
  const titles: string[] = [];
  const outcome = await runDifyApp(app, mode, { inputs: await inputsFor(app, selection) }, {
    onProgress: (p: RunProgress) => {
      const now = currentActivity(p);
      if (now.kind === 'node' && titles.at(-1) !== now.title) titles.push(now.title);
    },
  });
  return { outcome, titles };
}

const stops = (on: DifyTestServer) => on.requests.filter((r) => r.method === 'POST' && /^\/(workflows\/tasks|completion-messages)\/[^/]+\/stop$/.test(r.path));

describe('workflow runs on the selection (test Dify server)', () => {
  it('a workflow: the selection is sent as its text input, node steps stream, the single output is the result', async () => {
    const { outcome, titles } = await run('workflow', 'workflow', 'def add(a, b): return a + b');
    assert.equal(outcome.status, 'succeeded');
    assert.deepEqual(titles, ['Start', 'Summarize', 'End']);
    const sent = server.requests.find((r) => r.path === '/workflows/run')!;
    assert.deepEqual(sent.json, { inputs: { topic: 'def add(a, b): return a + b' }, response_mode: 'streaming', user: USER });
    const choice = chooseOutput(outcome.progress.outputs, undefined);
    assert.deepEqual(choice, { kind: 'variable', variable: 'text' });
    assert.equal(outputText(outcome.progress.outputs!.text), answerText('def add(a, b): return a + b'));
    assert.equal(outcome.progress.text, answerText('def add(a, b): return a + b'), 'text_chunk streamed the same text');
    assert.ok(outcome.progress.totalTokens! > 0);
  });

  it('an iteration and a loop: rounds with their totals; two outputs ask for a choice', async () => {
    const app = client('workflowIteration');
    const rounds: string[] = [];
    const outcome = await runDifyApp(app, 'workflow', { inputs: await inputsFor(app, 'alpha\nbeta\ngamma') }, {
      onProgress: (p) => {
        const now = currentActivity(p);
        const c = now.kind === 'node' ? now.container : now.kind === 'container' ? now.container : undefined;
        const line = c && `${c.kind} ${c.title} ${c.index + 1}/${c.total}`;
        if (line && rounds.at(-1) !== line) rounds.push(line);
      },
    });
    assert.equal(outcome.status, 'succeeded');
    assert.deepEqual(rounds, [
      'iteration Iterate items 遍历 1/3',
      'iteration Iterate items 遍历 2/3',
      'iteration Iterate items 遍历 3/3',
      'loop Refine twice 1/2',
      'loop Refine twice 2/2',
    ]);
    assert.deepEqual(chooseOutput(outcome.progress.outputs, undefined), { kind: 'choose', variables: ['results', 'text'] });
    assert.equal(outputText(outcome.progress.outputs!.results), 'ALPHA!\nBETA!\nGAMMA!');
    assert.equal(chooseOutput(outcome.progress.outputs, 'text').kind, 'variable');
  });

  it('an agent workflow with a node retried once: the retry is no failure', async () => {
    const { outcome, titles } = await run('workflowAgent', 'workflow', 'Paris');
    assert.equal(outcome.status, 'succeeded');
    assert.deepEqual(titles, ['Start', 'Fetch weather 天气', 'Agent 助手', 'End']);
    assert.equal(outcome.progress.steps.find((s) => s.title === 'Fetch weather 天气')!.status, 'succeeded');
  });

  it('a completion app: the answer streams from message events; query is sent empty, inputs carry the selection', async () => {
    const { outcome } = await run('completion', 'completion', 'Write code for a queue');
    assert.equal(outcome.status, 'succeeded');
    assert.equal(outcome.progress.text, answerText('Write code for a queue'));
    assert.ok(outcome.progress.totalTokens! > 0);
    const sent = server.requests.find((r) => r.path === '/completion-messages')!;
    assert.deepEqual(sent.json, { inputs: { topic: 'Write code for a queue' }, query: '', response_mode: 'streaming', user: USER });
  });

  it('a failing workflow names the failed node and its error', async () => {
    const { outcome } = await run('workflowFailing', 'workflow', 'anything');
    assert.equal(outcome.status, 'failed');
    const failure = describeFailure(outcome.status === 'failed' && outcome.error, outcome.progress);
    assert.deepEqual([failure.kind, failure.node, failure.cause], ['node_failed', { title: 'Divide 除法', type: 'code' }, 'ZeroDivisionError: division by zero']);
  });

  it('a human-input workflow pauses: named as such, with the node it waits on', async () => {
    const { outcome } = await run('workflowHumanInput', 'workflow', 'reply to Bob');
    assert.equal(outcome.status, 'paused');
    assert.deepEqual(describeFailure(undefined, outcome.progress), { kind: 'paused', cause: 'Review 审核', events: outcome.progress.events });
  });

  it('a human-input form (Dify 1.15) is asked, answered through the Service API, and the run carries on to its outputs', async () => {
    const app = client('workflowHumanInput');
    const asked: HumanInputRequiredData[] = [];
    const outcome = await runDifyApp(app, 'workflow', { inputs: await inputsFor(app, 'reply to Bob') }, {
      answerForm: async (form) => {
        asked.push(form);
        return { inputs: { comment: 'LGTM 好的' }, action: 'approve' };
      },
    });
    assert.equal(outcome.status, 'succeeded', outcome.status === 'failed' ? String(outcome.error) : '');
    assert.deepEqual(asked.map((f) => [f.node_title, f.actions.map((a) => a.id), f.inputs.map((i) => i.output_variable_name)]), [['Review 审核', ['approve', 'reject'], ['comment']]]);
    const submitted = server.requests.find((r) => r.method === 'POST' && r.path === `/form/human_input/${asked[0]!.form_token}`);
    assert.deepEqual(submitted?.json, { inputs: { comment: 'LGTM 好的' }, action: 'approve', user: USER });
    assert.ok(server.requests.some((r) => r.method === 'GET' && r.path === `/workflow/${outcome.progress.workflowRunId}/events`), 're-attached');
    assert.equal(server.requests.filter((r) => r.path === '/workflows/run').length, 1, 'started once');
    assert.ok(outcome.progress.outputs && Object.keys(outcome.progress.outputs).length > 0);
  });

  it('a form someone else answered first: said so, and the run is followed to its end; no answer leaves it paused', async () => {
    const app = client('workflowHumanInput');
    const refused: string[] = [];
    const outcome = await runDifyApp(app, 'workflow', { inputs: await inputsFor(app, 'reply to Bob') }, {
      // Another reviewer answers in Dify's web app while this user is still reading the form.
      answerForm: async (form) => {
        await client('workflowHumanInput').submitHumanInputForm(form.form_token!, { inputs: { comment: 'first' }, action: 'reject' });
        return { inputs: { comment: 'second' }, action: 'approve' };
      },
      onFormRefused: (_form, reason) => refused.push(reason),
    });
    assert.deepEqual(refused, ['answered']);
    assert.notEqual(outcome.status, 'paused');
    const left = await runDifyApp(app, 'workflow', { inputs: await inputsFor(app, 'reply to Bob') }, { answerForm: async () => undefined });
    assert.equal(left.status, 'paused');
  });

  it('on Dify 1.13 a form cannot be answered here (no form_token): the run pauses, the user is not asked', async () => {
    const old = await startDifyServer({ version: '1.13.2' });
    try {
      const app = client('workflowHumanInput', old);
      let asked = 0;
      const outcome = await runDifyApp(app, 'workflow', { inputs: await inputsFor(app, 'reply to Bob') }, { answerForm: async () => (asked++, undefined) });
      assert.equal(outcome.status, 'paused');
      assert.equal(asked, 0);
    } finally {
      await old.close();
    }
  });

  it('cancel mid-run: the outcome is stopped and the stop endpoint got the task id', async () => {
    for (const [handle, mode] of [
      ['workflowIteration', 'workflow'],
      ['completion', 'completion'],
    ] as const) {
      const app = client(handle, slow, { streamIdleMs: 5_000, streamEventMs: 5_000 });
      const controller = new AbortController();
      const outcome = await runDifyApp(app, mode, { inputs: await inputsFor(app, 'one\ntwo\nthree') }, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.events === 3) controller.abort();
        },
      });
      assert.equal(outcome.status, 'stopped', handle);
      const stop = stops(slow).at(-1);
      assert.ok(stop, `${handle}: stop endpoint called`);
      assert.ok(stop.path.includes(outcome.progress.taskId!), `${handle}: with the task id`);
      assert.deepEqual(stop.json, { user: USER });
      slow.reset();
    }
  });

  it('a stalled, cut or ended stream is followed to the end of the same run: same outputs, started once, "reconnecting" shown', async () => {
    const expected = await runDifyApp(client('workflow'), 'workflow', { inputs: await inputsFor(client('workflow'), 'topic') });
    for (const fault of [{ kind: 'stall', afterEvents: 4 }, { kind: 'cut', afterEvents: 4 }, { kind: 'end', afterEvents: 4 }] as const) {
      server.reset();
      const app = client('workflow');
      const inputs = await inputsFor(app, 'topic');
      server.fault(fault, { path: '/workflows/run' });
      const seen: (string | undefined)[] = [];
      const outcome = await runDifyApp(app, 'workflow', { inputs }, { onProgress: (p) => seen.push(p.reconnecting) });
      assert.equal(outcome.status, 'succeeded', fault.kind);
      assert.deepEqual(outcome.progress.outputs, expected.progress.outputs, fault.kind);
      assert.ok(seen.includes('events'), `${fault.kind}: reconnecting was shown`);
      assert.equal(server.requests.filter((r) => r.method === 'POST' && r.path === '/workflows/run').length, 1, `${fault.kind}: started once`);
      // The node may well have been alive: the client never stops a running node on a guess.
      assert.equal(stops(server).length, 0, fault.kind);
    }
  });

  it('an error event, a gateway timeout page and a ping-only hang each fail with their own kind', async () => {
    const cases: [Parameters<DifyTestServer['fault']>[0], string][] = [
      [{ kind: 'errorEvent', afterEvents: 4, code: 'completion_request_error', status: 400, message: 'Rate limit of the model provider' }, 'error_event'],
      [{ kind: 'http', status: 504, body: '<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center><hr><center>nginx</center></body></html>' }, 'gateway'],
      [{ kind: 'pingOnly' }, 'no_events'],
    ];
    for (const [fault, kind] of cases) {
      server.reset();
      const app = client('workflow');
      const inputs = await inputsFor(app, 'topic');
      server.fault(fault, { path: '/workflows/run' });
      const outcome = await runDifyApp(app, 'workflow', { inputs });
      assert.equal(outcome.status, 'failed', fault.kind);
      const failure = describeFailure(outcome.status === 'failed' && outcome.error, outcome.progress);
      assert.equal(failure.kind, kind, `${fault.kind}: ${failure.cause}`);
      if (kind === 'error_event') assert.equal(failure.cause, 'Rate limit of the model provider');
      if (kind === 'gateway') assert.equal(failure.status, 504);
      assert.equal(failure.host, new URL(server.baseUrl).host, 'the failure names the server');
    }
  });

  it('a stream cut with no run to follow (before workflow_started) fails as a cut naming the events received', async () => {
    const app = client('workflow');
    const inputs = await inputsFor(app, 'topic');
    server.fault({ kind: 'cut', afterEvents: 0 }, { path: '/workflows/run' });
    const outcome = await runDifyApp(app, 'workflow', { inputs });
    assert.equal(outcome.status, 'failed');
    const failure = describeFailure(outcome.status === 'failed' && outcome.error, outcome.progress);
    assert.equal(failure.kind, 'cut');
    assert.ok(outcome.status === 'failed' && outcome.error instanceof DifyStreamError);
  });

  it("a key of the wrong kind of app: Dify's refusal is recognised as the wrong mode", async () => {
    for (const [handle, mode] of [
      ['completion', 'workflow'],
      ['workflow', 'completion'],
      ['chat', 'workflow'],
    ] as const) {
      const outcome = await runDifyApp(client(handle), mode, { inputs: {} });
      assert.equal(outcome.status, 'failed');
      assert.equal(describeFailure(outcome.status === 'failed' && outcome.error, outcome.progress).kind, 'wrong_mode', `${handle} as ${mode}`);
    }
  });
});
