// A meeting screen that shows one pupil (issue 19, point 3): with a parent looking on, nothing
// about another pupil is on the screen, the Undo of a change made elsewhere among it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveApp, startBrowser, openTablet, addPupilAndAction, waitUntilSaved, leaveTheMeeting } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

test("during one pupil's meeting no other pupil's name, action or Undo is on the screen", async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  // Gwen's meeting is started, then left for the home screen, where two other pupils' actions
  // are added; then the meeting is taken up again.
  await page.getByRole('button', { name: 'Start a meeting' }).tap();
  const form = page.getByRole('form', { name: 'Start a meeting' });
  await form.getByLabel('Name', { exact: true }).fill('Gwen Morgan');
  await form.getByLabel('Year group').selectOption({ label: 'Year 4' });
  await form.getByRole('button', { name: 'Add pupil' }).tap();
  await form.getByRole('button', { name: 'Start meeting', exact: true }).tap();
  await page.locator('#meeting-heading').waitFor();
  const meeting = await page.evaluate(() => window.location.hash);
  // In the meeting, the header has no way to another screen but a deliberate one.
  const nav = page.getByRole('navigation', { name: 'Main' });
  assert.equal(await nav.getByRole('link').count(), 0, 'no links to the screens that show other pupils');
  await nav.getByRole('button', { name: 'Leave the meeting…' }).tap();
  await nav.getByRole('button', { name: 'Stay in the meeting' }).tap();
  await page.locator('#meeting-heading').waitFor();
  await leaveTheMeeting(page);
  const add = page.getByRole('form', { name: 'Add an action' });
  for (const [name, step] of [['Kostas Papadopoulos', 'Ring Kostas’s dad about the trip'], ['Łucja Kowalska', 'Send Łucja’s reading plan home']]) {
    await add.getByRole('button', { name: 'New pupil', exact: true }).tap();
    await addPupilAndAction(page, name, step);
  }
  await page.getByRole('button', { name: /^Undo: Action added for Łucja Kowalska/ }).waitFor();

  await page.evaluate((to) => { window.location.hash = to; }, meeting);
  await page.locator('#meeting-heading').waitFor();
  const others = /Kostas|Papadopoulos|Łucja|Kowalska|reading plan|the trip/;
  const text = async () => page.evaluate(() => document.body.innerText);
  assert.doesNotMatch(await text(), others, 'the meeting screen shows Gwen only');
  assert.equal(await page.getByRole('button', { name: /^Undo: / }).count(), 0, 'no Undo of a change made elsewhere');

  // A change made here is undoable here and on its read-back, and nowhere else.
  const agree = page.getByRole('form', { name: 'Add an agreed action' });
  await agree.getByLabel('Action', { exact: true }).fill('Ask the speech and language therapist for a date');
  await agree.getByLabel('Owner', { exact: true }).fill('SENCO');
  await agree.getByRole('button', { name: '+1 week' }).tap();
  await agree.getByRole('button', { name: 'Add action' }).tap();
  await page.getByRole('button', { name: /^Undo: Action added for Gwen Morgan/ }).waitFor();
  await waitUntilSaved(page);
  assert.doesNotMatch(await text(), others);
  await page.getByRole('link', { name: 'Finish meeting' }).tap();
  await page.getByText('Ask the speech and language therapist for a date').first().waitFor();
  assert.doesNotMatch(await text(), others, 'nor its read-back');
  await page.getByRole('button', { name: /^Undo: Action added for Gwen Morgan/ }).waitFor();
  await leaveTheMeeting(page);
  assert.equal(await page.getByRole('button', { name: /^Undo: / }).count(), 0);
  assert.deepEqual(problems, { console: [], foreign: [] });
  await context.close();
});
