// The record in the browser's real IndexedDB: laid out in buckets with a journal of small changes
// over them, and at school scale one tap writes one small journal entry, not the whole record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  serveApp, startBrowser, openTablet, waitUntilSaved, seedRecord, storedBuckets, storedTypes, countPuts, rowsOf,
  storedRows, accessibilityViolations, rowFields, openAddForm } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

test('what a person types is stored in IndexedDB, versioned, as small journal entries', async () => {
  const { context, page } = await openTablet(chromium.browser, app.url);
  await page.getByLabel('Name', { exact: true }).fill('Łukasz Nowak');
  await page.getByRole('button', { name: 'Add pupil' }).tap();
  await page.getByLabel('Action', { exact: true }).fill('Send the speech and language referral form');
  await page.getByLabel('Owner', { exact: true }).fill('Speech and language therapist');
  await page.getByRole('button', { name: '+1 week' }).tap();
  await page.getByRole('button', { name: 'Add action' }).tap();
  await page.getByText('Action added for Łukasz Nowak.').waitFor();
  await waitUntilSaved(page);

  const stored = await storedBuckets(page);
  assert.ok(Object.values(await storedTypes(page)).every((type) => type === 'bytes'), 'each value is the bytes of its JSON (a journal entry, the meta)');
  assert.deepEqual(JSON.parse(stored.meta), { format: 'sendlog', schema: rowFields().schema });
  const journal = Object.keys(stored).filter((key) => key !== 'meta');
  assert.ok(journal.length >= 1 && journal.every((key) => /^journal\/\d{9}$/.test(key)),
    `small changes wait in the journal: ${journal.join(', ')}`);
  for (const key of journal) {
    const entry = JSON.parse(stored[key]);
    assert.equal(entry.format, 'sendlog');
    assert.equal(entry.schema, rowFields().schema);
  }
  const rows = rowsOf(stored);
  assert.equal(rows.actions.length, 1);
  const [action] = rows.actions;
  assert.equal(action.owner, 'Speech and language therapist', 'one role with "and" in it is one owner');
  assert.equal(action.status, 'open');
  assert.match(action.due, /^\d{4}-\d{2}-\d{2}$/, 'dates are ISO 8601 in storage');
  assert.match(action.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const [pupil] = rows.pupils;
  assert.equal(action.pupil, pupil.id);
  const { history } = rows;
  assert.deepEqual(history.map((h) => [h.action, h.note]), [[action.id, 'Created']]);
  await context.close();
});

test('at 3,000 actions the list shows a page at a time and one tap writes one small journal entry', async () => {
  const context0 = await openTablet(chromium.browser, app.url);
  const { context, page, problems } = context0;
  await countPuts(context);
  await seedRecord(page, { actions: 3000, pupils: 120 });

  const rows = page.locator('.action');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 20, 'only the first page of rows is rendered');
  await page.getByRole('button', { name: 'Show more (20 of 3000 shown)' }).tap();
  await page.getByRole('button', { name: 'Show more (40 of 3000 shown)' }).waitFor();
  assert.equal(await rows.count(), 40);

  const first = rows.first();
  const step = await first.locator('.next-step').innerText();
  const before = (await first.getByRole('button', { pressed: true }).innerText()).trim();
  const target = before === 'Parked' ? 'Open' : 'Parked';
  await page.evaluate(() => { window.__puts = []; });
  await first.getByRole('button', { name: target, exact: true }).tap();
  await rows.first().getByRole('button', { name: target, exact: true, pressed: true }).waitFor();
  await waitUntilSaved(page);
  const puts = await page.evaluate(() => window.__puts);
  // The action and its history entry go into one journal entry; no bucket is written again.
  assert.equal(puts.length, 1, `one edit writes one value, wrote: ${puts.join(', ')}`);
  assert.match(puts[0], /^journal\/\d{9}$/);
  const entry = (await storedBuckets(page))[puts[0]];
  assert.ok(entry.length < 2000, `the entry holds the changed rows only (${entry.length} characters)`);
  const { patch } = JSON.parse(entry);
  assert.equal(patch.actions.length, 1);
  assert.equal(patch.history.length, 1);
  assert.equal(patch.actions[0][1].next_step, step);

  await page.reload();
  await rows.first().waitFor();
  assert.equal(await rows.first().locator('.next-step').innerText(), step);
  assert.equal(await rows.first().getByRole('button', { name: target, exact: true }).getAttribute('aria-pressed'), 'true');
  const full = (label) => (label === 'Waiting' ? 'Waiting on someone else' : label);
  assert.ok((await rows.first().locator('.last-update').innerText()).endsWith(`Status: ${full(before)} → ${full(target)}`));
  assert.deepEqual(problems.console, []);
  await context.close();
});

