// Owners who are people (issue 23, point 4), as a SENCO would set them up: two pupils with
// different class teachers named on their pages, actions owned by "Class teacher" for each, the
// owner filter (and its download) for each teacher returning only their actions, owner
// suggestions that keep their order (at a meeting too), and the key adults kept through a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  serveApp, startBrowser, openTablet, waitUntilSaved, storedRows, accessibilityViolations, leaveTheMeeting, openFilters } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).tap();
const ZOE = "Zoë Łukasz-O'Neil";
const BEN = 'Ben Öztürk';

async function addPupil(page, name, year) {
  if (!(await page.getByLabel('Name', { exact: true }).isVisible())) await page.getByRole('button', { name: 'New pupil' }).tap();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Year group').selectOption({ label: year });
  await page.getByRole('button', { name: 'Add pupil' }).tap();
  await page.getByLabel('Pupil', { exact: true }).locator('option:checked', { hasText: name }).waitFor({ state: 'attached' });
}

async function addAction(page, pupil, step, owner) {
  await page.getByLabel('Pupil', { exact: true }).selectOption({ label: pupil });
  await page.getByLabel('Action', { exact: true }).fill(step);
  await page.getByLabel('Owner', { exact: true }).fill(owner);
  await page.getByRole('button', { name: '+1 week' }).tap();
  await page.getByRole('button', { name: 'Add action' }).tap();
  await page.locator('.action .next-step', { hasText: step }).waitFor();
  await waitUntilSaved(page);
}

/** Names the pupil's class teacher on their page, reached from the Pupils screen. */
async function nameClassTeacher(page, pupil, teacher) {
  await nav(page, 'Pupils');
  await page.getByRole('list', { name: 'Pupils' }).getByRole('link', { name: pupil }).tap();
  await page.getByRole('heading', { name: pupil }).waitFor();
  await page.getByText('Change details').tap();
  await page.getByRole('button', { name: 'Add a key adult' }).tap();
  const role = page.getByLabel('Role', { exact: true });
  assert.equal(await role.locator('option:checked').innerText(), 'Class teacher');
  const name = page.getByLabel("Adult's name");
  await name.pressSequentially(teacher);
  await name.press('Tab');
  await page.getByRole('status').getByText(`Key adults: none → Class teacher: ${teacher} (${pupil}).`).waitFor();
  await page.getByText(`Key adults: Class teacher: ${teacher}`, { exact: true }).waitFor();
  await waitUntilSaved(page);
}

const chips = (page) => page.getByRole('group', { name: 'Owners already used' }).getByRole('button').allInnerTexts();

