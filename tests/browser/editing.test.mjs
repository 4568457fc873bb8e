// Editing an action after it is added, Done with what shows it was done from anywhere, and a
// form that carries nothing over unseen (issue 23, points 1, 2 and 7), as a SENCO does it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { serveApp, startBrowser, openTablet, accessibilityViolations, waitUntilSaved, seedBuckets, storedRows, openRow, openAddForm } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const DAY = 24 * 60 * 60 * 1000;
const iso = (offset) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const stamp = (offset) => new Date(Date.now() + offset * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** "Fri 4 Dec 2026" for an ISO day. */
function ukWithDay(day) {
  const date = new Date(`${day}T12:00:00Z`);
  return `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** Two pupils, and three live actions of one of them (one overdue). */
function scenario() {
  const amara = { id: randomUUID(), name: 'Amara Khan', year_group: 'year_5', send_status: 'sen_support', annual_review: null, updated_at: stamp(-90) };
  const dilek = { id: randomUUID(), name: 'Dilek Yılmaz', year_group: 'year_7', send_status: 'sen_support', annual_review: null, updated_at: stamp(-90) };
  const row = (step, due, owner, extra = {}) => ({
    id: randomUUID(), pupil: amara.id, raised: iso(-20), meeting: null, item_type: 'follow_up',
    decision: `Decision for ${step}`, next_step: step, owner, due: iso(due), status: 'open',
    last_update: { at: stamp(-2), note: 'Created' }, evidence: '', next_review: null, escalate: false, statutory: null,
    ...extra,
  });
  const actions = [
    row('Send home the reading record', -3, 'Class teacher'),
    row('Complete the speech and language referral', 0, 'SENCO', { item_type: 'referral' }),
    row('Check the homework planner weekly', 9, 'Form tutor'),
  ];
  const history = actions.map((a) => ({ id: randomUUID(), action: a.id, at: a.last_update.at, note: 'Created', changes: [] }));
  return { data: { pupils: [amara, dilek], meetings: [], actions, history }, actions };
}

async function openWith() {
  const opened = await openTablet(chromium.browser, app.url);
  const { data, actions } = scenario();
  await seedBuckets(opened.page, data);
  return { ...opened, actions };
}

const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).tap();
/** The row of `step` within `within` (a page, or a part of one). */
const card = (within, step) => {
  const page = 'page' in within && typeof within.page === 'function' ? within.page() : within;
  return within.locator('.action').filter({ has: page.locator('.next-step', { hasText: step }) });
};

async function expectNoViolations(page, where) {
  assert.deepEqual(await accessibilityViolations(page), [], `axe: ${where}`);
}

/** The text of the notes a box is described by. */
async function describedBy(box) {
  return box.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/)
    .map((id) => document.getElementById(id)?.textContent ?? '').join(' | '));
}

test('Return in the owner box adds nothing, and what the next action inherits is said beside its box', async () => {
  const { context, page, problems } = await openWith();
  await openAddForm(page);
  const form = page.getByRole('form', { name: 'Add an action' });
  await form.getByLabel('Pupil', { exact: true }).selectOption({ label: 'Dilek Yılmaz (Year 7)' });
  await form.getByLabel('Issue or decision').fill('Spelling homework takes her an hour');
  await form.getByLabel('Action', { exact: true }).fill('Send home a shorter spelling list each Monday');
  const owner = form.getByLabel('Owner', { exact: true });
  await owner.pressSequentially('Class teacher');
  // Everything needed to add it is there, so that Return, if it submitted, would add it.
  await form.getByRole('button', { name: 'Friday', exact: true }).tap();
  await owner.press('Enter');
  await form.getByLabel('Due or review date').press('Enter');
  await page.waitForTimeout(300);
  assert.equal(await page.getByRole('status').getByText('Action added').count(), 0, 'Return adds nothing');
  assert.equal(await form.getByLabel('Action', { exact: true }).inputValue(), 'Send home a shorter spelling list each Monday');
  assert.equal((await storedRows(page)).actions.length, 3);

  assert.equal(await form.getByRole('alert').count(), 0, 'Return did not try to add it either');

  // Added with the button: the next action keeps the due date and item type, and says so.
  const due = await form.getByLabel('Due or review date').inputValue();
  await form.getByLabel('Item type').selectOption({ label: 'Classroom adjustment' });
  await form.getByRole('button', { name: 'Add action' }).tap();
  await page.getByRole('status').getByText('Action added for Dilek Yılmaz.').waitFor();
  assert.equal(await form.getByLabel('Action', { exact: true }).inputValue(), '', 'the row is cleared');
  assert.equal(await form.getByLabel('Due or review date').inputValue(), due, 'the due date is kept');
  assert.match(await describedBy(form.getByLabel('Due or review date')), new RegExp(`Same as the last: ${ukWithDay(due)}`));
  assert.match(await describedBy(form.getByLabel('Item type')), /Same as the last: Classroom adjustment/);
  await expectNoViolations(page, 'the add form saying what it inherits');

  // Changed by the person: theirs now, no longer said to be inherited.
  await form.getByRole('button', { name: '+2 weeks', exact: true }).tap();
  assert.doesNotMatch(await describedBy(form.getByLabel('Due or review date')), /Same as the last/);
  assert.match(await describedBy(form.getByLabel('Item type')), /Same as the last/, 'the item type is still inherited');
  await form.getByLabel('Item type').selectOption({ label: 'Review' });
  assert.doesNotMatch(await describedBy(form.getByLabel('Item type')), /Same as the last/);
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('an action edited from its tracker card keeps each change in its history, and one Undo restores it exactly', async () => {
  const { context, page, problems, actions } = await openWith();
  const [overdue] = actions;
  await nav(page, 'Tracker');
  await page.getByText('3 live actions').waitFor();
  const row = await openRow(card(page, overdue.next_step));
  await row.getByRole('button', { name: 'Edit', exact: true }).tap();
  const form = page.getByRole('form', { name: `Edit: ${overdue.next_step}` });
  await form.waitFor();
  // Where it belongs is shown, not editable.
  assert.match(await form.locator('.facts').innerText(), /Amara Khan/);
  assert.equal(await form.getByLabel('Pupil').count(), 0);
  assert.equal(await form.getByLabel('Action', { exact: true }).inputValue(), overdue.next_step);
  await expectNoViolations(page, 'the edit form on a tracker card');

  // The same guards as adding: two owners are refused, with what to do, and nothing is lost.
  await form.getByLabel('Owner', { exact: true }).fill('SENCO and Parent');
  await form.getByRole('button', { name: 'Save changes' }).tap();
  await form.getByRole('alert').getByText(/Keep the one who leads here, then add an action for the other/).waitFor();
  assert.equal(await form.getByRole('button', { name: /^Split into/ }).count(), 0, 'an edit offers no split');
  assert.equal(await form.getByLabel('Owner', { exact: true }).inputValue(), 'SENCO and Parent');
  await expectNoViolations(page, 'a refused edit');

  await form.getByLabel('Owner', { exact: true }).fill('Mrs Patel');
  await form.getByLabel('Action', { exact: true }).fill('Send home the reading record every Friday');
  await form.getByLabel('Issue or decision').fill('Reading at home has stopped');
  await form.getByLabel('Item type').selectOption({ label: 'Intervention' });
  await form.getByRole('button', { name: '+2 weeks', exact: true }).tap();
  await form.getByLabel('Evidence or note').fill('Parent asked for a weekly note');
  // Return in a box of the edit form saves nothing either.
  await form.getByLabel('Owner', { exact: true }).press('Enter');
  await page.waitForTimeout(300);
  assert.equal((await storedRows(page)).actions.find((a) => a.id === overdue.id).owner, 'Class teacher');
  await form.getByRole('button', { name: 'Save changes' }).tap();
  await page.getByRole('status').getByText('Changed: Owner, Due date, Item type, Issue or decision, Action, Evidence or note.').waitFor();
  await waitUntilSaved(page);
  const edited = card(page, 'Send home the reading record every Friday');
  assert.equal(await edited.locator('dt:text-is("Owner") + dd').innerText(), 'Mrs Patel');
  assert.equal(await form.count(), 0, 'the form closes once saved');
  let stored = (await storedRows(page)).actions.find((a) => a.id === overdue.id);
  assert.equal(stored.next_step, 'Send home the reading record every Friday');
  assert.equal(stored.item_type, 'intervention');
  assert.equal(stored.pupil, overdue.pupil);
  await edited.locator('summary', { hasText: 'History' }).click();
  const history = await edited.locator('.history-list').innerText();
  assert.match(history, /Owner: was “Class teacher”, now “Mrs Patel”/);
  assert.match(history, /Action: was “Send home the reading record”, now “Send home the reading record every Friday”/);

  // One Undo: every field back as it was.
  await page.getByRole('button', { name: /^Undo: Changed: Owner/ }).tap();
  await card(page, overdue.next_step).waitFor();
  await waitUntilSaved(page);
  stored = (await storedRows(page)).actions.find((a) => a.id === overdue.id);
  const { last_update: was, ...before } = overdue;
  const { last_update: now, ...after } = stored;
  assert.deepEqual(after, before);
  // Its last update too, so the weekly review reads as before.
  assert.equal(now.note, was.note);
  assert.equal(Date.parse(now.at), Date.parse(was.at));
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('a typo in an agreed action is put right from the read-back, and the print shows it put right', async () => {
  const { context, page, problems } = await openWith();
  await page.getByRole('button', { name: 'Start a meeting' }).tap();
  const start = page.getByRole('form', { name: 'Start a meeting' });
  await start.getByLabel('Pupil', { exact: true }).selectOption({ label: 'Dilek Yılmaz (Year 7)' });
  await start.getByRole('button', { name: 'Start meeting', exact: true }).tap();
  await page.locator('#meeting-heading').waitFor();
  const add = page.getByRole('form', { name: 'Add an agreed action' });
  await add.getByLabel('Issue or decision').fill('Dilek finds the lunch hall too loud');
  await add.getByLabel('Action', { exact: true }).fill('Trail a quiet lunch space for two weeks');
  await add.getByLabel('Owner', { exact: true }).fill('Head of year');
  await add.getByRole('button', { name: '+2 weeks', exact: true }).tap();
  await add.getByRole('button', { name: 'Add action' }).tap();
  const agreed = page.getByRole('list', { name: 'Agreed so far' });
  await agreed.getByText('Trail a quiet lunch space').waitFor();

  // From "Agreed so far": the owner put right while the meeting goes on.
  await agreed.getByRole('button', { name: 'Edit: Trail a quiet lunch space for two weeks' }).tap();
  const inMeeting = page.getByRole('form', { name: 'Edit: Trail a quiet lunch space for two weeks' });
  await expectNoViolations(page, 'editing an action agreed so far');
  await inMeeting.getByLabel('Owner', { exact: true }).fill('Mr Öztürk (Head of Year 7)');
  await inMeeting.getByRole('button', { name: 'Save changes' }).tap();
  await page.getByRole('status').getByText('Owner set to Mr Öztürk (Head of Year 7).').waitFor();
  await agreed.getByText('Mr Öztürk (Head of Year 7)').waitFor();
  assert.equal(await add.getByLabel('Action', { exact: true }).inputValue(), '', 'the add form is untouched');

  await page.getByRole('link', { name: 'Finish meeting' }).tap();
  await page.locator('#read-back-heading').waitFor();
  await page.getByRole('button', { name: 'Edit: Trail a quiet lunch space for two weeks' }).tap();
  const fix = page.getByRole('form', { name: 'Edit: Trail a quiet lunch space for two weeks' });
  await expectNoViolations(page, 'editing from the read-back');
  await fix.getByLabel('Action', { exact: true }).fill('Trial a quiet lunch space for two weeks');
  await fix.getByRole('button', { name: 'Save changes' }).tap();
  await page.getByRole('status').getByText('Action changed.').waitFor();
  await waitUntilSaved(page);
  const cells = () => page.locator('table.read-back tbody tr').first().locator('td').allInnerTexts();
  assert.deepEqual((await cells()).slice(0, 3), ['Dilek finds the lunch hall too loud', 'Trial a quiet lunch space for two weeks', 'Mr Öztürk (Head of Year 7)']);

  // The parent's copy: the put-right action, and no Edit buttons.
  await page.emulateMedia({ media: 'print' });
  const printed = await page.locator('section.agreed').innerText();
  assert.match(printed, /Trial a quiet lunch space for two weeks/);
  assert.doesNotMatch(printed, /Trail/);
  assert.equal(await page.getByRole('button', { name: /^Edit/ }).first().isVisible(), false, 'no Edit in the print');
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('Done from the weekly review keeps what shows it was done, found in the archive and the CSV; one tap still works', async () => {
  const { context, page, problems, actions } = await openWith();
  const [overdue, referral, planner] = actions;
  await nav(page, 'Weekly review');
  const section = page.locator('#review-overdue');
  const row = await openRow(card(section, overdue.next_step));
  await row.getByRole('button', { name: 'Done', exact: true }).tap();
  await row.getByLabel('What shows it was done (optional)').fill('Reading record back, signed by parent, 12 entries');
  await expectNoViolations(page, 'Done with evidence in the weekly review');
  await row.getByRole('button', { name: 'Confirm done' }).tap();
  await page.getByRole('status').getByText('Done: Reading record back, signed by parent, 12 entries.').waitFor();
  await waitUntilSaved(page);
  assert.equal(await card(section, overdue.next_step).count(), 0, 'no longer overdue');

  // Without typing: Done, then Confirm done.
  const thisWeek = await openRow(card(page.locator('#review-this-week'), referral.next_step));
  await thisWeek.getByRole('button', { name: 'Done', exact: true }).tap();
  await thisWeek.getByRole('button', { name: 'Confirm done' }).tap();
  await page.getByRole('status').getByText('Status set to Done.').waitFor();

  await nav(page, 'Archive');
  const archived = card(page, overdue.next_step);
  await archived.waitFor();
  await openRow(archived);
  assert.match(await archived.locator('dt:text-is("Evidence or note") + dd').innerText(), /Reading record back, signed by parent/);
  assert.match(await archived.locator('.last-update').innerText(), /Done: Reading record back, signed by parent, 12 entries/);
  await expectNoViolations(page, 'the archive with evidence');

  // The tracker's bulk change: Done for the rest, with what shows it.
  await nav(page, 'Tracker');
  await card(page, planner.next_step).locator('input.select').check();
  await page.getByLabel('Set status').selectOption({ label: 'Done' });
  await page.getByLabel('What shows it was done (optional)').fill('Planner signed weekly since half term');
  await expectNoViolations(page, 'the bulk change asking what shows it was done');
  await page.getByRole('button', { name: 'Apply status' }).tap();
  await page.getByRole('status').getByText('Done: Planner signed weekly since half term.').waitFor();
  await waitUntilSaved(page);

  await nav(page, 'Import and export');
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the action log (CSV)' }).click(),
  ]);
  const lines = (await readFile(await file.path(), 'utf8')).trim().split('\r\n');
  const line = (step) => lines.find((l) => l.includes(step)) ?? '';
  assert.match(line(overdue.next_step), /Reading record back, signed by parent, 12 entries/);
  assert.match(line(overdue.next_step), /Done/);
  assert.match(line(planner.next_step), /Planner signed weekly since half term/);
  assert.deepEqual(problems.console, []);
  await context.close();
});
