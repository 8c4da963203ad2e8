// POST /apps/{id}/workflows/draft/run (CONSOLE.md §7.4): the draft of a workflow app, run by the Service API's engine
// as a debugger run (version `draft`, no app log), always streamed, with the draft's node titles.
import { enterRateLimit } from '../apps/context.js';
import { runWorkflowApp } from '../apps/workflows.js';
import type { Router } from '../router.js';
import { HttpError, errors } from '../router.js';
import { Validator } from '../pyfmt.js';
import type { Console } from './context.js';
import { nodeTitles } from './seed-graphs.js';
import { workflowApp } from './workflows.js';

export function registerDraftRun(router: Router, c: Console): void {
  router.add('POST', '/apps/:app_id<uuid>/workflows/draft/run', async (ctx) => {
    const { app, account } = workflowApp(c, ctx, ['workflow']);
    const body = await ctx.json();
    const v = new Validator('DraftWorkflowRunPayload', body);
    const inputs = v.dict('inputs', { required: true });
    if (body.files !== undefined && body.files !== null && !Array.isArray(body.files)) {
      v.issue('files', 'Input should be a valid list', 'list_type', body.files);
    }
    v.throwIfAny();
    const draft = app.draft;
    if (!draft) throw new HttpError(404, 'draft_workflow_not_exist', 'Draft workflow need to be initialized.');
    // The engine runs the graphs of the seeded apps; an imported or new app has none to run here.
    if (!app.spec) throw errors.invalidParam('The test Dify server runs the drafts of its seeded apps only.');
    const spec = app.spec;
    const exit = enterRateLimit(c.apps, spec);
    try {
      const version = { workflowId: draft.id, titles: nodeTitles(draft.graph), draft: true };
      await runWorkflowApp(c.apps, ctx, spec, c.apps.state.endUser(spec, account.id), { inputs: inputs!, files: body.files, streaming: true }, version);
    } finally {
      exit();
    }
  });
}
