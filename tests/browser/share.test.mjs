// Sharing the record between devices: export from one browser profile, import into a fresh one,
// and see the same record; broken files change nothing; an import is previewed, can be undone,
// and lists conflicts with both versions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { serveApp, startBrowser, openTablet, accessibilityViolations, waitUntilSaved, seedBuckets, storedBuckets, storedRows, openFilters } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const DAY = 24 * 60 * 60 * 1000;
const iso = (offset) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const stamp = (offset) => new Date(Date.now() + offset * DAY).toISOString().replace(/\.\d+Z$/, 'Z');

/** A small record whose names and text must survive every trip. */
function record() {
  const pupil = (name, year) => ({ id: randomUUID(), name, year_group: year, send_status: 'sen_support', annual_review: null, updated_at: stamp(-30) });
  const sian = pupil('Siân Evans', 'year_7');
  const zoe = pupil('Zoë Brontë', 'year_8');
  const aoife = pupil("Aoife O'Neil", 'year_9');
  const meeting = { id: randomUUID(), date: iso(-20), pupil: sian.id, meeting_type: 'annual_review', attendees: ['Parent or carer', 'SENCO'], summary: 'Annual review', working_notes: '', updated_at: stamp(-20) };
  const action = (who, step, owner, due, extra = {}) => ({
    id: randomUUID(), pupil: who.id, raised: iso(-20), meeting: null, item_type: 'follow_up',
    decision: 'Agreed, after "a long talk",\nwith mum', next_step: step, owner, due: iso(due), status: 'open',
    last_update: { at: stamp(-2), note: 'Created' }, evidence: '', next_review: null, escalate: false, ...extra,
  });
  const actions = [
    action(sian, 'Send the speech and language referral', 'Łukasz Nowak', 3, { meeting: meeting.id }),
    action(zoe, '=HYPERLINK("http://example.invalid") was typed by mistake', 'Class teacher', 7),
    action(aoife, 'Check the reading log every Friday', "Mrs O'Neil", -2, { status: 'in_progress' }),
    action(zoe, 'Share the diagnosis report', 'Parent', -30, { status: 'done', evidence: 'Report on file' }),
  ];
  const history = actions.map((a) => ({ id: randomUUID(), action: a.id, at: a.last_update.at, note: 'Created', changes: [] }));
  return { pupils: [sian, zoe, aoife], meetings: [meeting], actions, history };
}

const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).tap();
const trackerSteps = async (page) => {
  await nav(page, 'Tracker');
  await page.locator('#tracker-heading').waitFor();
  return page.locator('.action .next-step').allInnerTexts();
};

/** Presses a download button on the Import and export screen; returns the file's name and bytes. */
async function download(page, name) {
  await nav(page, 'Import and export');
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name }).click(),
  ]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

/** Chooses a file to import and waits for its preview. */
async function choose(page, name, bytes, mimeType = name.endsWith('.json') ? 'application/json' : 'text/csv') {
  await nav(page, 'Import and export');
  await page.getByLabel('Choose a file to import').setInputFiles({ name, mimeType, buffer: Buffer.from(bytes) });
  await page.getByRole('heading', { name: `Check before importing: ${name}` }).waitFor();
}

const today = () => new Date().toISOString().slice(0, 10);

test('a JSON export from one profile, imported into a fresh one, shows the same record and survives a reload', async () => {
  const one = await openTablet(chromium.browser, app.url);
  await seedBuckets(one.page, record());
  const expected = await trackerSteps(one.page);
  assert.equal(expected.length, 3);
  const exported = await download(one.page, 'Download everything (JSON)');
  assert.equal(exported.name, `sendlog-record-${today()}.json`);
  await one.context.close();

  const two = await openTablet(chromium.browser, app.url);
  await choose(two.page, exported.name, exported.bytes);
  const preview = two.page.locator('.import-preview');
  await preview.getByText('4 new actions').waitFor();
  await preview.getByText('3 new pupils').waitFor();
  assert.deepEqual(await accessibilityViolations(two.page), []);
  await preview.getByRole('button', { name: 'Import these changes' }).click();
  await two.page.getByRole('status').filter({ hasText: `Imported ${exported.name}: 4 new actions` }).first().waitFor();
  await waitUntilSaved(two.page);
  assert.deepEqual(await trackerSteps(two.page), expected);
  await two.page.locator('.action').filter({ hasText: 'Siân Evans' }).first().waitFor();

  await two.page.reload();
  assert.deepEqual(await trackerSteps(two.page), expected, 'stored, not just on screen');
  const again = await download(two.page, 'Download everything (JSON)');
  const strip = (bytes) => { const json = JSON.parse(bytes); delete json.exported_at; return json; };
  assert.deepEqual(strip(again.bytes), strip(exported.bytes), 'the same record, history and all');
  assert.deepEqual(two.problems, { console: [], foreign: [] });
  await two.context.close();
});

