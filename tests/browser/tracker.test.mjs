// The tracker, the weekly review, the archive and the pupil view, on a record with one row of
// each kind: overdue, due this week, waiting, escalated, stale, and archived.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { serveApp, startBrowser, openTablet, accessibilityViolations, waitUntilSaved, seedBuckets, seedRecord, rowsIn, rowWith, stepsIn, ownersIn, openRow, openFilters, sideways, openBulkMore } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const DAY = 24 * 60 * 60 * 1000;
const iso = (offset) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const stamp = (offset) => new Date(Date.now() + offset * DAY).toISOString().replace(/\.\d+Z$/, 'Z');

function scenario() {
  const amara = { id: randomUUID(), name: 'Amara Khan', year_group: 'year_5', send_status: 'sen_support', annual_review: null, updated_at: stamp(-90) };
  const tomasz = { id: randomUUID(), name: 'Tomasz Nowak', year_group: 'year_9', send_status: 'ehc_plan', annual_review: iso(100), updated_at: stamp(-90) };
  const meeting = { id: randomUUID(), date: iso(-60), pupil: amara.id, meeting_type: 'annual_review', attendees: ['Parent or carer', 'SENCO'], summary: 'First annual review', working_notes: 'Not an action', updated_at: stamp(-60) };
  const row = (key, pupil, status, due, owner, step, extra = {}) => ({
    key,
    id: randomUUID(), pupil: pupil.id, raised: iso(-50), meeting: null, item_type: 'follow_up',
    decision: `Decision for ${step}`, next_step: step, owner, due: iso(due), status,
    last_update: { at: stamp(extra.updated ?? -1), note: 'Created' }, evidence: '', next_review: null, escalate: false,
    ...extra,
  });
  const rows = [
    row('overdue', amara, 'open', -3, 'Class teacher', 'Send home the reading record'),
    row('thisWeek', amara, 'in_progress', 0, 'SENCO', 'Complete the speech and language referral', { item_type: 'referral' }),
    row('waiting', tomasz, 'waiting', 14, 'Educational psychologist', 'Send the EP report to the parent'),
    row('escalated', tomasz, 'open', 14, 'SENCO', 'Book the transition visit', { escalate: true, raised: iso(-40) }),
    row('stale', tomasz, 'open', 20, 'Form tutor', 'Check the homework planner weekly', { updated: -40 }),
    row('done', amara, 'done', -30, 'Parent', 'Share the diagnosis report', { evidence: 'Report on file', updated: -25 }),
    row('parked', tomasz, 'parked', -10, 'Class teacher', 'Trial a standing desk', { updated: -9 }),
  ];
  const actions = rows.map(({ key, updated, ...action }) => action);
  const history = actions.map((a) => ({ id: randomUUID(), action: a.id, at: a.last_update.at, note: 'Created', changes: [] }));
  const step = Object.fromEntries(rows.map((r) => [r.key, r.next_step]));
  return { data: { pupils: [amara, tomasz], meetings: [meeting], actions, history }, step, amara };
}

async function openWith(viewport) {
  const opened = await openTablet(chromium.browser, app.url, viewport);
  const { data, step, amara } = scenario();
  await seedBuckets(opened.page, data);
  return { ...opened, step, amara };
}

const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).tap();
const steps = (scope) => stepsIn(scope);

