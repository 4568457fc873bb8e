// A school's own tracker brought in as a person would: the layouts the guidance recommends, chosen
// in the file picker, read in the preview (what each row becomes, what was assumed), imported,
// and still there after a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { serveApp, startBrowser, openTablet, accessibilityViolations, waitUntilSaved, seedBuckets, storedRows } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const DAY = 24 * 60 * 60 * 1000;
const iso = (offset) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const uk = (offset) => { const [y, m, d] = iso(offset).split('-'); return `${d}/${m}/${y}`; };
const stamp = (offset) => new Date(Date.now() + offset * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
const pupil = (name, year) => ({ id: randomUUID(), name, year_group: year, send_status: 'sen_support', annual_review: null, updated_at: stamp(-30) });

const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).tap();
const trackerSteps = async (page) => {
  await nav(page, 'Tracker');
  await page.locator('#tracker-heading').waitFor();
  return page.locator('.action .next-step').allInnerTexts();
};

/** Chooses a file to import, as a person does, and waits for its preview. */
async function choose(page, name, bytes, mimeType = 'text/csv') {
  await nav(page, 'Import and export');
  await page.getByLabel('Choose a file to import').setInputFiles({ name, mimeType, buffer: Buffer.from(bytes) });
  await page.getByRole('heading', { name: `Check before importing: ${name}` }).waitFor();
  return page.locator('.import-preview');
}

/** Imports what the preview shows and waits until it is stored. */
async function importIt(page) {
  await page.getByRole('button', { name: 'Import these changes' }).click();
  await waitUntilSaved(page);
}

test('an action log laid out as the guidance recommends comes in, each action at its meeting', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  const zoe = pupil('Zoë Brontë', 'year_5');
  const sian = pupil('Siân Jones', 'year_3');
  await seedBuckets(page, { pupils: [zoe, sian] });
  const sheet = 'Pupil name,Date,Meeting or event type,Issue or decision,Action agreed,Owner,Deadline or review date,Status,Evidence or note\r\n'
    + `Zoë Brontë,${uk(-3)},Parent conversation,Mum worried about reading,Send the reading plan home,SENCO,${uk(7)},Not started,\r\n`
    + `Zoë Brontë,${uk(-3)},Parent conversation,,Book a follow-up call,SENCO,${uk(-1)},Overdue,\r\n`
    + `Siân Jones,${uk(-10)},,Reading is behind,Check the reading log,Class teacher,${uk(5)},Started,Log on file\r\n`
    + `Siân Jones,,,,Ring the clinic,SENCO,${uk(9)},,\r\n`;
  const preview = await choose(page, 'action-log.csv', sheet);
  for (const line of ['4 new actions', '1 new meeting']) await preview.getByText(line, { exact: true }).waitFor();
  await preview.getByText(/^1 row has no date raised, so its action is dated today/).waitFor();
  await preview.getByText(/^1 row says Overdue\. SEND Log works out what is overdue from the due date/).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await importIt(page);

  const check = async () => {
    const rows = await storedRows(page);
    assert.equal(rows.meetings.length, 1, 'one meeting for the two rows of one day and type');
    const [meeting] = rows.meetings;
    assert.deepEqual([meeting.pupil, meeting.date, meeting.meeting_type], [zoe.id, iso(-3), 'parent_conversation']);
    const got = Object.fromEntries(rows.actions.map((a) => [a.next_step, [a.meeting, a.raised, a.status]]));
    assert.deepEqual(got, {
      'Send the reading plan home': [meeting.id, iso(-3), 'open'],
      'Book a follow-up call': [meeting.id, iso(-3), 'open'],
      'Check the reading log': [null, iso(-10), 'in_progress'],
      'Ring the clinic': [null, iso(0), 'open'],
    });
    const steps = await trackerSteps(page);
    assert.equal(steps[0], 'Book a follow-up call', 'overdue, by its due date: first on the tracker');
    assert.equal(steps.length, 4);
  };
  await check();
  await page.reload();
  await check();
  assert.deepEqual(problems, { console: [], foreign: [] });
  await context.close();
});

