// Nothing traps the record or leaves a removed pupil behind (issue 15): a removal leaves neither
// name nor id anywhere in IndexedDB or localStorage; a record that cannot be opened can still be
// taken off the device, whole; and if SEND Log stops unexpectedly, the page says so at once and
// what was being typed comes back after the reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  serveApp, startBrowser, openTablet, waitUntilSaved, storedBuckets, storedRows, accessibilityViolations, openBulkMore } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

/** Everything the page keeps in localStorage, as one text. */
const localText = (page) => page.evaluate(() => JSON.stringify(Object.entries(localStorage)));

test('removing an example pupil leaves neither their name nor their id anywhere on the device', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await page.getByRole('button', { name: 'Load the example record' }).tap();
  await waitUntilSaved(page);
  const before = await storedRows(page);
  const pupil = before.pupils.find((p) => p.name.startsWith('Rhys'));
  assert.ok(pupil, 'the example has Rhys');

  // A change about them written since (a journal entry), and an action half typed about them on
  // the home screen (a draft).
  await page.getByRole('button', { name: 'Undo: Loaded the example record' }).waitFor();
  const add = page.getByRole('region', { name: 'Add an action' });
  await add.getByLabel('Pupil', { exact: true }).selectOption({ value: pupil.id });
  await add.getByLabel('Action', { exact: true }).fill('Send Rhys\'s transition passport to the new school');
  await add.getByLabel('Owner', { exact: true }).fill('SENCO');
  await add.getByRole('button', { name: '+1 week' }).tap();
  await add.getByRole('button', { name: 'Add action' }).tap();
  await page.getByText(`Action added for ${pupil.name}.`).waitFor();
  await waitUntilSaved(page);
  await add.getByLabel('Action', { exact: true }).fill('Ask Rhys\'s parent about the visit');
  const stored = JSON.stringify(await storedBuckets(page));
  assert.ok(stored.includes(pupil.id) && stored.includes(pupil.name), 'stored before');
  assert.ok((await localText(page)).includes(pupil.id), 'a draft names them');

  await page.evaluate((id) => { window.location.hash = `#/pupil/${id}`; }, pupil.id);
  await page.getByRole('button', { name: 'Remove this pupil\'s records…' }).tap();
  const form = page.getByRole('form', { name: 'Remove this pupil\'s records' });
  await form.getByLabel(/^To confirm/).fill(pupil.name);
  await form.getByRole('button', { name: 'Remove for good' }).tap();
  await page.getByRole('status').getByText(new RegExp(`^Removed ${pupil.name.replace(/[()]/g, '\\$&')}'s records`)).waitFor();
  await waitUntilSaved(page);

  for (const when of ['now', 'after a reload']) {
    if (when !== 'now') await page.reload();
    await page.getByRole('heading', { name: 'Add an action' }).waitFor();
    const values = JSON.stringify(await storedBuckets(page));
    const local = await localText(page);
    for (const text of [pupil.id, pupil.name, 'Rhys']) {
      assert.ok(!values.includes(text), `${when}: IndexedDB still holds ${text}`);
      assert.ok(!local.includes(text), `${when}: localStorage still holds ${text}`);
    }
    const rows = await storedRows(page);
    assert.deepEqual(rows.pupils.map((p) => p.id), before.pupils.filter((p) => p.id !== pupil.id).map((p) => p.id));
  }
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('a record that cannot be opened is left as it is, and Download what is stored takes all of it off', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await page.getByRole('button', { name: 'Load the example record' }).tap();
  await waitUntilSaved(page);
  // A bucket this version cannot read (damaged, or from a newer version's layout).
  await page.evaluate(async () => {
    const db = await new Promise((resolve) => { const open = indexedDB.open('sendlog'); open.onsuccess = () => resolve(open.result); });
    await new Promise((resolve) => {
      const tx = db.transaction('buckets', 'readwrite');
      tx.objectStore('buckets').put(new TextEncoder().encode('{"format":"sendlog","schema":1,"rows":[[1,2'), 'actions/000000');
      tx.oncomplete = resolve;
    });
    db.close();
  });
  const before = await storedBuckets(page).catch(() => null);
  await page.reload();
  const alert = page.getByRole('alert');
  await alert.getByRole('heading', { name: 'The record could not be opened' }).waitFor();
  assert.match(await alert.innerText(), /actions\/000000/);
  assert.deepEqual(await accessibilityViolations(page), [], 'axe: the record cannot be opened');

  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download what is stored' }).tap(),
  ]);
  assert.match(file.suggestedFilename(), /^sendlog-stored-\d{4}-\d{2}-\d{2}\.json$/);
  const dump = JSON.parse(await readFile(await file.path(), 'utf8'));
  assert.equal(dump.format, 'sendlog-storage');
  const raw = await page.evaluate(async () => {
    const db = await new Promise((resolve) => { const open = indexedDB.open('sendlog'); open.onsuccess = () => resolve(open.result); });
    const store = db.transaction('buckets').objectStore('buckets');
    const read = (request) => new Promise((resolve) => { request.onsuccess = () => resolve(request.result); });
    const [keys, values] = [await read(store.getAllKeys()), await read(store.getAll())];
    db.close();
    return keys.map((key, i) => [key, Array.from(new Uint8Array(values[i].buffer ?? new TextEncoder().encode(values[i])))]);
  });
  // Every stored value is in the file, byte for byte, and nothing on the device changed.
  assert.deepEqual(dump.values.map((v) => v.key), raw.map(([key]) => key).sort());
  for (const [key, bytes] of raw) {
    const kept = dump.values.find((v) => v.key === key);
    const back = kept.text !== undefined ? Array.from(new TextEncoder().encode(kept.text)) : kept.hex.match(/../g).map((h) => parseInt(h, 16));
    assert.deepEqual(back, bytes, key);
  }
  await page.getByRole('status').getByText(/Nothing on this device has changed/).waitFor();
  if (before) assert.deepEqual(await storedBuckets(page), before);
  assert.ok(problems.console.every((line) => /could not be opened|cannot be read/i.test(line) || !line), problems.console.join('\n'));
  await context.close();
});