test('the tracker shows live rows by due date, filters combine, search narrows, and the filter survives a reload', async () => {
  const { context, page, problems, step } = await openWith();
  await nav(page, 'Tracker');
  await page.locator('#tracker-heading').waitFor();
  const filters = page.getByRole('search', { name: 'Filter the tracker' });
  await page.getByText('5 live actions').waitFor();
  assert.deepEqual(await steps(page), [step.overdue, step.thisWeek, step.waiting, step.escalated, step.stale]);
  const overdue = rowsIn(page).first();
  assert.equal(await overdue.locator('.overdue-days').innerText(), '3 days overdue');
  assert.match(await overdue.getAttribute('class'), /overdue/);
  assert.deepEqual(await accessibilityViolations(page), [], 'tracker');

  await openFilters(page);
  assert.deepEqual(await accessibilityViolations(page), [], 'tracker with its filters open');
  await filters.getByLabel('Owner', { exact: true }).selectOption({ label: 'SENCO' });
  await page.getByText('2 live actions').waitFor();
  assert.deepEqual(await steps(page), [step.thisWeek, step.escalated]);
  await filters.getByLabel('Pupil', { exact: true }).selectOption({ label: 'Tomasz Nowak (Year 9)' });
  await page.getByText('1 of the live actions').waitFor();
  assert.deepEqual(await steps(page), [step.escalated]);
  assert.match(page.url(), /#\/tracker\?pupil=[0-9a-f-]+&owner=SENCO$/);

  // A reload keeps the view; back and forward walk through the filters.
  await page.reload();
  await page.getByText('1 of the live actions').waitFor();
  assert.match(await page.locator('details.filters-more summary').innerText(), /^Filters: Pupil: Tomasz Nowak · Owner: SENCO$/);
  await openFilters(page);
  // (The owners are drawn as the filters open.)
  await page.waitForFunction(() => document.getElementById('filter-owner').options.length > 1);
  assert.equal(await filters.getByLabel('Owner', { exact: true }).inputValue(), 'SENCO');
  assert.equal(await filters.getByLabel('Pupil', { exact: true }).evaluate((s) => s.selectedOptions[0].text), 'Tomasz Nowak (Year 9)');
  await page.goBack();
  await page.getByText('2 live actions').waitFor();
  await page.goForward();
  await page.getByText('1 of the live actions').waitFor();

  await page.getByRole('link', { name: 'Clear filters' }).tap();
  await page.getByText('5 live actions').waitFor();
  await openFilters(page);
  await filters.getByLabel('Year group').selectOption({ label: 'Year 5' });
  await filters.getByLabel('Status', { exact: true }).selectOption({ label: 'In progress' });
  assert.deepEqual(await steps(page), [step.thisWeek]);
  await page.getByRole('link', { name: 'Clear filters' }).tap();
  await page.getByText('5 live actions').waitFor();

  await filters.getByLabel('Search').pressSequentially('LANGUAGE referral');
  await page.getByText('1 of the live actions').waitFor();
  assert.deepEqual(await steps(page), [step.thisWeek]);
  await page.waitForFunction(() => location.hash.includes('q=LANGUAGE+referral'), null, { timeout: 5_000 });
  // Back and Forward bring a search back in the box as well as in the list.
  await page.getByRole('link', { name: 'Clear filters' }).tap();
  await page.getByText('5 live actions').waitFor();
  assert.equal(await filters.getByLabel('Search').inputValue(), '');
  await page.goBack();
  await page.getByText('1 of the live actions').waitFor();
  assert.equal(await filters.getByLabel('Search').inputValue(), 'LANGUAGE referral');
  await page.goForward();
  await page.getByText('5 live actions').waitFor();
  assert.equal(await filters.getByLabel('Search').inputValue(), '');
  await page.goBack();
  await page.getByText('1 of the live actions').waitFor();
  await filters.getByLabel('Search').fill('tomasz');
  await page.getByText('3 live actions').waitFor();
  await filters.getByLabel('Search').fill('');
  await openFilters(page);
  await filters.getByLabel('Sort by').selectOption({ label: 'Owner' });
  assert.deepEqual(await ownersIn(page),
    ['Class teacher', 'Educational psychologist', 'Form tutor', 'SENCO', 'SENCO']);
  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.foreign, []);
  await context.close();
});

test('several rows are changed at once, then undone together', async () => {
  const { context, page, step } = await openWith();
  await nav(page, 'Tracker');
  await page.getByText('5 live actions').waitFor();
  await page.getByLabel(`Select: ${step.waiting}`).check();
  await page.getByLabel(`Select: ${step.escalated}`).check();
  await page.getByText('2 selected').waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], 'tracker with a selection');
  await openBulkMore(page);
  await page.getByLabel('Set owner').fill('Mrs Khan (Head of Year 9)');
  await page.getByRole('button', { name: 'Apply owner' }).tap();
  await page.getByRole('status').getByText('Owner set to Mrs Khan (Head of Year 9) for 2 actions.').waitFor();
  const ownerOf = async (s) => (await ownersIn(rowWith(page, s)))[0];
  assert.equal(await ownerOf(step.waiting), 'Mrs Khan (Head of Year 9)');
  assert.equal(await ownerOf(step.escalated), 'Mrs Khan (Head of Year 9)');
  assert.equal(await ownerOf(step.stale), 'Form tutor', 'rows not selected are untouched');

  // A group is refused for every row, and nothing changes.
  await page.getByLabel(`Select: ${step.stale}`).check();
  await openBulkMore(page);
  await page.getByLabel('Set owner').fill('staff');
  await page.getByRole('button', { name: 'Apply owner' }).tap();
  await page.getByText('"staff" is not one person').waitFor();
  assert.equal(await ownerOf(step.stale), 'Form tutor');
  await page.getByRole('button', { name: 'Clear selection' }).tap();

  await page.getByRole('button', { name: 'Undo: Owner set to Mrs Khan (Head of Year 9) for 2 actions' }).tap();
  await page.getByRole('status').getByText(/^Undone: Owner set to/).waitFor();
  assert.equal(await ownerOf(step.waiting), 'Educational psychologist');
  assert.equal(await ownerOf(step.escalated), 'SENCO');

  // Status of several rows at once.
  await page.getByLabel(`Select: ${step.overdue}`).check();
  await page.getByLabel(`Select: ${step.thisWeek}`).check();
  await page.getByLabel('Set status').selectOption({ label: 'Done' });
  await page.getByRole('button', { name: 'Apply status' }).tap();
  await page.getByText('3 live actions').waitFor();
  await waitUntilSaved(page);
  await page.reload();
  await page.getByText('3 live actions').waitFor();
  await context.close();
});