test('new pupils without a year group are asked about once each, and nothing comes in until each has one', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  const sheet = 'Pupil name,Year group,Task,Owner,Due date,Status\r\n'
    + `Aoife O'Neil,,Ring home about the visit,SENCO,${uk(4)},Open\r\n`
    + `aoife o'neil,,Write up the visit,SENCO,${uk(6)},Open\r\n`
    + `Dafydd ap Gwilym,,Book the hearing test,Parent,${uk(8)},To do\r\n`
    + `Łucja Kowalska,Year 2,Send the plan home,Class teacher,${uk(3)},Open\r\n`;
  const preview = await choose(page, 'tracker.csv', sheet);
  const asked = preview.getByRole('group', { name: 'New pupils without a year group (2)' });
  await asked.waitFor();
  assert.equal(await page.getByRole('button', { name: 'Import these changes' }).count(), 0, 'nothing to import yet');
  await preview.getByText(/^Make each choice above \(a year group for each new pupil/).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await asked.getByLabel("Year group of Aoife O'Neil").selectOption({ label: 'Year 4' });
  assert.equal(await asked.getByLabel("Year group of Aoife O'Neil").inputValue(), 'year_4');
  assert.equal(await page.getByRole('button', { name: 'Import these changes' }).count(), 0, 'one still to choose');
  await asked.getByLabel('Year group for all of them').selectOption({ label: 'Reception' });
  await page.getByRole('button', { name: 'Import these changes' }).waitFor();
  assert.equal(await asked.getByLabel("Year group of Aoife O'Neil").inputValue(), 'reception', 'the one choice sets all of them');
  await asked.getByLabel('Year group of Dafydd ap Gwilym').selectOption({ label: 'Year 1' });
  await preview.getByText('3 new pupils', { exact: true }).waitFor();
  await importIt(page);

  const check = async () => {
    const rows = await storedRows(page);
    const years = Object.fromEntries(rows.pupils.map((p) => [p.name, p.year_group]));
    assert.deepEqual(years, { "Aoife O'Neil": 'reception', 'Dafydd ap Gwilym': 'year_1', 'Łucja Kowalska': 'year_2' });
    assert.equal(rows.actions.length, 4);
    assert.deepEqual((await trackerSteps(page)).sort(), ['Book the hearing test', 'Ring home about the visit', 'Send the plan home', 'Write up the visit']);
  };
  await check();
  await page.reload();
  await check();
  assert.deepEqual(problems, { console: [], foreign: [] });
  await context.close();
});

/** `text` as Excel's plain "CSV (Comma delimited)" writes it on a UK PC: Windows-1252. */
function windows1252(text) {
  const special = { '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };
  return Buffer.from([...text].map((c) => {
    if (special[c]) return special[c];
    const code = c.codePointAt(0);
    if (code > 0xff) throw new Error(`${c} is not in Windows-1252`);
    return code;
  }));
}

test("Excel's own encodings are read: Windows-1252 CSV and UTF-16 Unicode text, names intact", async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  const sheet = 'Pupil name,Year group,Task,Owner,Due date\r\n'
    + `Zoë Brown,Year 4,Send the “reading plan” home,Mrs O’Neil,${uk(4)}\r\n`
    + `Siân Jones,Year 6,Book the room – the big one,SENCO,${uk(5)}\r\n`;
  const preview = await choose(page, 'excel.csv', windows1252(sheet));
  await preview.getByText("Read as Windows-1252 (Excel's CSV): check the names look right: Zoë Brown, Siân Jones…", { exact: true }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await importIt(page);

  const unicode = 'Pupil\tYear group\tAction\tOwner\tDue\r\n'
    + `Łucja Kowalska\tYear 2\tRing home about Żaneta\tSENCO\t${uk(6)}\r\n`;
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(unicode, 'utf16le')]);
  const second = await choose(page, 'unicode.txt', utf16, 'text/plain');
  await second.getByText("Read as UTF-16 (Excel's Unicode text): check the names look right: Łucja Kowalska…", { exact: true }).waitFor();
  await importIt(page);

  const check = async () => {
    const rows = await storedRows(page);
    assert.deepEqual(rows.pupils.map((p) => p.name).sort(), ['Siân Jones', 'Zoë Brown', 'Łucja Kowalska']);
    const steps = Object.fromEntries(rows.actions.map((a) => [a.next_step, a.owner]));
    assert.deepEqual(steps, {
      'Send the “reading plan” home': 'Mrs O’Neil',
      'Book the room – the big one': 'SENCO',
      'Ring home about Żaneta': 'SENCO',
    });
    assert.equal((await trackerSteps(page)).length, 3);
  };
  await check();
  await page.reload();
  await check();
  assert.deepEqual(problems, { console: [], foreign: [] });
  await context.close();
});

