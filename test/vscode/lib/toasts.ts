// From VS Code 1.133 (code-server 4.133) on, the workbench loads a development extension from its URL payload only
// when it runs with the smoke-test driver (code-server --vscode-option enable-smoke-test-driver, see code-server.ts),
// and that driver also stops it from showing notification toasts (NotificationsToasts.addToast): every notification
// then goes only to the notification center. A person sees toasts, and the tests look at what a person sees: the
// workbench's script is served with that one condition taken out. Nothing else of the driver changes.
import type { BrowserContext } from 'playwright-core';

const WORKBENCH_SCRIPT = '**/out/vs/code/browser/workbench/workbench.js';
/** The toast condition of VS Code 1.139's minified workbench.js, and what it becomes. */
const NO_TOASTS_UNDER_DRIVER = '!this.environmentService.enableSmokeTestDriver&&e.priority!==2';
const TOASTS = 'e.priority!==2';

/** Serves `context`'s workbench script with toasts shown under the smoke-test driver; throws on first load if the
 *  script has no such condition (another VS Code: look at NotificationsToasts.addToast there and update this). */
export async function showToastsUnderSmokeTestDriver(context: BrowserContext): Promise<void> {
  await context.route(WORKBENCH_SCRIPT, async (route) => {
    const response = await route.fetch();
    const script = await response.text();
    if (!script.includes(NO_TOASTS_UNDER_DRIVER)) {
      await route.abort();
      throw new Error(`the workbench script (${route.request().url()}) has no "${NO_TOASTS_UNDER_DRIVER}": update test/vscode/lib/toasts.ts`);
    }
    await route.fulfill({ response, body: script.replace(NO_TOASTS_UNDER_DRIVER, TOASTS) });
  });
}