test('the weekly review answers its five questions with counts, and escalation is raised and cleared there', async () => {
  const { context, page, step } = await openWith();
  await nav(page, 'Weekly review');
  await page.locator('#review-heading').waitFor();
  const section = (name) => page.locator('section').filter({ has: page.getByRole('heading', { name, exact: false }) });
  const expected = {
    Overdue: [step.overdue],
    'Due this week': [step.thisWeek],
    'Waiting on someone else': [step.waiting],
    'Needs escalation': [step.escalated],
    Stale: [step.stale],
  };
  for (const [name, rows] of Object.entries(expected)) {
    const part = section(name).last();
    assert.equal(await part.locator('.count-pill').innerText(), String(rows.length), `${name} count`);
    assert.deepEqual(await steps(part), rows, name);
  }
  assert.equal(await page.getByText(step.done).count(), 0, 'archived rows are not in the review');
  assert.deepEqual(await accessibilityViolations(page), [], 'weekly review');

  const waiting = await openRow(rowsIn(section('Waiting on someone else').last()).first());
  await waiting.getByRole('button', { name: 'Escalate' }).tap();
  await section('Needs escalation').last().locator('.next-step', { hasText: step.waiting }).waitFor();
  assert.equal(await section('Needs escalation').last().locator('.count-pill').innerText(), '2');
  const escalated = await openRow(rowWith(section('Needs escalation').last(), step.escalated));
  await escalated.getByRole('button', { name: 'Clear escalation' }).tap();
  await page.waitForFunction(() => [...document.querySelectorAll('section')].some((s) => s.querySelector('h2')?.textContent.startsWith('Needs escalation') && s.querySelector('.count-pill')?.textContent === '1'));
  await context.close();
});

test('done and parked rows leave the live views, are found in the archive, and can be restored with their history', async () => {
  const { context, page, step } = await openWith();
  await nav(page, 'Archive');
  await page.locator('#tracker-heading').waitFor();
  await page.getByText('2 done or parked actions').waitFor();
  assert.deepEqual((await steps(page)).sort(), [step.done, step.parked].sort());
  await page.getByLabel('Search').fill('diagnosis');
  await page.getByText('1 of the done or parked actions').waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], 'archive');
  await (await openRow(rowsIn(page).first())).getByRole('button', { name: 'Restore' }).tap();
  await page.getByRole('status').getByText('Restored from the archive.').waitFor();
  await page.getByText('0 done or parked actions').waitFor();

  await nav(page, 'Tracker');
  await page.getByText('6 live actions').waitFor();
  const restored = await openRow(rowWith(page, step.done));
  await restored.locator('summary', { hasText: 'History' }).tap();
  const history = await restored.locator('.history-list').innerText();
  assert.match(history, /Restored from the archive/);
  assert.match(history, /Status: was “Done”, now “Open”/);
  await context.close();
});

