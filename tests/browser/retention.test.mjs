// Retention a school can run (issue 19, point 4): the school's rule chosen in Settings, a pupil
// marked as left (or with a date of birth) past it listed under Pupils → Due for removal, and
// removed from there with the usual confirmation, for good.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveApp, startBrowser, openTablet, waitUntilSaved, storedRows, accessibilityViolations } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).tap();

/** Sets a date on a pupil's page, under Change details, and waits for it to be said. */
async function setDate(page, pupil, label, iso, said) {
  await page.evaluate((id) => { window.location.hash = `#/pupil/${id}`; }, pupil.id);
  await page.getByRole('heading', { name: pupil.name, exact: true }).waitFor();
  await page.getByText('Change details').tap();
  await page.getByLabel(label, { exact: true }).fill(iso);
  await page.getByRole('status').getByText(said, { exact: false }).waitFor();
  await waitUntilSaved(page);
}

async function chooseRule(page, rule) {
  await nav(page, 'Settings');
  await page.getByLabel("Your school's rule").selectOption({ label: rule });
}

test('a pupil past the school\'s retention rule is listed as due for removal and removed from there', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await page.getByRole('button', { name: 'Load the example record' }).tap();
  await waitUntilSaved(page);
  const rows = await storedRows(page);
  const [gone, young, born] = rows.pupils;

  // No rule yet: the list says where to choose one.
  await nav(page, 'Pupils');
  await page.getByRole('heading', { name: 'Due for removal (0)' }).waitFor();
  await page.getByText("Choose your school's retention rule in Settings", { exact: false }).waitFor();

  // A rule of the school's own, typed wrong, then right; kept through a reload.
  await chooseRule(page, 'A rule of our own');
  await page.getByLabel('Years').fill('seven');
  await page.getByRole('button', { name: 'Save the retention rule' }).tap();
  await page.getByText('Write the years as a whole number from 1 to 100 ("seven" is not one). Nothing was changed.').waitFor();
  assert.equal(await page.getByLabel('Years').inputValue(), 'seven', 'what was typed stays');
  await page.getByLabel('Years').fill('7');
  await page.getByLabel('Counted from').selectOption({ label: 'the day the pupil leaves' });
  await page.getByRole('button', { name: 'Save the retention rule' }).tap();
  await page.getByText('Saved on this device: 7 years after the pupil leaves.', { exact: false }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], 'Settings with the retention rule');
  await page.reload();
  await page.locator('#retention-heading').waitFor();
  assert.equal(await page.getByLabel('Years').inputValue(), '7');

  // One pupil left long ago, one this summer.
  await setDate(page, gone, 'Left the school on', '2015-07-20', 'Left the school on: none → 20 Jul 2015');
  await setDate(page, young, 'Left the school on', '2026-07-22', 'Left the school on: none → 22 Jul 2026');
  await nav(page, 'Pupils');
  const due = page.getByRole('list', { name: 'Due for removal' });
  await page.getByRole('heading', { name: 'Due for removal (1)' }).waitFor();
  await due.getByText('Left 20 Jul 2015; due for removal from 20 Jul 2022').waitFor();
  assert.equal(await due.getByText(young.name).count(), 0, 'left this summer: not due');
  assert.deepEqual(await accessibilityViolations(page), [], 'Pupils with Due for removal');

  // Removed from the list, with the name typed to confirm; the list stays, less them.
  await due.getByRole('button', { name: `Remove ${gone.name}'s records…` }).tap();
  const form = due.getByRole('form', { name: `Remove ${gone.name}'s records` });
  await form.getByLabel(/^To confirm/).fill('Someone else');
  await form.getByRole('button', { name: 'Remove for good' }).tap();
  await form.getByText('Nothing was removed.', { exact: false }).waitFor();
  await form.getByLabel(/^To confirm/).fill(gone.name);
  await form.getByRole('button', { name: 'Remove for good' }).tap();
  await page.getByRole('status').getByText(`Removed ${gone.name}'s records from this device`, { exact: false }).first().waitFor();
  await page.getByRole('heading', { name: 'Due for removal (0)' }).waitFor();
  await waitUntilSaved(page);
  const after = await storedRows(page);
  assert.ok(!after.pupils.some((p) => p.id === gone.id), 'the pupil is gone');
  assert.ok(!after.actions.some((a) => a.pupil === gone.id), 'and their actions');
  assert.equal(after.actions.length, rows.actions.filter((a) => a.pupil !== gone.id).length, 'no one else\'s');

  // A rule counted from the date of birth: a pupil born in 1990 is due; one who has left with
  // no date of birth is said to be unknown.
  await setDate(page, born, 'Date of birth', '1990-03-01', 'Date of birth: none → 1 Mar 1990');
  await chooseRule(page, 'Date of birth + 31 years (IRMS toolkit: SEN files, reviews and EHC plans)');
  await page.getByRole('button', { name: 'Save the retention rule' }).tap();
  await page.getByText('Saved on this device: Date of birth + 31 years.', { exact: false }).waitFor();
  await nav(page, 'Pupils');
  await due.getByText('Born 1 Mar 1990; due for removal from 1 Mar 2021').waitFor();
  await page.getByText('1 pupil who has left has no date of birth recorded', { exact: false }).waitFor();
  assert.deepEqual(problems, { console: [], foreign: [] });
  await context.close();
});