test('if SEND Log stops unexpectedly it says so at once, and what was being typed comes back', async () => {
  const { context, page } = await openTablet(chromium.browser, app.url);
  await page.getByRole('button', { name: 'Load the example record' }).tap();
  await waitUntilSaved(page);
  // Text typed into a box and not yet added.
  const add = page.getByRole('region', { name: 'Add an action' });
  await add.getByLabel('Issue or decision', { exact: true }).fill('Siân İnce asked for a quieter room – ẞ');

  // A panic, as the tests stand for one (nothing a person does can cause it).
  await page.evaluate(() => window.dispatchEvent(new Event('sendlog-test-panic')));
  const stopped = page.getByRole('alert').filter({ hasText: 'SEND Log stopped unexpectedly' });
  await stopped.waitFor();
  await stopped.getByText('Everything already saved is safe.').waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Add an action' }).isVisible(), false, 'the dead page is hidden');
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).isVisible(), false, 'its menu too');
  assert.deepEqual(await accessibilityViolations(page), [], 'axe: stopped');

  await stopped.getByRole('button', { name: 'Reload SEND Log' }).tap();
  const rescued = page.getByRole('region', { name: 'Typed before SEND Log stopped' });
  await rescued.waitFor();
  assert.equal(await rescued.getByLabel('Issue or decision').inputValue(), 'Siân İnce asked for a quieter room – ẞ');
  await rescued.getByRole('button', { name: 'Dismiss' }).tap();
  await page.reload();
  await page.getByRole('heading', { name: 'Add an action' }).waitFor();
  assert.equal(await rescued.count(), 0, 'dismissed for good');
  await context.close();
});