test('the pupil view shows live actions, then meetings and closed actions in date order', async () => {
  const { context, page, step } = await openWith({ width: 360, height: 740 });
  await nav(page, 'Tracker');
  await page.locator('li.action').filter({ hasText: step.overdue }).getByRole('link', { name: 'Amara Khan' }).tap();
  await page.locator('#pupil-heading').waitFor();
  assert.equal(await page.locator('#pupil-heading').innerText(), 'Amara Khan');
  await page.getByRole('heading', { name: 'Live actions (2)' }).waitFor();
  assert.deepEqual(await steps(page), [step.overdue, step.thisWeek]);
  const events = await page.locator('ol.chronology > li').allInnerTexts();
  assert.equal(events.length, 2);
  assert.match(events[0], /Meeting\s+Annual review/);
  assert.match(events[0], /With Parent or carer, SENCO\. First annual review/);
  assert.match(events[1], /Done\s+Share the diagnosis report/);
  assert.match(events[1], /Evidence: Report on file/);
  assert.equal(await page.getByText('Not an action').count(), 0, 'working notes are not in the chronology');
  const overflow = await sideways(page);
  assert.ok(overflow <= 0, `no sideways scrolling on a phone (${overflow}px)`);
  assert.deepEqual(await accessibilityViolations(page), [], 'pupil view');
  await context.close();
});

test('a pupil\'s details are changed where they are shown, stored as they change, and undone', async () => {
  const { context, page, step, amara } = await openWith({ width: 768, height: 1024 });
  await page.evaluate((id) => { window.location.hash = `#/pupil/${id}`; }, amara.id);
  await page.locator('#pupil-heading').waitFor();
  await page.getByText('Change details').tap();
  assert.deepEqual(await accessibilityViolations(page), [], 'pupil details open');

  // September: Year 5 becomes Year 6, and an EHC plan is issued with its first annual review.
  await page.getByLabel('Year group').selectOption({ label: 'Year 6' });
  await page.getByRole('status').getByText('Year group: Year 5 → Year 6 (Amara Khan).').waitFor();
  // The pupil's rows on the page say so too, not only the heading.
  await page.locator('li.action').filter({ hasText: step.overdue }).getByText(/^Year 6 · /).waitFor();
  assert.equal(await page.locator('li.action').getByText(/^Year 5 · /).count(), 0);
  await page.getByLabel('SEND status').selectOption({ label: 'EHC plan' });
  await page.getByLabel('EHC plan annual review (if any)').fill('2027-03-04');
  await page.getByRole('status').getByText('EHC plan annual review: none → 4 Mar 2027 (Amara Khan).').waitFor();
  assert.equal(await page.locator('#pupil-heading + p').innerText(), 'Year 6 · EHC plan · EHC plan annual review 4 Mar 2027');
  assert.ok(await page.locator('details.pupil-details').evaluate((d) => d.open), 'the details stay open as they change');

  // An empty name is refused, what was typed stays, nothing is stored.
  const name = page.getByLabel('Name', { exact: true });
  await name.fill(' ');
  await name.press('Tab');
  await page.getByText("Give the pupil's name.").waitFor();
  assert.equal(await name.inputValue(), ' ');
  await name.fill('Amara Khan-Okafor');
  await name.press('Tab');
  await page.getByRole('status').getByText('Name: Amara Khan → Amara Khan-Okafor (Amara Khan-Okafor).').waitFor();
  assert.equal(await page.locator('#pupil-heading').innerText(), 'Amara Khan-Okafor');
  await waitUntilSaved(page);

  // Undo takes back the renaming, on screen and in the field; the rest stays, after a reload too.
  await page.getByRole('button', { name: 'Undo: Name: Amara Khan → Amara Khan-Okafor (Amara Khan-Okafor)' }).tap();
  await page.getByRole('status').getByText(/^Undone: Name/).waitFor();
  assert.equal(await name.inputValue(), 'Amara Khan');
  await waitUntilSaved(page);
  await page.reload();
  await page.locator('#pupil-heading').waitFor();
  assert.equal(await page.locator('#pupil-heading').innerText(), 'Amara Khan');
  assert.equal(await page.locator('#pupil-heading + p').innerText(), 'Year 6 · EHC plan · EHC plan annual review 4 Mar 2027');
  // The tracker's rows and its year group filter go by the new year group.
  await nav(page, 'Tracker');
  await openFilters(page);
  await page.getByLabel('Year group').selectOption({ label: 'Year 6' });
  await rowWith(page, step.overdue).waitFor();
  assert.deepEqual((await steps(page)).sort(), [step.overdue, step.thisWeek].sort());
  await context.close();
});

