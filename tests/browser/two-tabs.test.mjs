// SEND Log open in two tabs: the second may not change the record, and what is typed there is
// kept, said to be not saved, and saved once the first tab closes and the second takes over.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveApp, startBrowser, openTablet, accessibilityViolations, waitUntilSaved, storedRows } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const NOT_SAVED = 'Not saved: SEND Log is open in another tab or window. What you typed is kept on this device';

/** Opens a second tab of the same context at `address`, watched like the first. */
async function secondTab(context, address, problems) {
  const second = await context.newPage();
  second.on('console', (msg) => { if (msg.type() === 'error') problems.console.push(msg.text()); });
  second.on('pageerror', (error) => problems.console.push(String(error)));
  await second.goto(address);
  await second.getByText('Open in another tab or window.', { exact: true }).waitFor();
  return second;
}

const header = (page) => page.locator('.app-header .saved');

/** The texts kept in localStorage for boxes whose typing was refused. */
const keptTexts = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('sendlog:unsaved:')));

test('typed in a second tab, a meeting\'s summary, who was there and working notes are kept, said to be not saved, and saved once it takes over', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await page.getByRole('button', { name: 'Start a meeting' }).tap();
  const form = page.getByRole('form', { name: 'Start a meeting' });
  await form.getByLabel('Name', { exact: true }).fill('Ffion Hughes');
  await form.getByLabel('Year group').selectOption({ label: 'Year 6' });
  await form.getByRole('button', { name: 'Add pupil' }).tap();
  await form.getByRole('button', { name: 'Start meeting', exact: true }).tap();
  await page.locator('#meeting-heading').waitFor();
  await waitUntilSaved(page);

  const second = await secondTab(context, page.url(), problems);
  await second.locator('#meeting-heading').waitFor();
  const SUMMARY = 'Mum is worried about the move to secondary school.';
  const WITH = 'Parent or carer, SENCO, Head of Year 7';
  const NOTES = 'Ask the EP whether a visit in June is possible.';
  await second.getByText('Change the date, type, who was there or the summary').click();
  await second.getByLabel('Short summary').fill(SUMMARY);
  await second.getByLabel('Who was there (names or roles, separated by commas)').fill(WITH);
  await second.getByRole('textbox', { name: 'Working notes' }).fill(NOTES);
  await second.getByRole('textbox', { name: 'Working notes' }).blur();
  await second.waitForTimeout(1000);

  // Each box says it is not saved, and so does the header.
  for (const id of ['#meeting-summary-note', '#meeting-attendees-note', '#working-notes-note']) {
    assert.match(await second.locator(id).innerText(), new RegExp(`^${NOT_SAVED}`), id);
  }
  assert.equal(await header(second).innerText(), 'Not saved on this device');
  assert.match(await second.getByRole('alert').filter({ hasText: 'saved as soon as this tab takes over' }).innerText(), /close the other tab or window/);
  assert.deepEqual(await accessibilityViolations(second), [], 'the second tab, with text not saved');
  assert.equal((await storedRows(page)).meetings[0].summary, '', 'nothing was written by the second tab');
  assert.equal((await keptTexts(second)).length, 3);

  // The first tab closes: the second reloads itself, takes over, puts the text back and saves it.
  await Promise.all([second.waitForEvent('load'), page.close()]);
  await second.locator('#meeting-heading').waitFor();
  await second.getByText('Open in another tab or window.', { exact: true }).waitFor({ state: 'detached' });
  assert.equal(await second.getByLabel('Short summary').inputValue(), SUMMARY);
  assert.equal(await second.getByLabel('Who was there (names or roles, separated by commas)').inputValue(), WITH);
  assert.equal(await second.getByRole('textbox', { name: 'Working notes' }).inputValue(), NOTES);
  await waitUntilSaved(second);
  const [meeting] = (await storedRows(second)).meetings;
  assert.equal(meeting.summary, SUMMARY);
  assert.deepEqual(meeting.attendees, ['Parent or carer', 'SENCO', 'Head of Year 7']);
  assert.equal(meeting.working_notes, NOTES);
  assert.deepEqual(await keptTexts(second), [], 'what was kept is forgotten once saved');

  // And it is in the record: a reload shows it from there.
  await second.reload();
  await second.locator('#meeting-heading').waitFor();
  assert.equal(await second.getByRole('textbox', { name: 'Working notes' }).inputValue(), NOTES);
  assert.match(await second.locator('.meeting-head').innerText(), /With Parent or carer, SENCO, Head of Year 7/);
  assert.equal(await second.locator('.meeting-head .summary').innerText(), SUMMARY);
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('a second tab keeps a pupil\'s new name and year group, says they are not saved, and makes the change once it takes over', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await page.getByLabel('Name', { exact: true }).fill('Oliver Price');
  await page.getByRole('button', { name: 'Add pupil' }).tap();
  await waitUntilSaved(page);
  const [pupil] = (await storedRows(page)).pupils;

  const second = await secondTab(context, `${app.url}#/pupil/${pupil.id}`, problems);
  await second.getByRole('heading', { name: 'Oliver Price' }).waitFor();
  await second.getByText('Change details').click();
  await second.getByLabel('Name', { exact: true }).fill('Olly Price');
  await second.getByLabel('Name', { exact: true }).press('Tab');
  await second.getByLabel('Year group').selectOption({ label: 'Year 8' });
  assert.match(await second.locator('#pupil-name-notes').innerText(), new RegExp(`^${NOT_SAVED}`));
  assert.equal(await header(second).innerText(), 'Not saved on this device');
  assert.equal((await storedRows(page)).pupils[0].name, 'Oliver Price');

  // A reload while the first tab is still open keeps them on screen, still not saved.
  await second.reload();
  await second.getByText('Open in another tab or window.', { exact: true }).waitFor();
  assert.equal(await second.locator('details.pupil-details').getAttribute('open'), '', 'the details are open, to show what is not saved');
  assert.equal(await second.getByLabel('Name', { exact: true }).inputValue(), 'Olly Price');
  assert.match(await second.locator('#pupil-name-notes').innerText(), new RegExp(`^${NOT_SAVED}`));
  assert.equal(await header(second).innerText(), 'Not saved on this device');
  assert.deepEqual(await accessibilityViolations(second), [], 'the pupil page, with changes not saved');

  await Promise.all([second.waitForEvent('load'), page.close()]);
  await second.getByRole('heading', { name: 'Olly Price' }).waitFor();
  await waitUntilSaved(second);
  const [stored] = (await storedRows(second)).pupils;
  assert.equal(stored.name, 'Olly Price');
  assert.equal(stored.year_group, 'year_8');
  assert.deepEqual(await keptTexts(second), []);
  await second.reload();
  await second.getByRole('heading', { name: 'Olly Price' }).waitFor();
  assert.match(await second.locator('#pupil-heading + p').innerText(), /Year 8/);
  assert.deepEqual(problems.console, []);
  await context.close();
});