test('a year like 0001 or 9999 typed into any date box is named beside it, stays there, and saves nothing', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await page.getByRole('button', { name: 'Load the example record' }).tap();
  await waitUntilSaved(page);
  const before = await storedRows(page);
  const same = async (where) => assert.deepEqual(await storedRows(page), before, `${where}: the record is as it was`);
  const outside = (year) => new RegExp(`${year}-\\d\\d-\\d\\d is outside the years 1900–2199 SEND Log accepts`);
  const live = before.actions.find((a) => a.status === 'open' || a.status === 'in_progress');
  const pupil = before.pupils.find((p) => p.id === live.pupil);

  // The home screen's form: each of its three date boxes in turn.
  const add = page.getByRole('form', { name: 'Add an action' });
  // The new-pupil form, open at first on an empty record, closed once the example brought pupils.
  assert.equal(await add.getByRole('group', { name: 'New pupil' }).count(), 0, 'no new-pupil form in the way');
  await add.getByLabel('Pupil', { exact: true }).selectOption({ value: pupil.id });
  await add.getByLabel('Issue or decision').fill('Reading support agreed');
  await add.getByLabel('Action', { exact: true }).fill('Check the reading log every Friday for four weeks');
  await add.getByLabel('Owner', { exact: true }).fill('SENCO');
  await add.getByText('Evidence, next review, escalation').tap();
  for (const [label, notes, typed] of [
    ['Due or review date', '#due-notes', '0001-01-01'],
    ['Date raised', '#raised-notes', '9999-12-31'],
    ['Next review date', '#next-review-notes', '0001-06-30'],
  ]) {
    const box = add.getByLabel(label, { exact: true });
    const was = await box.inputValue();
    await box.fill(typed);
    await page.locator(notes).getByText(outside(typed.slice(0, 4))).waitFor();
    await add.getByRole('button', { name: 'Add action' }).tap();
    await add.getByRole('alert').getByText(/^Not added yet — .* Everything you typed is still here\.$/).waitFor();
    assert.equal(await box.inputValue(), typed, `${label}: what was typed stays`);
    assert.equal(await add.getByLabel('Action', { exact: true }).inputValue(), 'Check the reading log every Friday for four weeks');
    await same(label);
    await box.fill(was === '' && label === 'Due or review date' ? '2026-12-11' : was);
  }
  await add.getByRole('button', { name: 'Add action' }).tap();
  await page.getByRole('status').getByText(`Action added for ${pupil.name}.`).waitFor();
  await waitUntilSaved(page);
  await page.getByRole('button', { name: /^Undo: Action added for/ }).tap();
  await page.getByRole('status').getByText(/^Undone/).waitFor();
  await waitUntilSaved(page);
  const settled = await storedRows(page);
  assert.equal(settled.actions.length, before.actions.length, 'the one action added is undone');

  // A new pupil's annual review, and a meeting's date, on the start-a-meeting form.
  await page.getByRole('button', { name: 'Start a meeting' }).tap();
  const start = page.getByRole('form', { name: 'Start a meeting' });
  await start.getByRole('button', { name: 'New pupil' }).tap();
  await start.getByLabel('Name', { exact: true }).fill('Ådne Øvergård');
  await start.getByLabel('EHC plan annual review (if any)').fill('9999-12-31');
  await start.getByRole('button', { name: 'Add pupil' }).tap();
  await start.getByText(outside('9999')).waitFor();
  assert.equal(await start.getByLabel('Name', { exact: true }).inputValue(), 'Ådne Øvergård');
  assert.equal((await storedRows(page)).pupils.length, before.pupils.length, 'no pupil added');
  await start.getByRole('button', { name: 'New pupil' }).tap();
  await start.getByLabel('Pupil', { exact: true }).selectOption({ value: pupil.id });
  const date = start.getByLabel('Date', { exact: true });
  await date.fill('0001-01-01');
  await start.getByRole('button', { name: 'Start meeting', exact: true }).tap();
  await start.getByText(outside('0001')).waitFor();
  assert.equal(await date.inputValue(), '0001-01-01');
  assert.equal((await storedRows(page)).meetings.length, before.meetings.length, 'no meeting started');
  await date.fill('2026-12-01');
  await start.getByRole('button', { name: 'Start meeting', exact: true }).tap();
  await page.locator('#meeting-heading').waitFor();
  await waitUntilSaved(page);
  const started = await storedRows(page);

  // In the meeting: moving the meeting, and a new date for an earlier action.
  await page.getByText('Change the date, type, who was there or the summary').tap();
  await page.getByLabel('Date of the meeting').fill('9999-01-01');
  await page.getByRole('button', { name: 'Move the meeting' }).tap();
  await page.getByText(outside('9999')).waitFor();
  const check = page.getByRole('group', { name: /^Check: / }).first();
  await check.getByRole('button', { name: 'New date' }).tap();
  await check.getByLabel('New due date').fill('0001-02-03');
  await check.getByRole('button', { name: 'Move to this date' }).tap();
  await page.getByText(outside('0001')).waitFor();
  assert.deepEqual(await storedRows(page), started, 'the meeting and its actions are as they were');

  // The pupil's page: the review date, saved as it is typed, is not saved.
  await page.evaluate((id) => { window.location.hash = `#/pupil/${id}`; }, pupil.id);
  await page.getByText('Change details').tap();
  const review = page.getByLabel('EHC plan annual review (if any)');
  await review.fill('0001-03-04');
  await page.locator('#pupil-review-notes').getByText(outside('0001')).waitFor();
  assert.equal(await review.inputValue(), '0001-03-04');
  await page.waitForTimeout(300);
  assert.deepEqual(await storedRows(page), started, 'the review date is as it was');

  // The tracker's change to several rows at once.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tracker', exact: true }).tap();
  await page.getByRole('checkbox', { name: /^Select: / }).first().check();
  await openBulkMore(page);
  await page.getByLabel('Set due date').fill('9999-12-31');
  await page.getByRole('button', { name: 'Apply due date' }).tap();
  await page.locator('#bulk-notes').getByText(outside('9999')).waitFor();
  assert.deepEqual(await storedRows(page), started, 'no due date changed');

  assert.deepEqual(problems.console, []);
  await context.close();
});