test('a stand-alone item is added straight to the tracker', async () => {
  const { context, page } = await openWith();
  await nav(page, 'Tracker');
  await page.getByText('5 live actions').waitFor();
  await page.getByText('Add a stand-alone item').tap();
  const form = page.getByRole('form', { name: 'Add a stand-alone item' });
  await form.getByLabel('Pupil', { exact: true }).selectOption({ label: 'Tomasz Nowak (Year 9)' });
  await form.getByLabel('Issue or decision').fill('EHC plan annual review is due');
  await form.getByLabel('Action', { exact: true }).fill('Hold the EHC plan annual review meeting');
  await form.getByLabel('Owner', { exact: true }).fill('SENCO');
  await form.getByLabel('Item type').selectOption({ label: 'Review' });
  await form.getByRole('button', { name: '+2 weeks' }).tap();
  assert.deepEqual(await accessibilityViolations(page), [], 'tracker with the add form open');
  await form.getByRole('button', { name: 'Add action' }).tap();
  await page.getByText('6 live actions').waitFor();
  const added = rowWith(page, 'Hold the EHC plan annual review meeting');
  // Upright, the item type is shown under the pupil, where its own column has no room.
  assert.match(await added.locator('td.col-pupil').innerText(), /^Tomasz Nowak\s+Year 9 · Review$/);
  await openRow(added);
  assert.match(await added.locator('.last-update').innerText(), /Created/);
  await context.close();
});

test('rows are held by id: an undo made while rows are selected, or while a download is prepared, leaves the right rows', async () => {
  const { context, page, problems, step } = await openWith();
  await nav(page, 'Tracker');
  await page.getByText('5 live actions').waitFor();
  await page.getByText('Add a stand-alone item').tap();
  const form = page.getByRole('form', { name: 'Add a stand-alone item' });
  await form.getByLabel('Pupil', { exact: true }).selectOption({ label: 'Tomasz Nowak (Year 9)' });
  await form.getByLabel('Action', { exact: true }).fill('Hold the EHC plan annual review meeting');
  await form.getByLabel('Owner', { exact: true }).fill('SENCO');
  await form.getByRole('button', { name: '+2 weeks' }).tap();
  await form.getByRole('button', { name: 'Add action' }).tap();
  await page.getByText('6 live actions').waitFor();

  // Every row selected, then the add undone: the selection keeps the five that are still there.
  await page.getByRole('button', { name: 'Select the first 25' }).tap();
  await page.getByText('6 selected').waitFor();
  await page.getByRole('button', { name: /^Undo: Action added for Tomasz Nowak/ }).tap();
  await page.getByText('5 live actions').waitFor();
  await page.getByText('5 selected').waitFor();
  await openBulkMore(page);
  await page.getByLabel('Set owner').fill('Mrs Dafydd (Head of Year)');
  await page.getByRole('button', { name: 'Apply owner' }).tap();
  await page.getByRole('status').getByText('Owner set to Mrs Dafydd (Head of Year) for 5 actions.').waitFor();
  const owners = await ownersIn(page);
  assert.deepEqual(owners, Array(5).fill('Mrs Dafydd (Head of Year)'));
  assert.deepEqual(await steps(page), [step.overdue, step.thisWeek, step.waiting, step.escalated, step.stale]);

  // A download of these rows, with the change undone in the same moment, before the file is
  // written: the file holds the same five rows, as they are once undone.
  await page.locator('summary', { hasText: 'Download these rows' }).click();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.evaluate(() => {
      const button = (name) => [...document.querySelectorAll('button')].find((b) => b.textContent.startsWith(name));
      button('Download these rows as the tracker (CSV)').click();
      button('Undo: Owner set to').click();
    }),
  ]);
  const lines = (await readFile(await file.path(), 'utf8')).trim().split('\r\n');
  assert.equal(lines.length, 6, 'the header and the five rows');
  for (const next of [step.overdue, step.thisWeek, step.waiting, step.escalated, step.stale]) {
    assert.equal(lines.filter((line) => line.includes(next)).length, 1, next);
  }
  const owner = lines[0].split(',').indexOf('Owner');
  assert.deepEqual(lines.slice(1).map((line) => line.split(',')[owner]).sort(),
    ['Class teacher', 'Educational psychologist', 'Form tutor', 'SENCO', 'SENCO'], 'the owners as they are once undone');
  assert.ok(!lines.some((line) => line.includes('annual review meeting')), 'not the row undone before');
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('at 3,000 actions the tracker draws a screenful at a time, the next lines as the list is scrolled to its end, and a new search starts from its top', async () => {
  const { context, page } = await openTablet(chromium.browser, app.url);
  await seedRecord(page, { actions: 3000, pupils: 100 });
  await nav(page, 'Tracker');
  await rowsIn(page).first().waitFor();
  const count = Number((await page.locator('.count').innerText()).match(/^(\d+)/)[1]);
  assert.ok(count > 100, `${count} live rows`);
  const drawn = () => rowsIn(page).count();
  const more = page.getByRole('button', { name: /^Show more/ });
  // The first lines fill the screen and stop beneath it: the list's end is out of view.
  const first = await drawn();
  assert.ok(first >= 10 && first < 40, `${first} lines drawn at first`);
  assert.equal(await more.innerText(), `Show more (${first} of ${count} shown)`);
  assert.ok(!(await more.evaluate((b) => b.getBoundingClientRect().top < innerHeight)), 'the end of the list is beneath the screen');

  // Scrolled to the end, the next lines are drawn by themselves.
  await page.locator('main').evaluate((m) => m.scrollTo(0, m.scrollHeight));
  await page.waitForFunction((first) => document.querySelectorAll('tbody.action').length > first, first);
  const scrolled = await drawn();
  assert.ok(scrolled < count, `${scrolled} drawn once scrolled, not all ${count}`);
  // (Reached by the keyboard, Show more draws more too, and says how many are drawn.)
  await more.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('tbody.action').length > n, scrolled);
  await page.waitForTimeout(300);
  assert.equal(await more.innerText(), `Show more (${await drawn()} of ${count} shown)`);
  const dues = await page.locator('tbody.action td.col-due .due-date').allInnerTexts();
  const asDates = dues.map((d) => Date.parse(d));
  assert.deepEqual(asDates, [...asDates].sort((a, b) => a - b), 'sorted by due date');

  // A search draws its own first screenful, from the top.
  await page.getByLabel('Search').fill('phonics');
  await page.waitForFunction(() => location.hash.includes('q=phonics'));
  const narrowed = Number((await page.locator('.count').innerText()).match(/^(\d+)/)[1]);
  assert.ok(narrowed > first && narrowed < count, `${narrowed} of ${count}`);
  assert.equal(await drawn(), first, 'the search starts again from its first lines');
  const shown = await stepsIn(page);
  assert.ok(shown.every((s) => s.toLowerCase().includes('phonics')), 'every row shown matches');
  await context.close();
});

