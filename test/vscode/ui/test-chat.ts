// The test Dify server's "Test Chat" app asked a question in the chat view, as a person does (its required "Your
// name" filled in), and its echoed answer awaited: how the UI tests check that an app just added really answers.
import type { Workbench } from './harness.js';

export async function askTestChat(wb: Workbench, question: string): Promise<void> {
  await wb.activityBarOpen('Dify');
  await wb.sideBarSection('Chat');
  const chat = wb.webviewFrame();
  await chat.getByLabel('Your name').fill('Ada');
  const composer = chat.getByRole('textbox', { name: 'Message' });
  await composer.fill(question);
  await composer.press('Enter');
  await chat.locator('article[data-turn-id]').last().getByText(`Echo: ${question}`).waitFor({ timeout: 20_000 });
}
