// Drafts are not forgotten records: an action typed and not added is kept on the device, and
// said to be, for a week after it was last typed in; then it goes. Settings clears them all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveApp, startBrowser, openTablet, accessibilityViolations } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const DAY = 24 * 60 * 60 * 1000;
const iso = (offset) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

test('a draft is kept, and said to be, for a week after it was last typed in; then it goes, and Settings clears them all', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  const kept = () => page.evaluate(() => localStorage.getItem('sendlog:draft:anywhere'));
  const typedOn = async (day) => page.evaluate((day) => {
    const cells = JSON.parse(localStorage.getItem('sendlog:draft:anywhere'));
    cells[cells.length - 1] = day;
    localStorage.setItem('sendlog:draft:anywhere', JSON.stringify(cells));
  }, day);
  const action = page.getByLabel('Action', { exact: true });

  await action.fill('Ring Zoë’s mum about the hearing test');
  assert.equal(JSON.parse(await kept()).at(-1), iso(0), 'dated the day it was typed');
  // Six days later it is still there, and the home screen says drafts are kept.
  await typedOn(iso(-6));
  await page.reload();
  await page.getByText('Kept from before: this action is not added yet.').waitFor();
  assert.equal(await action.inputValue(), 'Ring Zoë’s mum about the hearing test');
  await page.getByText(/^1 draft of an action is kept on this device \(typed and not added\); it is cleared 7 days after it was last typed in\. Settings can clear them\.$/).waitFor();

  // A week after it was last typed in, it is gone.
  await typedOn(iso(-7));
  await page.reload();
  await page.getByRole('heading', { name: 'Add an action' }).waitFor();
  assert.equal(await action.inputValue(), '');
  assert.equal(await kept(), null);
  assert.equal(await page.locator('.drafts-kept').count(), 0);

  // Settings counts them and clears them all, after asking.
  await action.fill('Send the reading plan home');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Settings' }).tap();
  const drafts = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Drafts on this device' }) });
  await drafts.getByText(/^1 draft of an action is kept on this device/).waitFor();
  await drafts.getByRole('button', { name: 'Clear the drafts' }).tap();
  assert.deepEqual(await accessibilityViolations(page), [], 'settings, asking before clearing');
  await drafts.getByRole('button', { name: 'Yes, clear the drafts' }).tap();
  await drafts.getByText(/^No drafts are kept on this device\./).waitFor();
  assert.equal(await kept(), null);
  await nav.getByRole('link', { name: 'Home', exact: true }).tap();
  assert.equal(await action.inputValue(), '', 'the form is empty too');
  assert.deepEqual(problems, { console: [], foreign: [] });
  await context.close();
});