test('a sheet whose columns nothing recognises is matched by hand, and the next one with the same columns is matched already', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  const zoe = pupil('Zoë Brontë', 'year_5');
  await seedBuckets(page, { pupils: [zoe] });
  const sheet = 'Kid,Thing to do,Person,When,RAG\r\n'
    + `Zoë Brontë,Ring home about the visit,SENCO,${uk(4)},Red\r\n`
    + `Zoë Brontë,Send the plan home,Class teacher,${uk(6)},\r\n`;
  const preview = await choose(page, 'our-tracker.csv', sheet);
  const step = preview.locator('details.columns');
  await step.getByText("Match the file's columns to SEND Log's fields").waitFor();
  assert.equal(await step.evaluate((d) => d.open), true, 'open: there is something to match');
  await preview.getByText(/it has no column for Action, Owner, Due, Pupil\./).waitFor();
  await step.getByRole('row', { name: /Kid/ }).getByText('Zoë Brontë · Zoë Brontë').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Import these changes' }).count(), 0);
  assert.deepEqual(await accessibilityViolations(page), []);
  await preview.getByText(/match it in the column matching above/).waitFor();
  for (const [column, field] of [['Kid', 'Pupil'], ['Thing to do', 'Action'], ['Person', 'Owner'], ['When', 'Due'], ['RAG', 'Add to the note (as “Header: value”)']]) {
    const select = step.getByLabel(column, { exact: true });
    await select.focus();
    await select.selectOption({ label: field });
    // The row is kept as the preview is planned again: the focus stays on the choice just made.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.labels?.[0]?.textContent), column);
  }
  await preview.getByText('2 new actions', { exact: true }).waitFor();
  await importIt(page);

  const check = async () => {
    const rows = await storedRows(page);
    const got = Object.fromEntries(rows.actions.map((a) => [a.next_step, [a.owner, a.due, a.evidence, a.pupil]]));
    assert.deepEqual(got, {
      'Ring home about the visit': ['SENCO', iso(4), 'RAG: Red', zoe.id],
      'Send the plan home': ['Class teacher', iso(6), '', zoe.id],
    });
  };
  await check();
  await page.reload();
  await check();

  // The next file with the same column names is matched as before; a column can still be changed.
  const next = 'Kid,Thing to do,Person,When,RAG\r\n' + `Zoë Brontë,Book the review,SENCO,${uk(9)},Amber\r\n`;
  const second = await choose(page, 'our-tracker-2.csv', next);
  await second.getByText('1 new action', { exact: true }).waitFor();
  const kept = second.locator('details.columns');
  await kept.getByText('How the 5 columns were matched (change any)').waitFor();
  assert.equal(await kept.evaluate((d) => d.open), false, 'closed: nothing to match');
  await kept.locator('summary').click();
  await kept.getByLabel('RAG', { exact: true }).selectOption({ label: 'Leave out' });
  await second.getByText('Not read, because SEND Log has no such field: "RAG".').waitFor();
  await importIt(page);
  const rows = await storedRows(page);
  assert.equal(rows.actions.find((a) => a.next_step === 'Book the review').evidence, '');
  assert.deepEqual(problems, { console: [], foreign: [] });
  await context.close();
});

test("a tracker's own words come in as a person means them: RAG statuses chosen once, Yr and Class columns, a name first without its year", async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  const sheet = 'Pupil name,Yr,Class,Task,Owner,Due date,Status\r\n'
    + `Gwen Morgan,,4W,Ring home about the visit,SENCO,${uk(4)},Amber\r\n`
    + `İlker Yılmaz,,Oak,Book the hearing test,Parent,${uk(8)},Green\r\n`
    + `ilker yılmaz,Yr 3,Oak,Send the plan home,Class teacher,${uk(3)},amber\r\n`
    + `Gwen Morgan,,4W,Write up the visit,SENCO,${uk(6)},Red\r\n`;
  const preview = await choose(page, 'rag.csv', sheet);
  const asked = preview.getByRole('group', { name: 'New pupils without a year group (1)' });
  await asked.getByText('Guessed from the class or form “4W”: check it.').waitFor();
  assert.equal(await asked.getByLabel('Year group of Gwen Morgan').inputValue(), 'year_4', 'guessed from 4W');
  const values = preview.getByRole('group', { name: 'Values SEND Log does not know (3)' });
  await values.getByText('On 2 rows: 2, 4', { exact: true }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Import these changes' }).count(), 0, 'nothing until each value has a meaning');
  assert.deepEqual(await accessibilityViolations(page), []);
  for (const [value, status] of [['Status: “Amber”', 'In progress'], ['Status: “Green”', 'Done'], ['Status: “Red”', 'Waiting on someone else']]) {
    const select = values.getByLabel(value, { exact: true });
    await select.focus();
    await select.selectOption({ label: status });
    assert.equal(await page.evaluate(() => document.activeElement?.labels?.[0]?.textContent), value, 'the focus stays on the choice just made');
  }
  await preview.getByText('2 new pupils', { exact: true }).waitFor();
  await importIt(page);

  const check = async () => {
    const rows = await storedRows(page);
    const years = Object.fromEntries(rows.pupils.map((p) => [p.name, p.year_group]));
    assert.deepEqual(years, { 'Gwen Morgan': 'year_4', 'İlker Yılmaz': 'year_3' }, 'one İlker, with the year a later row gave');
    const statuses = Object.fromEntries(rows.actions.map((a) => [a.next_step, a.status]));
    assert.deepEqual(statuses, {
      'Ring home about the visit': 'in_progress',
      'Book the hearing test': 'done',
      'Send the plan home': 'in_progress',
      'Write up the visit': 'waiting',
    });
  };
  await check();
  await page.reload();
  await check();
  assert.deepEqual(problems, { console: [], foreign: [] });
  await context.close();
});