test('a CSV action log moves to a fresh profile and exports byte for byte the same', async () => {
  const one = await openTablet(chromium.browser, app.url);
  await seedBuckets(one.page, record());
  const exported = await download(one.page, 'Download the action log (CSV)');
  assert.equal(exported.name, `sendlog-actions-${today()}.csv`);
  const text = exported.bytes.toString('utf8');
  assert.ok(text.startsWith('\uFEFFDate raised,Pupil,'), 'a byte-order mark, then the headers');
  assert.ok(text.includes("'=HYPERLINK"), 'a formula is neutralised');
  assert.ok(text.includes('"Agreed, after ""a long talk"",\nwith mum"'));
  await one.context.close();

  const two = await openTablet(chromium.browser, app.url);
  await choose(two.page, exported.name, exported.bytes);
  await two.page.getByRole('button', { name: 'Import these changes' }).click();
  await waitUntilSaved(two.page);
  const steps = await trackerSteps(two.page);
  assert.ok(steps.includes('=HYPERLINK("http://example.invalid") was typed by mistake'), steps.join(' | '));
  const again = await download(two.page, 'Download the action log (CSV)');
  assert.equal(again.bytes.toString('utf8'), text);
  await two.context.close();
});

test('a broken file changes nothing, on screen or in storage, and says what is wrong by row and column', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await seedBuckets(page, record());
  await waitUntilSaved(page);
  const before = await storedBuckets(page);
  const steps = await trackerSteps(page);

  const broken = 'Pupil,Year group,Action,Owner,Due,Status\r\n'
    + 'Siân Evans,Year 7,Ring home,SENCO,31/02/2026,Open\r\n'
    + 'Zoë Brontë,Year 8,Send the plan,TBC,01/05/26,Sorted\r\n';
  await choose(page, 'edited.csv', broken);
  const alert = page.locator('.import-preview [role="alert"]');
  await alert.getByText('Nothing can be imported from this file: it has 3 problems. Nothing on this device has changed.').waitFor();
  for (const line of [
    'Row 2, Due: "31/02/2026" is not a real date',
    'Row 3, Owner: "TBC" is not one person.',
    'Row 3, Due: "01/05/26" has a two-digit year',
  ]) await alert.getByText(line).waitFor();
  // A status SEND Log does not know is a choice to make, not a problem of the file.
  await page.getByRole('group', { name: 'Values SEND Log does not know (1)' }).getByLabel('Status: “Sorted”').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Import these changes' }).count(), 0, 'there is nothing to press');
  assert.deepEqual(await accessibilityViolations(page), []);
  await page.getByRole('button', { name: 'Close' }).click();

  await choose(page, 'old-excel.csv', Buffer.from('Pupil,Year group,Action,Owner,Due\r\nSi\xe2n,Year 7,Ring,SENCO,2026-05-01\r\n', 'latin1'));
  await page.getByText('Read as Windows-1252 (Excel\'s CSV): check the names look right: Siân…').waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();

  const newer = JSON.stringify({ format: 'sendlog', schema: 99, pupils: [], meetings: [], actions: [], history: [] });
  await choose(page, 'from-the-future.json', newer);
  await page.getByText(/saved by a newer version of SEND Log \(schema 99/).waitFor();

  const cut = (await download(page, 'Download everything (JSON)')).bytes.subarray(0, 900);
  await choose(page, 'cut.json', cut);
  await page.getByText(/it ends too soon/).waitFor();

  assert.deepEqual(await storedBuckets(page), before, 'storage is exactly as it was');
  assert.deepEqual(await trackerSteps(page), steps);
  assert.deepEqual(problems, { console: [], foreign: [] });
  await context.close();
});

test('an import is previewed, applied at once, and undone whole', async () => {
  const { context, page } = await openTablet(chromium.browser, app.url);
  const data = record();
  await seedBuckets(page, data);
  await waitUntilSaved(page);
  const before = await storedBuckets(page);
  const rowsBefore = await storedRows(page);
  const [first] = data.actions;
  const sheet = 'Action ID,Pupil,Year group,Action,Owner,Due,Status\r\n'
    + `${first.id},Siân Evans,Year 7,${first.next_step},Łukasz Nowak,${first.due},Done\r\n`
    + ',Siân Evans,Year 7,Ring home about the referral,SENCO,30/12/2026,Open\r\n'
    + `,Ana Silva,Year 10,Book the transition visit,Head of year,${iso(10)},Waiting on someone else\r\n`;
  await choose(page, 'changes.csv', sheet);
  const preview = page.locator('.import-preview');
  for (const line of ['2 new actions', '1 new pupil', '1 action updated']) await preview.getByText(line, { exact: true }).waitFor();
  await preview.getByText('See what changes (1)').click();
  await preview.getByText('Status: Open → Done', { exact: true }).waitFor();
  assert.deepEqual(await storedBuckets(page), before, 'a preview changes nothing');

  await preview.getByRole('button', { name: 'Import these changes' }).click();
  await waitUntilSaved(page);
  const steps = await trackerSteps(page);
  assert.ok(steps.includes('Ring home about the referral') && steps.includes('Book the transition visit'));
  assert.ok(!steps.includes(first.next_step), 'done: it left the live tracker');
  assert.notDeepEqual(await storedBuckets(page), before);

  // The import's Undo is on the screen it was made on.
  await nav(page, 'Import and export');
  await page.getByRole('button', { name: /^Undo: Imported changes\.csv/ }).click();
  await page.getByRole('status').filter({ hasText: 'Undone: Imported changes.csv' }).first().waitFor();
  await waitUntilSaved(page);
  assert.deepEqual(await storedRows(page), rowsBefore, 'the stored record is back exactly as it was');
  await page.reload();
  assert.ok((await trackerSteps(page)).includes(first.next_step));
  await context.close();
});

