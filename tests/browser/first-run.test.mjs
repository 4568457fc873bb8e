// The first run: an empty device says what the app is for, loads the example record to try it
// with, says how to bring a school's record back from an export, and clears the example in one
// confirmed step, keeping whatever the person added for their own pupils.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  serveApp, startBrowser, openTablet, accessibilityViolations, waitUntilSaved, storedRows, openAddForm } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const EXAMPLE_PUPILS = ['Amara Okafor (example)', 'Ben Hughes (example)', 'Zoë Nowak (example)', 'Rhys Morgan (example)'];

test('an empty device explains itself, loads the example, and clears it keeping what was added', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  const welcome = page.getByRole('region', { name: 'Welcome to SEND Log' });
  await welcome.waitFor();
  await welcome.getByText('nothing is sent anywhere').waitFor();
  // How to restore a school's record is said, and leads to the import.
  const restore = welcome.getByRole('link', { name: 'Import and export' });
  assert.equal(await restore.getAttribute('href'), '#/share');
  assert.deepEqual(await accessibilityViolations(page), [], 'axe: the welcome');

  await welcome.getByRole('button', { name: 'Load the example record' }).tap();
  const trying = page.getByRole('region', { name: 'You are trying the example record' });
  await trying.waitFor();
  assert.equal(await welcome.count(), 0, 'the welcome gives way to the example');
  await page.getByRole('button', { name: 'Undo: Loaded the example record' }).waitFor();
  await waitUntilSaved(page);
  let rows = await storedRows(page);
  assert.deepEqual(rows.pupils.map((p) => p.name).sort(), [...EXAMPLE_PUPILS].sort());
  assert.equal(rows.actions.length, 10);
  assert.deepEqual([...new Set(rows.actions.map((a) => a.status))].sort(),
    ['done', 'in_progress', 'open', 'parked', 'waiting']);
  assert.deepEqual(await accessibilityViolations(page), [], 'axe: the example loaded');

  // It is there after a reload, and the weekly review has something in every section.
  await page.reload();
  await trying.waitFor();
  await page.getByRole('link', { name: 'Weekly review' }).tap();
  for (const section of ['Overdue', 'Due this week', 'Waiting on someone else', 'Needs escalation', 'Stale']) {
    const heading = page.getByRole('heading', { name: new RegExp(`^${section} \\d+$`) });
    const count = Number((await heading.locator('.count-pill').innerText()).trim());
    assert.ok(count >= 1, `${section}: ${count}`);
  }

  // The person adds a pupil of their own with an action, then clears the example.
  await page.getByRole('link', { name: 'SEND Log' }).tap();
  // With actions in the record, Home's form is one tap away.
  assert.equal(await page.locator('details.add-action').evaluate((d) => d.open), false);
  // Home leads with what is due this week, the overdue first.
  const week = page.getByRole('list', { name: 'Due this week' }).getByRole('listitem');
  assert.ok((await week.count()) >= 2, 'the example has actions due this week');
  assert.match(await week.first().innerText(), /\d+ days? overdue$/);
  await openAddForm(page);
  const add = page.getByRole('region', { name: 'Add an action' });
  await add.getByRole('button', { name: 'New pupil' }).tap();
  await add.getByLabel('Name', { exact: true }).fill('Łukasz Kowalczyk');
  await add.getByRole('button', { name: 'Add pupil' }).tap();
  await page.getByLabel('Action', { exact: true }).fill('Send the speech and language referral form');
  await page.getByLabel('Owner', { exact: true }).fill('SENCO');
  await page.getByRole('button', { name: '+1 week' }).tap();
  await page.getByRole('button', { name: 'Add action' }).tap();
  await page.getByText('Action added for Łukasz Kowalczyk.').waitFor();

  await trying.getByRole('button', { name: 'Clear the example' }).tap();
  await trying.getByText('Clear the example? Its four pupils').waitFor();
  await trying.getByRole('button', { name: 'Keep it' }).tap();
  assert.equal(await trying.getByText('Clear the example? Its four pupils').count(), 0, '"Keep it" keeps it');
  await trying.getByRole('button', { name: 'Clear the example' }).tap();
  await trying.getByRole('button', { name: 'Yes, clear the example' }).tap();
  await page.getByRole('status').getByText('Cleared the example record.').waitFor();
  await trying.waitFor({ state: 'detached' });
  assert.equal(await page.getByRole('button', { name: /^Undo:/ }).count(), 0, 'nothing before the clearing can be undone');
  await waitUntilSaved(page);

  for (const view of [page, null]) {
    if (!view) {
      await page.reload();
      await page.getByText('Send the speech and language referral form').first().waitFor();
    }
    rows = await storedRows(page);
    assert.deepEqual(rows.pupils.map((p) => p.name), ['Łukasz Kowalczyk']);
    assert.deepEqual(rows.actions.map((a) => a.next_step), ['Send the speech and language referral form']);
    assert.equal(rows.meetings.length, 0);
    assert.deepEqual(rows.history.map((h) => [h.action, h.note]), [[rows.actions[0].id, 'Created']]);
    assert.equal(await page.locator('.action').count(), 1);
    assert.equal(await page.getByRole('region', { name: /example record|Welcome/ }).count(), 0);
  }
  assert.deepEqual(problems, { console: [], foreign: [] });
  await context.close();
});

test('loading the example can be undone, which brings the welcome back, until something else changes', async () => {
  const { context, page } = await openTablet(chromium.browser, app.url);
  await page.getByRole('button', { name: 'Load the example record' }).tap();
  await page.getByRole('button', { name: 'Undo: Loaded the example record' }).tap();
  await page.getByRole('region', { name: 'Welcome to SEND Log' }).waitFor();
  await waitUntilSaved(page);
  const rows = await storedRows(page);
  assert.deepEqual([rows.pupils.length, rows.meetings.length, rows.actions.length, rows.history.length], [0, 0, 0, 0]);

  // Once something else has changed, undoing the loading would take that change with it: the
  // button goes, and the meeting started meanwhile stays.
  await page.getByRole('button', { name: 'Load the example record' }).tap();
  await page.getByRole('button', { name: 'Undo: Loaded the example record' }).waitFor();
  await page.getByRole('button', { name: 'Start a meeting' }).tap();
  const form = page.getByRole('form', { name: 'Start a meeting' });
  await form.getByLabel('Pupil', { exact: true }).selectOption({ label: 'Ben Hughes (example) (Year 9)' });
  await form.getByRole('button', { name: 'Start meeting', exact: true }).tap();
  await page.locator('#meeting-heading').waitFor();
  assert.equal(await page.getByRole('button', { name: /^Undo:/ }).count(), 0);
  await waitUntilSaved(page);
  assert.equal((await storedRows(page)).meetings.length, 5, 'the example\'s four meetings and the new one');
  await context.close();
});