test("the page's own first read of the record, begun before the app loads, gives the screen a read by the app gives", async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await seedRecord(page, { actions: 3000, pupils: 120 });
  const taken = (p) => p.evaluate(() => performance.getEntriesByName('sendlog:first-read-taken').length);
  assert.equal(await taken(page), 1, 'a record of several history buckets is read as the page loads');
  // A change waiting in the journal, then a reload: the first read brings it too.
  await page.goto(`${app.url}#/tracker`);
  const first = page.locator('tbody.action').first();
  await first.waitFor();
  const step = await first.locator('.next-step').innerText();
  const select = first.locator('select.status-select');
  const target = (await select.inputValue()) === 'open' ? 'in_progress' : 'open';
  await select.selectOption(target);
  await waitUntilSaved(page);
  const screen = async (p) => ({
    count: await p.locator('.count').innerText(),
    lines: await p.locator('tr.action-line').evaluateAll((lines) => lines.map((l) => l.innerText)),
    statuses: await p.locator('select.status-select').evaluateAll((s) => s.map((x) => x.value)),
  });
  await page.reload();
  await first.waitFor();
  assert.equal(await taken(page), 1);
  const read = await screen(page);
  const line = page.locator('tbody.action').filter({ has: page.locator('.next-step', { hasText: step }) }).first();
  assert.equal(await line.locator('select.status-select').inputValue(), target, 'the change is there');
  // The same record, with the page's first read kept from the app: it reads for itself.
  const other = await context.newPage();
  await other.addInitScript(() => Object.defineProperty(window, 'sendlogFirstRead', { get: () => undefined, set: () => {}, configurable: true }));
  await other.goto(`${app.url}#/tracker`);
  await other.locator('tbody.action').first().waitFor();
  assert.equal(await taken(other), 0, 'nothing was taken');
  assert.deepEqual(await screen(other), read);
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('a record stored as text by an earlier version opens, and a change to it is kept', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await seedRecord(page, { actions: 1500, pupils: 60, asText: true });
  assert.ok(Object.values(await storedTypes(page)).every((type) => type === 'text'));
  const rows = page.locator('.action');
  await rows.first().waitFor();
  const step = await rows.first().locator('.next-step').innerText();
  const before = (await rows.first().getByRole('button', { pressed: true }).innerText()).trim();
  const target = before === 'Parked' ? 'Open' : 'Parked';
  await rows.first().getByRole('button', { name: target, exact: true }).tap();
  await waitUntilSaved(page);

  const types = await storedTypes(page);
  const journal = Object.keys(types).filter((key) => key.startsWith('journal/'));
  assert.equal(journal.length, 1);
  assert.equal(types[journal[0]], 'bytes', 'the change is stored the new way');
  assert.equal(types['actions/000000'], 'text', 'the rest is read as it was stored');
  await page.reload();
  const row = page.locator('.action', { hasText: step }).first();
  await row.getByRole('button', { name: target, exact: true, pressed: true }).waitFor();
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('a large change writes the journal into the buckets and empties it, in one transaction', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await seedRecord(page, { actions: 30, pupils: 5 });
  const first = page.locator('.action').first();
  const before = (await first.getByRole('button', { pressed: true }).innerText()).trim();
  const target = before === 'Parked' ? 'Open' : 'Parked';
  await first.getByRole('button', { name: target, exact: true }).tap();
  await waitUntilSaved(page);
  const second = page.locator('.action').nth(1);
  const other = (await second.getByRole('button', { pressed: true }).innerText()).trim() === 'Done' ? 'Open' : 'Done';
  await second.getByRole('button', { name: other, exact: true }).tap();
  // Done asks what shows it was done (optional): confirmed without typing.
  if (other === 'Done') await second.getByRole('button', { name: 'Confirm done' }).tap();
  await waitUntilSaved(page);
  const edited = rowsOf(await storedBuckets(page));
  assert.equal(Object.keys(await storedTypes(page)).filter((key) => key.startsWith('journal/')).length, 2);

  // 300 new actions: more rows than a journal entry takes.
  const due = new Date(Date.now() + 14 * 86400000).toISOString().slice(0, 10);
  const sheet = ['Pupil,Year group,Action,Owner,Due']
    .concat(Array.from({ length: 300 }, (_, n) => `Pupil ${n % 7},Year ${1 + (n % 7)},Send reading record ${n} home,Class teacher,${due}`))
    .join('\r\n');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import and export', exact: true }).tap();
  await page.getByLabel('Choose a file to import').setInputFiles({ name: 'many.csv', mimeType: 'text/csv', buffer: Buffer.from(sheet) });
  await page.getByRole('button', { name: 'Import these changes' }).click();
  await waitUntilSaved(page);

  const types = await storedTypes(page);
  assert.deepEqual(Object.keys(types).filter((key) => key.startsWith('journal/')), [], 'the journal is empty');
  assert.equal(types['actions/000000'], 'compact', 'the buckets of actions are written compact');
  assert.equal(types['history/000000'], 'compact');
  assert.equal(types['pupils/000000'], 'bytes', 'and pupils as the bytes of their JSON');
  const rows = rowsOf(await storedBuckets(page));
  assert.equal(rows.actions.length, 330);
  assert.deepEqual(rows.actions.slice(0, 30), edited.actions, 'the edit went into the buckets with the import');
  assert.deepEqual(rows.history.slice(0, edited.history.length), edited.history);
  await page.reload();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tracker', exact: true }).tap();
  await page.getByLabel('Search').fill('reading record 299');
  await page.locator('.action .next-step', { hasText: 'Send reading record 299 home' }).waitFor();
  assert.equal(await page.locator('.action').count(), 1, 'the imported row, read back from the buckets');
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('a write the device refuses loses nothing: a change made meanwhile waits for it, and Try again stores the rest', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  // A device short of space: the next `refuse` writes are refused, each after `after` ms of work.
  await context.addInitScript(() => {
    window.__full = { refuse: 0, after: 0, refused: 0 };
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value, key) {
      const request = put.call(this, value, key);
      const tx = this.transaction;
      if (window.__full.refuse > 0 && !tx.refused) {
        window.__full.refuse -= 1;
        tx.refused = true;
        const until = performance.now() + window.__full.after;
        tx.addEventListener('abort', () => { window.__full.refused += 1; });
        const busy = () => { if (performance.now() >= until) tx.abort(); else this.count().onsuccess = busy; };
        busy();
      }
      return request;
    };
  });
  await seedRecord(page, { actions: 30, pupils: 5 });
  const stored = await storedBuckets(page);

  // A large import is being written when a status is tapped; then the device refuses the import.
  const due = new Date(Date.now() + 14 * 86400000).toISOString().slice(0, 10);
  const sheet = ['Pupil,Year group,Action,Owner,Due']
    .concat(Array.from({ length: 300 }, (_, n) => `Pupil ${n % 7},Year ${1 + (n % 7)},Send reading record ${n} home,Class teacher,${due}`))
    .join('\r\n');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Import and export', exact: true }).tap();
  await page.getByLabel('Choose a file to import').setInputFiles({ name: 'many.csv', mimeType: 'text/csv', buffer: Buffer.from(sheet) });
  await page.evaluate(() => { window.__full = { refuse: 1, after: 3000, refused: 0 }; });
  await page.getByRole('button', { name: 'Import these changes' }).click();
  await nav.getByRole('link', { name: 'Home', exact: true }).tap();
  // Rows are told apart by their next step; the imported ones are each different.
  const statusOf = (rows, text) => rows.actions.find((a) => a.next_step === text)?.status;
  const tap = async (n, status) => {
    const row = page.locator('.action').filter({ hasText: `Send reading record ${n} home` });
    await row.getByRole('button', { name: status, exact: true }).tap();
    if (status === 'Done') await row.getByRole('button', { name: 'Confirm done' }).tap();
    return row;
  };
  await tap(299, 'Done');
  assert.equal(await page.evaluate(() => window.__full.refuse), 0, 'the import was still being written');
  await page.waitForFunction(() => window.__full.refused === 1);
  // The tap's write, which waited, then stores what the refused one left out as well.
  await waitUntilSaved(page);
  let rows = rowsOf(await storedBuckets(page));
  assert.equal(rows.actions.filter(Boolean).length, 330, 'the import is stored, every row of it');
  assert.equal(statusOf(rows, 'Send reading record 299 home'), 'done');

  // Refused at once, with nothing else to write: it says so, keeps what is on screen, and Try
  // again stores it once space is free.
  await page.evaluate(() => { window.__full = { refuse: 1, after: 0, refused: 0 }; });
  const row = await tap(298, 'In progress');
  await page.getByRole('status').filter({ hasText: 'Not saved on this device' }).waitFor();
  const failed = page.getByRole('alert').filter({ hasText: 'Not saved on this device' });
  assert.match(await failed.innerText(), /free some, then tap Try again/);
  assert.ok(await failed.getByRole('button', { name: 'Try again' }).isVisible(), 'seen at the foot of the screen, where the tap was');
  assert.equal(await row.getByRole('button', { pressed: true }).innerText(), 'In progress', 'the change stays on screen');
  assert.deepEqual(await accessibilityViolations(page), [], 'axe: a write refused');
  assert.equal(statusOf(rowsOf(await storedBuckets(page)), 'Send reading record 298 home'), 'open', 'not stored yet');
  await failed.getByRole('button', { name: 'Try again' }).tap();
  await waitUntilSaved(page);
  await failed.waitFor({ state: 'detached' }); // the bar goes once it is stored

  await page.reload();
  await page.locator('.action').first().waitFor();
  rows = rowsOf(await storedBuckets(page));
  assert.equal(rows.actions.filter(Boolean).length, 330);
  assert.equal(statusOf(rows, 'Send reading record 298 home'), 'in_progress');
  assert.equal(statusOf(rows, 'Send reading record 299 home'), 'done');
  assert.deepEqual(rows.actions.slice(0, 30), rowsOf(stored).actions, 'the seeded rows are as they were');
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('a record saved by a newer version is refused with a message, and left exactly as it was', async () => {
  const { context, page } = await openTablet(chromium.browser, app.url);
  await seedRecord(page, { actions: 30 });
  await page.evaluate(async () => {
    const db = await new Promise((resolve) => { const open = indexedDB.open('sendlog'); open.onsuccess = () => resolve(open.result); });
    await new Promise((resolve) => {
      const tx = db.transaction('buckets', 'readwrite');
      tx.objectStore('buckets').put('{"format":"sendlog","schema":99}', 'meta');
      tx.oncomplete = resolve;
    });
    db.close();
  });
  const before = await storedBuckets(page);
  await page.reload();
  const alert = page.getByRole('alert');
  await alert.getByText('saved by a newer version of SEND Log').waitFor();
  assert.match(await alert.innerText(), /Nothing has been changed/);
  assert.equal(await page.getByRole('heading', { name: 'Add an action' }).count(), 0, 'no screen that could write');
  assert.deepEqual(await storedBuckets(page), before);
  await context.close();
});

test('a large record opens before its older history is read, and a change made meanwhile loses nothing', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await seedRecord(page, { actions: 3000, pupils: 120 });
  const before = await storedBuckets(page);
  const historyKeys = Object.keys(before).filter((k) => k.startsWith('history/')).sort();
  assert.ok(historyKeys.length >= 3, `the seed spans ${historyKeys.length} history buckets`);
  const entries = (stored) => rowsOf(stored).history;

  // Tap a status as soon as the first row can be tapped, while the older history may still be read.
  await page.reload();
  const first = page.locator('.action').first();
  const before_status = (await first.getByRole('button', { pressed: true }).innerText()).trim();
  const target = before_status === 'Parked' ? 'Open' : 'Parked';
  await first.getByRole('button', { name: target, exact: true }).tap();
  await waitUntilSaved(page);

  const after = await storedBuckets(page);
  const old = entries(before);
  const now = entries(after);
  assert.equal(now.length, old.length + 1, 'one history entry more');
  assert.deepEqual(now.slice(0, old.length), old, 'every earlier entry is kept, in order');
  for (const key of historyKeys.slice(0, -1)) assert.equal(after[key], before[key], `${key} is untouched`);

  // The row's history shows the whole story: what the seed wrote and the tap.
  const id = now.at(-1).action;
  const story = old.filter((h) => h.action === id);
  await first.getByText('History', { exact: true }).click();
  const list = first.locator('.history-list > li');
  await list.first().waitFor();
  assert.equal(await list.count(), story.length + 1);
  assert.match(await list.first().innerText(), new RegExp(`Status: .* → ${target === 'Open' ? 'Open' : 'Parked'}`));
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('a second tab shows the record but changes nothing until the first one is closed', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await seedRecord(page, { actions: 30, pupils: 5 });
  const second = await context.newPage();
  await second.goto(app.url);
  await second.getByText('Open in another tab or window.').waitFor();
  assert.equal(await page.getByText('Open in another tab or window.').count(), 0, 'the first tab writes');

  const statusOf = (row) => row.getByRole('button', { pressed: true }).innerText();
  const other = (status) => (status.trim() === 'Parked' ? 'Open' : 'Parked');
  const stored = await storedBuckets(page);
  const secondRow = second.locator('.action').first();
  const shown = await statusOf(secondRow);
  await secondRow.getByRole('button', { name: other(shown), exact: true }).tap();
  await second.getByText(/Nothing was changed here: make the change there, or close it/).waitFor();
  assert.equal(await statusOf(secondRow), shown, 'the tap changed nothing on screen');
  assert.deepEqual(await storedBuckets(second), stored, 'or in storage');

  // The first tab still changes the record; when it closes, the second takes over with its change.
  const firstRow = page.locator('.action').first();
  const made = other(await statusOf(firstRow));
  await firstRow.getByRole('button', { name: made, exact: true }).tap();
  await waitUntilSaved(page);
  await page.close();
  await second.getByText('Open in another tab or window.').waitFor({ state: 'detached' });
  const takenOver = second.locator('.action').first();
  await takenOver.getByRole('button', { name: made, exact: true, pressed: true }).waitFor();
  await takenOver.getByRole('button', { name: other(made), exact: true }).tap();
  await waitUntilSaved(second);
  assert.notDeepEqual(await storedBuckets(second), stored);
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('at the end of retention a pupil\'s records are removed for good, once their name is typed', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await seedRecord(page, { actions: 3000, pupils: 120 });
  await page.locator('.action').first().waitFor();
  const before = await storedRows(page);
  const pupil = before.pupils[60];
  const theirs = new Set(before.actions.filter((a) => a.pupil === pupil.id).map((a) => a.id));
  assert.ok(theirs.size > 0);

  // Actions half typed about them, at one of their meetings and on the home screen, and at
  // another pupil's meeting: theirs go with their records.
  const drafts = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('sendlog:draft:')).sort());
  const typeAt = async (hash, label) => {
    await page.evaluate((to) => { window.location.hash = to; }, hash);
    if (hash === '#/') await openAddForm(page);
    await page.getByRole('form', { name: label }).getByLabel('Action', { exact: true }).fill('Ask about the transition visit');
  };
  const theirMeeting = before.meetings.find((m) => m.pupil === pupil.id);
  const otherMeeting = before.meetings.find((m) => m.pupil !== pupil.id);
  await typeAt(`#/meeting/${theirMeeting.id}`, 'Add an agreed action');
  await typeAt(`#/meeting/${otherMeeting.id}`, 'Add an agreed action');
  await typeAt('#/', 'Add an action');
  await page.getByLabel('Pupil', { exact: true }).first().selectOption({ value: pupil.id });
  assert.deepEqual(await drafts(), [`sendlog:draft:meeting:${theirMeeting.id}`, `sendlog:draft:meeting:${otherMeeting.id}`, 'sendlog:draft:anywhere'].sort());

  await page.evaluate((id) => { window.location.hash = `#/pupil/${id}`; }, pupil.id);
  await page.getByRole('heading', { name: pupil.name, exact: true }).waitFor();
  await page.getByRole('button', { name: 'Remove this pupil\'s records…' }).tap();
  const form = page.getByRole('form', { name: 'Remove this pupil\'s records' });
  assert.deepEqual(await accessibilityViolations(page), [], 'axe: removing a pupil');

  // A name that is not theirs removes nothing, and what was typed stays.
  await form.getByLabel(`To confirm, type the pupil's name: ${pupil.name}`).fill('Someone else');
  await form.getByRole('button', { name: 'Remove for good' }).tap();
  await form.getByText(`Type the pupil's name as it is shown, ${pupil.name}, to confirm. Nothing was removed.`).waitFor();
  assert.equal(await form.getByLabel(/^To confirm/).inputValue(), 'Someone else');
  assert.deepEqual(await storedRows(page), before);

  await form.getByLabel(/^To confirm/).fill(pupil.name.toUpperCase());
  await form.getByRole('button', { name: 'Remove for good' }).tap();
  await page.getByRole('heading', { name: 'Add an action' }).waitFor();
  await page.getByRole('status').getByText(
    new RegExp(`^Removed ${pupil.name}'s records from this device: \\d+ meetings?, ${theirs.size} actions? and their history\\.$`),
  ).waitFor();
  await waitUntilSaved(page);

  for (const when of ['now', 'after a reload']) {
    if (when !== 'now') {
      await page.reload();
      await page.locator('.action').first().waitFor();
    }
    const after = await storedRows(page);
    assert.deepEqual(after.pupils.map((p) => p.id), before.pupils.filter((p) => p.id !== pupil.id).map((p) => p.id), when);
    assert.deepEqual(after.actions, before.actions.filter((a) => !theirs.has(a.id)), when);
    assert.deepEqual(after.meetings, before.meetings.filter((m) => m.pupil !== pupil.id), when);
    assert.deepEqual(after.history, before.history.filter((h) => !theirs.has(h.action)), when);
  }
  assert.deepEqual(await drafts(), [`sendlog:draft:meeting:${otherMeeting.id}`], 'what was typed about them went too');
  await page.evaluate((id) => { window.location.hash = `#/pupil/${id}`; }, pupil.id);
  await page.getByRole('heading', { name: 'This pupil is not on this device' }).waitFor();
  assert.deepEqual(problems.console, []);
  await context.close();
});