test('two versions of the same age are shown side by side, and the chosen one is kept', async () => {
  const { context, page } = await openTablet(chromium.browser, app.url);
  const data = record();
  await seedBuckets(page, data);
  const bundle = JSON.parse((await download(page, 'Download everything (JSON)')).bytes);
  bundle.actions[0].owner = 'Ms Khan';
  await choose(page, 'other-tablet.json', JSON.stringify(bundle));
  const conflict = page.locator('fieldset.conflict');
  await conflict.getByText(`Action for Siân Evans: ${data.actions[0].next_step}`).waitFor();
  const row = conflict.getByRole('row', { name: /Owner/ });
  assert.deepEqual(await row.locator('td').allInnerTexts(), ['Łukasz Nowak', 'Ms Khan']);
  assert.deepEqual(await accessibilityViolations(page), []);
  await conflict.getByLabel("Use the file's version").check();
  await page.getByRole('button', { name: 'Import these changes' }).click();
  await waitUntilSaved(page);
  await nav(page, 'Tracker');
  await page.locator('.action').filter({ hasText: data.actions[0].next_step }).getByText('Ms Khan').waitFor();
  await context.close();
});

test('the tracker downloads just the rows its filter shows, named after the filter', async () => {
  const { context, page } = await openTablet(chromium.browser, app.url);
  await seedBuckets(page, record());
  await nav(page, 'Tracker');
  await openFilters(page);
  await page.getByRole('search', { name: 'Filter the tracker' }).getByLabel('Owner').selectOption({ label: 'Class teacher' });
  await page.getByText('1 of the live actions').waitFor();
  await page.locator('summary', { hasText: 'Download these rows' }).click();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download these rows as the tracker (CSV)' }).click(),
  ]);
  assert.equal(file.suggestedFilename(), `sendlog-tracker-${today()}-class-teacher.csv`);
  const lines = (await readFile(await file.path(), 'utf8')).trim().split('\r\n');
  assert.equal(lines.length, 2, 'the header and the one row');
  assert.ok(lines[1].includes("'=HYPERLINK"));
  await context.close();
});

test('a record kept only on this device asks for a copy until one is exported, and again a week later once it has changed', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  const reminder = page.getByRole('region', { name: 'Keep a copy of the record' });
  await page.getByRole('region', { name: 'Welcome to SEND Log' }).waitFor();
  assert.equal(await reminder.count(), 0, 'an empty device has nothing to copy');

  await page.getByLabel('Name', { exact: true }).fill('Siân Evans');
  await page.getByRole('button', { name: 'Add pupil' }).tap();
  await reminder.waitFor();
  assert.match(await reminder.innerText(), /kept only on this device/);
  assert.deepEqual(await accessibilityViolations(page), [], 'axe: the reminder');

  // The reminder leads to the export; the whole record exported, it goes, and stays gone.
  await reminder.getByRole('link', { name: 'Import and export' }).tap();
  const lastCopy = page.locator('.last-copy');
  assert.equal(await lastCopy.innerText(), 'The whole record has not been exported from this device yet.');
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download everything (JSON)' }).click(),
  ]);
  assert.match(file.suggestedFilename(), /\.json$/);
  await lastCopy.getByText(/^The last copy of the whole record was exported from this device on \d{1,2} [A-Z][a-z]{2} \d{4} at \d\d:\d\d\.$/).waitFor();
  await nav(page, 'Home');
  await page.getByRole('heading', { name: 'Add an action' }).waitFor();
  assert.equal(await reminder.count(), 0, 'a fresh copy: no reminder');
  await page.reload();
  await page.getByRole('heading', { name: 'Add an action' }).waitFor();
  assert.equal(await reminder.count(), 0, 'the copy is remembered after a reload');

  // A CSV of the action log is not a copy of the whole record.
  await page.evaluate(() => localStorage.removeItem('sendlog:last-export'));
  await page.reload();
  await reminder.waitFor();
  await nav(page, 'Import and export');
  await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the action log (CSV)' }).click()]);
  await page.getByText(/is saved to this device's downloads\.$/).waitFor();
  assert.equal(await lastCopy.innerText(), 'The whole record has not been exported from this device yet.');

  // Ten days after a copy, with a change made since, a fresh one is asked for.
  await page.evaluate((at) => localStorage.setItem('sendlog:last-export', at), new Date(Date.now() - 10 * DAY).toISOString());
  await page.reload();
  await nav(page, 'Home');
  const fresh = page.getByRole('region', { name: 'Time for a fresh copy of the record' });
  assert.match(await fresh.innerText(), /\(10 days ago\)\. The changes made since are only on this device/);
  assert.deepEqual(problems.console, []);
  await context.close();
});
