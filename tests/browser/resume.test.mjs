// Continuing a meeting from Home after going elsewhere (issue 23, point 6), and the school's
// name and contact line on the parent's printed copy (issue 23, point 8), as a SENCO would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveApp, startBrowser, openTablet, accessibilityViolations, waitUntilSaved, leaveTheMeeting } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).tap();
const STEP = 'Send home the visual timetable on Fridays';

async function startMeeting(page, name, type) {
  await page.getByRole('button', { name: 'Start a meeting' }).tap();
  const form = page.getByRole('form', { name: 'Start a meeting' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Year group').selectOption({ label: 'Year 5' });
  await form.getByRole('button', { name: 'Add pupil' }).tap();
  await form.getByLabel('Type of meeting').selectOption({ label: type });
  await form.getByRole('button', { name: 'Parent or carer', exact: true }).tap();
  await form.getByRole('button', { name: 'Start meeting', exact: true }).tap();
  await page.locator('#meeting-heading').waitFor();
}

test('a meeting left for another screen is continued from Home, and is only "today\'s" once finished', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await startMeeting(page, 'Siân Öztürk', 'SEN support meeting');
  const form = page.getByRole('form', { name: 'Add an agreed action' });
  await form.getByLabel('Action', { exact: true }).fill(STEP);
  await form.getByLabel('Owner', { exact: true }).fill('SENCO');
  await form.getByRole('button', { name: '+2 weeks', exact: true }).tap();
  await form.getByRole('button', { name: 'Add action' }).tap();
  await page.getByRole('status').getByText('Action added for Siân Öztürk.').waitFor();
  await waitUntilSaved(page);

  // Away to the tracker, then a reload: Home still offers it, marked as not finished.
  await leaveTheMeeting(page);
  await nav(page, 'Tracker');
  await page.getByRole('heading', { name: 'Tracker' }).waitFor();
  await page.reload();
  await nav(page, 'Home');
  const list = page.getByRole('list', { name: 'Meetings to continue' });
  const line = list.getByRole('listitem').filter({ hasText: 'SEN support meeting for Siân Öztürk' });
  await line.getByText(/^Not finished · \d{1,2} [A-Z][a-z]{2} \d{4} · With Parent or carer\.$/).waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], 'axe: Home with a meeting to continue');
  await line.getByRole('link', { name: 'Continue: SEN support meeting for Siân Öztürk' }).tap();
  assert.equal(await page.locator('#meeting-heading').innerText(), 'SEN support meeting — Siân Öztürk');
  await page.getByText(STEP).first().waitFor();

  // Finished (its read-back reached): Home lists it as today's, without "Not finished".
  await page.getByRole('link', { name: 'Finish meeting' }).tap();
  await page.locator('#read-back-heading').waitFor();
  await leaveTheMeeting(page);
  await line.getByText(/^Today · With Parent or carer\.$/).waitFor();
  assert.equal(await line.getByRole('link', { name: /^Finish:/ }).count(), 0);
  assert.equal(await list.getByRole('listitem').count(), 1, 'one meeting, listed once');
  assert.deepEqual(problems.console, []);
  await context.close();
});

test("the parent's copy carries the school's name and whom to contact, set once in Settings", async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url, { width: 1024, height: 768 });
  await startMeeting(page, 'Łucja Kowalska', 'Parent conversation');
  await page.getByRole('link', { name: 'Finish meeting' }).tap();
  await page.locator('#read-back-heading').waitFor();
  // Not set yet: the screen says where to set it; nothing in its place on the copy.
  await page.getByText("To put your school's name and whom to contact on this copy").waitFor();
  assert.equal(await page.locator('.letterhead').count(), 0);

  await leaveTheMeeting(page);
  await nav(page, 'Settings');
  await page.getByLabel('School name').fill('Ysgol Gymraeg Pen-y-bryn');
  const contact = page.getByLabel(/^Contact/);
  await contact.fill('x'.repeat(301));
  await page.getByRole('button', { name: "Save for the parent's copy" }).tap();
  await page.getByText(/The contact line is longer than 300 characters/).waitFor();
  assert.equal(await contact.inputValue(), 'x'.repeat(301), 'what was typed stays');
  await contact.fill('Mrs Dafydd (SENCO), 01234 567890');
  await page.getByRole('button', { name: "Save for the parent's copy" }).tap();
  await page.getByText(/^Saved on this device/).waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], 'axe: Settings');

  await page.reload();
  // Back past Home (where leaving the meeting went) to the read-back.
  await page.goBack();
  await page.getByRole('heading', { name: 'Add an action' }).waitFor();
  await page.goBack();
  await page.locator('#read-back-heading').waitFor();
  await page.locator('.letterhead', { hasText: 'Ysgol Gymraeg Pen-y-bryn' }).waitFor();
  await page.getByText('Questions about these actions: Mrs Dafydd (SENCO), 01234 567890').waitFor();
  assert.equal(await page.getByText("To put your school's name").count(), 0);
  // Printed: the school and the contact are on the page, the app's buttons are not.
  await page.emulateMedia({ media: 'print' });
  assert.ok(await page.locator('.letterhead').isVisible());
  assert.ok(await page.locator('.contact-line').isVisible());
  assert.ok(!(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible()));
  assert.deepEqual(await accessibilityViolations(page), [], 'axe: the read-back');
  assert.deepEqual(problems.console, []);
  await context.close();
});
