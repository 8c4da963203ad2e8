// A person on a self-hosted Dify signs in to their workspace instead of copying keys: mistypes the password once (and
// is told how many tries are left before Dify's lock-out), adds an app from the workspace and chats with it, adds the
// workspace's knowledge, switches workspace (warned that the browser switches too), and signs out. The password is in
// no file afterwards (run.ts scans for it with the keys).
import assert from 'node:assert/strict';
import { eventually, session, useWorkbench } from './harness.js';
import { askTestChat } from './test-chat.js';

describe('UI: signing in to a Dify workspace', () => {
  const wb = useWorkbench();
  const server = () => session().dify;
  const consoleCalls = (path: string) => server().requests.filter((r) => r.path === `/console/api${path}`);

  before(() => server().reset());

  it('Sign In to Workspace…: a wrong password says how many tries are left, then the right one signs in', async () => {
    const { url } = server();
    const { email, password } = server().console;
    await wb.activityBarOpen('Dify');
    await wb.runCommand('Dify: Sign In to Workspace…');
    await wb.inputBox(`${url}/apps`, { title: 'Sign In to Dify Workspace' });
    await wb.inputBox(email, { prompt: 'email address' });
    await wb.inputBox('not-the-password', { prompt: 'Password for' });
    await eventually(async () => assert.match(await wb.inputBoxMessage(), /Invalid email or password\. 1 of 6 attempts used: after 6 wrong passwords Dify locks this account for 24 hours\./));
    assert.equal(await wb.quickInput.locator('input').getAttribute('type'), 'password', 'typed as a password');
    assert.equal(await wb.quickInput.locator('input').inputValue(), '', 'the wrong password is not kept in the box');
    await wb.inputBox(password);
    await wb.waitForNotification(new RegExp(`Signed in to Dify at ${new URL(url).host} as ${email}, workspace ".+"\\.`));
    assert.equal(consoleCalls('/login').length, 2, 'one request per Enter, never retried');
  });

  it("Add App from Workspace…: the workspace's apps, filtered as typed; the app is added with its key and chats", async () => {
    const chat = server().apps.find((a) => a.key === server().keys.chat)!;
    await wb.runCommand('Dify: Add App from Workspace…');
    await wb.quickPickType('Chatbot', { title: /Add App from Dify Workspace/ });
    await eventually(async () => assert.ok((await wb.quickPickLabels()).includes(chat.name), (await wb.quickPickLabels()).join(', ')));
    await wb.quickPickSelect(chat.name);
    await wb.waitForNotification(`Added "${chat.name}" (Chatbot) from the workspace.`);
    await wb.treeItem('Apps', chat.name);
    assert.equal(server().requests.filter((r) => r.method === 'POST' && /\/api-keys$/.test(r.path)).length, 0, 'its existing key was reused');

    await askTestChat(wb, 'hello from the workspace');
  });

  it("Add Knowledge from Workspace: the workspace's datasets under a knowledge key", async () => {
    await wb.runCommand('Dify: Add Knowledge from Workspace');
    const added = await wb.waitForNotification(/Added knowledge key "Knowledge of .+"\./);
    const label = /"(.+)"/.exec(await added.innerText())![1]!;
    await wb.treeItem('Knowledge', label);
  });

  it('Switch Workspace…: warns that the browser switches too, then offers the other workspace\'s apps', async () => {
    const workspacesBefore = consoleCalls('/workspaces/switch').length;
    await wb.runCommand('Dify: Switch Workspace…');
    await wb.quickPickLabels();
    const rows = (await wb.quickInput.locator('.quick-input-list .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.equal(rows.length, 2, rows.join(' | '));
    assert.equal(rows.filter((r) => r.endsWith('current')).length, 1, rows.join(' | '));
    const other = rows.find((r) => !r.endsWith('current'))!;
    await wb.quickPickSelect(other);
    await wb.dialogButton('your browser sessions of this Dify switch too', 'Switch');
    await wb.waitForNotification(`The current Dify workspace is now "${other}".`);
    assert.equal(consoleCalls('/workspaces/switch').length, workspacesBefore + 1);
    await wb.runCommand('Dify: Add App from Workspace…');
    await eventually(async () => assert.ok(!(await wb.quickPickLabels()).includes(server().apps.find((a) => a.key === server().keys.chat)!.name)));
    await wb.page.keyboard.press('Escape');
  });

  it('Sign Out revokes the session on Dify; the apps added keep working', async () => {
    await wb.runCommand('Dify: Sign Out of Workspace');
    await wb.waitForNotification(/Signed out of Dify at .+\. The apps you added keep their keys\./);
    assert.equal(consoleCalls('/logout').at(-1)?.status, 200);
    // The workspace commands leave the palette with the session.
    await wb.openPalette();
    await wb.quickInput.locator('input').fill('>Dify: Add App from Workspace');
    await wb.quickPickRows('Dify: Add App…').first().waitFor();
    assert.equal(await wb.quickPickRows('Dify: Add App from Workspace…').count(), 0);
    await wb.page.keyboard.press('Escape');
    const chat = server().apps.find((a) => a.key === server().keys.chat)!;
    await wb.treeItem('Apps', chat.name);
  });
});