test('typing in Search narrows the list as it is typed; the address takes the search once typing pauses, without an entry per key, keeps it through a reload, and has it when Back comes back to it', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await seedRecord(page, { actions: 300, pupils: 20 });
  await nav(page, 'Tracker');
  await rowsIn(page).first().waitFor();
  const all = Number((await page.locator('.count').innerText()).match(/^(\d+)/)[1]);
  const entries = await page.evaluate(() => history.length);
  const box = page.getByLabel('Search');
  await box.focus();
  for (const key of 'phon') await page.keyboard.press(key);
  // The list follows each key, the address once typing pauses.
  await page.waitForFunction((all) => Number(document.querySelector('.count')?.textContent.match(/^(\d+)/)?.[1]) < all, all);
  const narrowed = Number((await page.locator('.count').innerText()).match(/^(\d+)/)[1]);
  assert.ok(narrowed > 0, `${narrowed} of ${all}`);
  assert.ok((await stepsIn(page)).every((s) => s.toLowerCase().includes('phon')), 'every row shown matches');
  await page.waitForFunction(() => location.hash.includes('q=phon'));
  assert.equal(await page.evaluate(() => history.length), entries, 'no history entry for each key');

  // Reloaded, the search is kept.
  for (const key of 'ics') await page.keyboard.press(key);
  await page.waitForFunction(() => location.hash.includes('q=phonics'));
  await page.reload();
  await rowsIn(page).first().waitFor();
  assert.equal(await page.getByLabel('Search').inputValue(), 'phonics');
  assert.ok((await stepsIn(page)).every((s) => s.toLowerCase().includes('phonics')), 'the reloaded list is searched');

  // Another screen chosen straight after typing keeps that screen; Back comes back to the
  // search as it was typed.
  await page.getByLabel('Search').focus();
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await nav(page, 'Home');
  await page.getByRole('heading', { name: 'Add an action' }).waitFor();
  await page.waitForTimeout(700);
  assert.match(await page.evaluate(() => location.hash), /^(#\/?)?$/, 'still at Home once the typing pause has passed');
  await page.goBack();
  await rowsIn(page).first().waitFor();
  assert.equal(await page.getByLabel('Search').inputValue(), 'phonic');
  assert.deepEqual(problems.console, []);
  await context.close();
});
