// A school's own workbook brought in as a person would (issue 17, point 5): an .xlsx, .xls or
// .ods saved by LibreOffice (src/core/tests/workbooks/make.mjs) chosen in the file picker, read
// by the workbook worker, its sheet chosen, previewed, imported and still there after a reload;
// a damaged one refused with the page still working; and a workbook read with the server gone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveApp, startBrowser, openTablet, accessibilityViolations, waitUntilSaved, storedRows, untilOfflineReady } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const workbook = (name) => readFileSync(fileURLToPath(new URL(`../../src/core/tests/workbooks/${name}`, import.meta.url)));
const TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
};
const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).tap();

/** Chooses a workbook to import, as a person does, and waits for its preview. */
async function choose(page, name) {
  await nav(page, 'Import and export');
  const mimeType = TYPES[name.split('.').pop()];
  await page.getByLabel('Choose a file to import').setInputFiles({ name, mimeType, buffer: workbook(name) });
  await page.getByRole('heading', { name: `Check before importing: ${name}` }).waitFor();
  return page.locator('.import-preview');
}

/** The tracker's rows: each live action's pupil and step. */
async function trackerRows(page) {
  await nav(page, 'Tracker');
  await page.locator('#tracker-heading').waitFor();
  const rows = page.locator('.action');
  await rows.first().waitFor();
  return (await rows.evaluateAll((lis) => lis.map((li) => [(li.querySelector('.pupil-name') ?? li.querySelector('.pupil')).textContent.trim(), li.querySelector('.next-step').textContent.trim()]))).sort();
}

// Łukasz's action is done, so not on the tracker.
const TRACKED = [
  ['Siân Jones', 'Refer to speech and language therapy'],
  ['Zoë Brontë', 'Send the reading plan home'],
  ['Γιώργος Παπαδόπουλος', 'Start the phonics group, three times a week'],
  ['İlker Yılmaz', 'Plan the annual review'],
].sort();

/** Imports the test tracker saved as `file` as its preview first shows it, and checks the tracker. */
async function importTheTracker(page, file) {
  const preview = await choose(page, file);
  await preview.getByText('5 new actions', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Import these changes' }).click();
  await waitUntilSaved(page);
  assert.deepEqual(await trackerRows(page), TRACKED);
}

for (const file of ['tracker.xlsx', 'tracker.ods']) {
  test(`a tracker kept as ${file}, a title above its table and a sheet of lists beside it, comes in whole`, async () => {
    const { context, page, problems } = await openTablet(chromium.browser, app.url);
    const preview = await choose(page, file);
    const sheet = page.getByLabel('Sheet', { exact: true });
    assert.deepEqual(await sheet.locator('option').allInnerTexts(), ['Tracker', 'Lists'], 'the hidden sheet is not offered');
    assert.equal(await sheet.evaluate((s) => s.selectedOptions[0].textContent), 'Tracker');
    await page.getByText('This workbook has 2 sheets. The actions are read from the one chosen here.').waitFor();
    await preview.getByText('5 new actions', { exact: true }).waitFor();
    await preview.getByText('Rows 1 to 2, above the column names in row 3, were left out, as a title.').waitFor();
    await preview.getByText(/^1 row says Overdue/).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);

    // The sheet of lists is no table of actions; the person goes back to the tracker.
    await sheet.selectOption({ label: 'Lists' });
    await preview.getByRole('button', { name: 'Import these changes' }).waitFor({ state: 'detached' });
    await sheet.selectOption({ label: 'Tracker' });
    await preview.getByText('5 new actions', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Import these changes' }).click();
    await waitUntilSaved(page);

    const check = async () => {
      assert.deepEqual(await trackerRows(page), TRACKED);
      const rows = await storedRows(page);
      const due = Object.fromEntries(rows.actions.map((a) => [a.next_step, [a.due, a.status]]));
      assert.deepEqual(due['Seat him near the board'], ['2027-02-01', 'done'], 'the date cell is the due date; Complete is done');
      assert.deepEqual(due['Plan the annual review'], ['2026-11-30', 'open']);
      assert.ok(rows.pupils.some((p) => p.name === 'Łukasz Nowak' && p.year_group === 'reception'));
    };
    await check();
    await page.reload();
    await check();
    assert.deepEqual(problems, { console: [], foreign: [] });
    await context.close();
  });
}

test('an Excel 97 workbook (.xls) is read too, and one damaged is refused while the page keeps working', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  const preview = await choose(page, 'damaged.xls');
  await preview.getByText(/reading it as a workbook stopped part way: it may be damaged/).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Import these changes' }).count(), 0);
  assert.equal(await page.getByLabel('Sheet', { exact: true }).count(), 0);
  assert.deepEqual(await accessibilityViolations(page), []);
  // The same person then chooses the whole file: the reader starts again.
  await importTheTracker(page, 'tracker.xls');
  // The worker that stopped took its error with it: the page has none.
  assert.deepEqual(problems, { console: [], foreign: [] });
  await context.close();
});

test('an action log kept as .xlsx puts each action at its meeting', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  const preview = await choose(page, 'action-log.xlsx');
  assert.equal(await page.getByLabel('Sheet', { exact: true }).count(), 0, 'one sheet: nothing to choose');
  for (const line of ['3 new actions', '1 new meeting']) await preview.getByText(line, { exact: true }).waitFor();
  // An action log has no year group column: the new pupils' year groups are asked for once.
  const asked = preview.getByRole('group', { name: 'New pupils without a year group (2)' });
  await asked.getByLabel('Year group of Gwenllïan Ap Dafydd').selectOption({ label: 'Year 4' });
  await asked.getByLabel('Year group of Jürgen Weiß').selectOption({ label: 'Year 6' });
  await page.getByRole('button', { name: 'Import these changes' }).click();
  await waitUntilSaved(page);
  const rows = await storedRows(page);
  assert.deepEqual(rows.meetings.map((m) => [m.date, m.meeting_type]), [['2026-11-23', 'parent_conversation']]);
  assert.deepEqual(rows.pupils.map((p) => [p.name, p.year_group]).sort(), [['Gwenllïan Ap Dafydd', 'year_4'], ['Jürgen Weiß', 'year_6']]);
  assert.deepEqual(problems, { console: [], foreign: [] });
  await context.close();
});

test('a workbook is read with the server gone, once the app has been opened', async () => {
  const gone = await serveApp();
  const { context, page, problems } = await openTablet(chromium.browser, gone.url);
  await untilOfflineReady(page);
  await gone.close();
  await assert.rejects(fetch(gone.url), 'the server is really gone');
  await importTheTracker(page, 'tracker.xlsx');
  assert.deepEqual(problems, { console: [], foreign: [] });
  await context.close();
});