test("two pupils' class teachers are two people: shown, filtered, downloaded and suggested as themselves", async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await addPupil(page, ZOE, 'Year 4');
  await addPupil(page, BEN, 'Year 7');
  await nameClassTeacher(page, ZOE, 'Mrs Patel');
  assert.deepEqual(await accessibilityViolations(page), [], 'the pupil page with its key adults');
  await nameClassTeacher(page, BEN, 'Mr Evans');

  await nav(page, 'Home');
  await addAction(page, `${ZOE} (Year 4)`, 'Reduce written work to half a page', 'Class teacher');
  await addAction(page, `${BEN} (Year 7)`, 'Seat him near the door in science', 'Class teacher');
  await addAction(page, `${BEN} (Year 7)`, 'Send home the reading list', 'Mrs Patel');
  await addAction(page, `${ZOE} (Year 4)`, 'Ring home about the trip', 'SENCO');
  const card = (step) => page.locator('.action').filter({ hasText: step });
  assert.equal(await card('Reduce written work').locator('dt:text-is("Owner") + dd').innerText(), 'Class teacher (Mrs Patel)');
  assert.equal(await card('Seat him near').locator('dt:text-is("Owner") + dd').innerText(), 'Class teacher (Mr Evans)');

  // The suggestions: the pupil's key adults first, then the owners used, alphabetically; the
  // same after more actions, whichever owner is used most.
  await page.getByLabel('Pupil', { exact: true }).selectOption({ label: `${ZOE} (Year 4)` });
  await page.getByRole('group', { name: 'Owners already used' }).getByRole('button', { name: 'Class teacher (Mrs Patel)' }).waitFor();
  const before = await chips(page);
  assert.deepEqual(before, ['Class teacher (Mrs Patel)', 'Class teacher', 'Mrs Patel', 'SENCO']);
  await addAction(page, `${ZOE} (Year 4)`, 'Ask the nurse about the inhaler', 'Mrs Patel');
  await addAction(page, `${ZOE} (Year 4)`, 'Book the hearing test', 'Mrs Patel');
  assert.deepEqual(await chips(page), before, 'the suggestions did not move');
  // Tapping the key adult's suggestion writes the owner as that person.
  await page.getByRole('group', { name: 'Owners already used' }).getByRole('button', { name: 'Class teacher (Mrs Patel)' }).tap();
  assert.equal(await page.getByLabel('Owner', { exact: true }).inputValue(), 'Class teacher (Mrs Patel)');
  await page.getByLabel('Owner', { exact: true }).fill('');

  // At her next meeting, her earlier action is the person's, and re-assigning offers her key
  // adults first.
  await page.getByRole('button', { name: 'Start a meeting' }).tap();
  const start = page.getByRole('form', { name: 'Start a meeting' });
  await start.getByLabel('Pupil', { exact: true }).selectOption({ label: `${ZOE} (Year 4)` });
  await start.getByRole('button', { name: 'Start meeting', exact: true }).tap();
  await page.locator('#meeting-heading').waitFor();
  const earlier = page.locator('li.earlier').filter({ has: page.locator('.next-step', { hasText: 'Reduce written work' }) });
  assert.equal(await earlier.locator('dt:text-is("Owner") + dd').innerText(), 'Class teacher (Mrs Patel)');
  await earlier.getByRole('button', { name: 'Re-assign' }).tap();
  const offered = earlier.getByRole('group', { name: 'Owners already used' }).getByRole('button');
  await offered.first().waitFor();
  assert.equal(await offered.first().innerText(), 'Class teacher (Mrs Patel)');

  // The owner filter: each teacher finds only their actions.
  await leaveTheMeeting(page);
  await nav(page, 'Tracker');
  await openFilters(page);
  const owner = page.getByRole('search', { name: 'Filter the tracker' }).getByLabel('Owner');
  // The tracker is drawn once the screen has loaded: wait for its last owner before reading them.
  await owner.locator('option', { hasText: 'SENCO' }).waitFor({ state: 'attached' });
  const options = await owner.locator('option').allInnerTexts();
  assert.deepEqual(options, ['All owners', 'Class teacher (Mr Evans)', 'Class teacher (Mrs Patel)', 'Mrs Patel', 'SENCO']);
  const steps = () => page.locator('.action .next-step').allInnerTexts();
  await owner.selectOption({ label: 'Class teacher (Mr Evans)' });
  await page.getByText('1 of the live actions').waitFor();
  assert.deepEqual(await steps(), ['Seat him near the door in science']);
  await owner.selectOption({ label: 'Class teacher (Mrs Patel)' });
  await page.getByText('4 live actions').waitFor();
  assert.deepEqual((await steps()).sort(), [
    'Ask the nurse about the inhaler', 'Book the hearing test', 'Reduce written work to half a page', 'Send home the reading list',
  ], "her class's action and those owned by her name, not Mr Evans's");
  assert.deepEqual(await accessibilityViolations(page), [], 'the tracker filtered to a person');
  // Her name alone finds the same rows.
  await owner.selectOption({ label: 'Mrs Patel' });
  await page.getByText('4 live actions').waitFor();
  // And the download of these rows is hers alone.
  await owner.selectOption({ label: 'Class teacher (Mr Evans)' });
  await page.getByText('1 of the live actions').waitFor();
  await page.locator('summary', { hasText: 'Download these rows' }).click();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download these rows as the tracker (CSV)' }).click(),
  ]);
  const lines = (await readFile(await file.path(), 'utf8')).trim().split('\r\n');
  assert.equal(lines.length, 2, 'the header and his one row');
  assert.ok(lines[1].includes('Seat him near the door in science'), lines[1]);

  // A reload keeps the key adults, and the filter in the address.
  await page.reload();
  await page.getByText('1 of the live actions').waitFor();
  const stored = await storedRows(page);
  const keyAdults = Object.fromEntries(stored.pupils.map((p) => [p.name, p.key_adults]));
  assert.deepEqual(keyAdults, {
    [ZOE]: [{ role: 'class_teacher', name: 'Mrs Patel' }],
    [BEN]: [{ role: 'class_teacher', name: 'Mr Evans' }],
  });
  await nav(page, 'Pupils');
  await page.getByRole('list', { name: 'Pupils' }).getByRole('link', { name: ZOE }).tap();
  await page.getByText('Key adults: Class teacher: Mrs Patel', { exact: true }).waitFor();
  await page.getByText('Change details').tap();
  assert.equal(await page.getByLabel("Adult's name").inputValue(), 'Mrs Patel');

  // Removed, the role is a role again; Undo brings her back.
  await page.getByRole('button', { name: 'Remove Mrs Patel' }).tap();
  await page.getByRole('status').getByText(`Key adults: Class teacher: Mrs Patel → none (${ZOE}).`).waitFor();
  assert.equal(await card('Reduce written work').locator('dt:text-is("Owner") + dd').innerText(), 'Class teacher');
  await page.getByRole('button', { name: /^Undo: Key adults/ }).tap();
  await page.getByText('Key adults: Class teacher: Mrs Patel', { exact: true }).waitFor();
  assert.equal(await page.getByLabel("Adult's name").inputValue(), 'Mrs Patel');
  await card('Reduce written work').locator('dt:text-is("Owner") + dd', { hasText: 'Class teacher (Mrs Patel)' }).waitFor();
  await waitUntilSaved(page);
  assert.deepEqual(problems.console, []);
  await context.close();
});
