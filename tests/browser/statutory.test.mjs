// The statutory calendar (issue 20): an EHC plan pupil's annual review date plans its statutory
// steps in one tap, moving the review moves them, a held review offers the next year's, the
// weekly review warns of them four weeks ahead, and a missed one says which deadline it missed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { serveApp, startBrowser, openTablet, accessibilityViolations, waitUntilSaved, seedBuckets, storedRows, openRow, openFilters } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const DAY = 24 * 60 * 60 * 1000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Today (UTC noon, as the page's day here), moved by `days`. */
const on = (days) => { const d = new Date(); d.setUTCHours(12, 0, 0, 0); return new Date(d.getTime() + days * DAY); };
const iso = (date) => date.toISOString().slice(0, 10);
const uk = (date) => `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
const shift = (isoDay, days) => iso(new Date(new Date(`${isoDay}T12:00:00Z`).getTime() + days * DAY));
const stamp = (days) => on(days).toISOString().replace(/\.\d+Z$/, 'Z');
/** The steps, their codes and their days from the meeting, as the README gives them. */
const STEPS = [['invitations', -28], ['advice', -14], ['meeting', 0], ['report', 14], ['decision', 28]];

function scenario() {
  const sian = { id: randomUUID(), name: 'Siân Llewelyn', year_group: 'year_6', send_status: 'ehc_plan', annual_review: null, updated_at: stamp(-90) };
  const lukasz = { id: randomUUID(), name: 'Łukasz Wiśniewski', year_group: 'year_9', send_status: 'ehc_plan', annual_review: iso(on(-30)), updated_at: stamp(-90) };
  // Łukasz's review was held 30 days ago; its report (due within 2 weeks) was never sent.
  const report = {
    id: randomUUID(), pupil: lukasz.id, raised: iso(on(-60)), meeting: null, item_type: 'review',
    decision: 'EHC plan annual review', next_step: 'Send the annual review report to the local authority and everyone invited',
    owner: 'SENCO', due: iso(on(-16)), status: 'open', last_update: { at: stamp(-60), note: 'Created' },
    evidence: '', next_review: null, escalate: false, statutory: { review: iso(on(-30)), step: 'report' },
  };
  const history = [{ id: randomUUID(), action: report.id, at: report.last_update.at, note: 'Created', changes: [] }];
  return { data: { pupils: [sian, lukasz], meetings: [], actions: [report], history }, sian, lukasz, report };
}

/** The 15 February (or, from Year 11, 31 March) this school year ends on, and whether it is still ahead. */
function transferDeadline(month = 1, dayOfMonth = 15) {
  const now = on(0);
  const deadline = new Date(Date.UTC(now.getUTCMonth() >= 8 ? now.getUTCFullYear() + 1 : now.getUTCFullYear(), month, dayOfMonth, 12));
  return { deadline, ahead: deadline >= now };
}

const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).tap();
const offer = (page) => page.getByRole('group', { name: /^(Plan the statutory steps|The review moved|The review on)/ });
const ofSian = (rows, sian) => rows.actions.filter((a) => a.pupil === sian.id && a.statutory)
  .sort((a, b) => a.due.localeCompare(b.due));

test("an EHC plan review date plans its statutory steps, moves them with the review, and offers next year's once held", async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  const { data, sian } = scenario();
  await seedBuckets(page, data);
  await page.evaluate((id) => { window.location.hash = `#/pupil/${id}`; }, sian.id);
  await page.getByRole('heading', { name: 'EHC plan review' }).waitFor();
  await page.getByText('No annual review date yet', { exact: false }).waitFor();

  // Set the review 40 days ahead: the five steps are offered with their dates, nothing is added yet.
  const review = iso(on(40));
  await page.getByText('Change details').tap();
  await page.getByLabel('EHC plan annual review (if any)').fill(review);
  await page.getByRole('status').getByText(`EHC plan annual review: none → ${uk(on(40))} (Siân Llewelyn).`).waitFor();
  const plan = offer(page);
  await plan.getByRole('button', { name: 'Add these 5 actions' }).waitFor();
  const lines = await plan.locator('li').allInnerTexts();
  assert.equal(lines.length, 5);
  assert.match(lines[0], new RegExp(`^Send the invitations .*: due ${uk(on(12))} \\(no later than ${uk(on(26))}\\)$`));
  assert.match(lines[3], new RegExp(`^Send the annual review report .*: due ${uk(on(54))}$`));
  assert.equal(ofSian(await storedRows(page), sian).length, 0, 'previewed, not added');
  assert.deepEqual(await accessibilityViolations(page), [], 'the pupil page offering the plan');

  // One tap adds them; Undo takes all five back; a second tap adds them again.
  await plan.getByRole('button', { name: 'Add these 5 actions' }).tap();
  const added = `5 statutory actions added for Siân Llewelyn's EHC plan review on ${uk(on(40))}.`;
  await page.getByRole('status').getByText(added).waitFor();
  await waitUntilSaved(page);
  let steps = ofSian(await storedRows(page), sian);
  assert.deepEqual(steps.map((a) => [a.statutory.step, a.due, a.statutory.review, a.owner, a.item_type]),
    STEPS.map(([code, days]) => [code, shift(review, days), review, 'SENCO', 'review']));
  await page.getByText(`Next annual review: `, { exact: false }).filter({ hasText: 'Not started' }).waitFor();
  await page.getByRole('button', { name: `Undo: ${added.replace(/\.$/, '')}` }).tap();
  await page.getByRole('status').getByText(/^Undone: 5 statutory actions/).waitFor();
  await waitUntilSaved(page);
  assert.equal(ofSian(await storedRows(page), sian).length, 0, 'undone');
  await offer(page).getByRole('button', { name: 'Add these 5 actions' }).tap();
  await page.getByRole('status').getByText(added).waitFor();
  await waitUntilSaved(page);

  // The invitations are sent; then the meeting moves a week later: the four steps not yet done
  // move with it, each with a history entry, and the new date needs its own invitations.
  const invitations = page.locator('.action').filter({ hasText: 'Send the invitations' });
  await invitations.getByRole('button', { name: 'Done', exact: true }).tap();
  await invitations.getByRole('button', { name: 'Confirm done' }).tap();
  await page.getByRole('status').getByText('Status set to Done.').waitFor();
  await page.getByText('Invitations sent', { exact: false }).waitFor();
  const later = iso(on(47));
  await page.getByLabel('EHC plan annual review (if any)').fill(later);
  await page.getByRole('status').getByText(`→ ${uk(on(47))} (Siân Llewelyn).`, { exact: false }).waitFor();
  const move = offer(page);
  await move.getByRole('button', { name: 'Move 4 actions' }).waitFor();
  assert.match(await move.innerText(), new RegExp(`moved from ${uk(on(40))} to ${uk(on(47))}`));
  await move.getByRole('button', { name: 'Move 4 actions' }).tap();
  await page.getByRole('status').getByText(`4 statutory actions moved to Siân Llewelyn's EHC plan review on ${uk(on(47))}.`).waitFor();
  await waitUntilSaved(page);
  let rows = await storedRows(page);
  steps = ofSian(rows, sian).filter((a) => a.status !== 'done');
  assert.deepEqual(steps.map((a) => [a.statutory.step, a.due, a.statutory.review]),
    STEPS.slice(1).map(([code, days]) => [code, shift(later, days), later]));
  const moved = rows.history.filter((h) => h.action === steps[0].id && /^Review moved from/.test(h.note));
  assert.equal(moved.length, 1, 'one history entry for the move');
  await offer(page).getByRole('button', { name: 'Add this action' }).tap();
  await page.getByRole('status').getByText(`1 statutory action added for Siân Llewelyn's EHC plan review on ${uk(on(47))}.`).waitFor();

  // Held: the meeting step done offers next year's review, twelve months on.
  const meeting = page.locator('.action').filter({ hasText: 'Hold the EHC plan annual review meeting' });
  await meeting.getByRole('button', { name: 'Done', exact: true }).tap();
  await meeting.getByRole('button', { name: 'Confirm done' }).tap();
  await page.getByRole('status').getByText('Status set to Done.').waitFor();
  const next = new Date(`${later}T12:00:00Z`);
  next.setUTCFullYear(next.getUTCFullYear() + 1);
  if (next.getUTCDate() !== new Date(`${later}T12:00:00Z`).getUTCDate()) next.setUTCDate(0); // 29 Feb → 28 Feb
  await offer(page).getByRole('button', { name: `Set the next review to ${uk(next)}` }).tap();
  await page.getByRole('status').getByText(`→ ${uk(next)} (Siân Llewelyn).`, { exact: false }).waitFor();
  await offer(page).getByRole('button', { name: 'Add these 5 actions' }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], 'the pupil page offering the next review');

  // Siân is in Year 6: while her transfer deadline is ahead, it is offered as an action too.
  const { deadline, ahead } = transferDeadline();
  const transfer = page.getByRole('group', { name: /^Add the phase-transfer deadline/ });
  if (ahead) {
    assert.match(await transfer.innerText(), new RegExp(`Add the phase-transfer deadline, ${uk(deadline)}`));
    await transfer.getByRole('button', { name: 'Add this action' }).tap();
    await page.getByRole('status').getByText(`Phase-transfer deadline added for Siân Llewelyn: ${uk(deadline)}.`).waitFor();
    await waitUntilSaved(page);
    const added = (await storedRows(page)).actions.filter((a) => a.statutory?.step === 'transfer');
    assert.deepEqual(added.map((a) => [a.pupil, a.due]), [[sian.id, iso(deadline)]]);
    assert.equal(await transfer.count(), 0, 'offered once');
  } else {
    assert.equal(await transfer.count(), 0);
  }

  // After a reload, the tracker holds them as any other action, marked as statutory.
  await waitUntilSaved(page);
  await page.reload();
  await nav(page, 'Tracker');
  const report = page.locator('.action').filter({ hasText: 'Send the annual review report' }).filter({ hasText: 'Siân' });
  await report.locator('.badge.statutory').waitFor();
  await openRow(report);
  assert.match(await report.locator('dt:text-is("Statutory deadline") + dd').innerText(), new RegExp(`^report, review on ${uk(on(47))}$`));
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('the weekly review warns of statutory deadlines four weeks ahead, and a missed one says which deadline it missed', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url, { width: 1024, height: 768 });
  const { data, sian, lukasz, report } = scenario();
  // Siân's review in 40 days, planned: the invitations (in 12 days) and the advice (in 26) are
  // within four weeks; the meeting (in 40) is not.
  const review = iso(on(40));
  data.pupils[0].annual_review = review;
  for (const [code, days] of STEPS) {
    const id = randomUUID();
    data.actions.push({
      id, pupil: sian.id, raised: iso(on(0)), meeting: null, item_type: 'review', decision: 'EHC plan annual review',
      next_step: `Step ${code}`, owner: 'SENCO', due: shift(review, days), status: 'open',
      last_update: { at: stamp(0), note: 'Created' }, evidence: '', next_review: null, escalate: false,
      statutory: { review, step: code },
    });
    data.history.push({ id: randomUUID(), action: id, at: stamp(0), note: 'Created', changes: [] });
  }
  await seedBuckets(page, data);
  await nav(page, 'Weekly review');
  const section = page.locator('#review-statutory');
  await section.getByRole('heading', { name: /^Statutory deadlines in the next 4 weeks/ }).waitFor();
  const warned = await section.locator('.action .next-step').allInnerTexts();
  assert.deepEqual(warned, [report.next_step, 'Step invitations', 'Step advice']);

  // The missed report stands out, and says which deadline it missed.
  const missed = section.locator('.action.statutory-missed');
  assert.equal(await missed.count(), 1);
  assert.equal(await missed.locator('.note.statutory-missed').innerText(),
    `Missed: the report must be sent within 2 weeks of the meeting (review on ${uk(on(-30))}, by ${uk(on(-16))})`);
  assert.ok(await missed.getByText(lukasz.name).count() > 0);

  // Siân is in Year 6: her transfer deadline (15 February of the year she moves) shows from
  // the autumn term until it passes.
  const { deadline, ahead } = transferDeadline();
  const transfers = page.locator('#review-transfers li');
  const sians = `Siân Llewelyn (Year 6) Phase transfer: the EHC plan must be amended naming the next school by ${uk(deadline)}`;
  assert.deepEqual(await transfers.allInnerTexts(), ahead ? [sians] : []);
  assert.deepEqual(await accessibilityViolations(page), [], 'the weekly review with statutory deadlines');

  // A middle school's own transfer year, ticked in Settings, counts too (Łukasz, Year 9).
  await nav(page, 'Settings');
  await page.getByRole('group', { name: 'Transfer years of our own' }).getByLabel('Year 9', { exact: true }).check();
  await page.locator('#transfers-heading').locator('..').getByText('Kept on this device.').waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], 'Settings with the transfer years');
  await page.reload();
  await nav(page, 'Weekly review');
  await page.locator('#review-transfers-heading').waitFor();
  const lukasz9 = `Łukasz Wiśniewski (Year 9) Phase transfer: the EHC plan must be amended naming the next school by ${uk(deadline)}`;
  assert.deepEqual((await transfers.allInnerTexts()).sort(), ahead ? [lukasz9, sians].sort() : []);
  assert.deepEqual(problems.console, []);
  await context.close();
});

/** The events of an .ics file, each as its unfolded properties (RFC 5545 3.1). */
function events(text) {
  for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `${Buffer.byteLength(line)} octets: ${line}`);
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n');
  const found = [];
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') found.push({});
    else if (found.length && line !== 'END:VEVENT' && line.includes(':')) {
      const [head, ...rest] = line.split(':');
      found[found.length - 1][head.split(';')[0]] = rest.join(':').replace(/\\n/g, '\n').replace(/\\([,;\\])/g, '$1');
    }
  }
  return found;
}

async function downloadCalendar(page) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download these rows for a calendar (.ics)' }).click(),
  ]);
  assert.match(file.suggestedFilename(), /^sendlog-calendar-\d{4}-\d{2}-\d{2}-filtered\.ics$/);
  return events(await readFile(await file.path(), 'utf8'));
}

test('the statutory deadlines, filtered, download as a calendar whose events keep their ids, by initials if chosen', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url, { width: 1024, height: 768 });
  const { data, sian, report } = scenario();
  // An ordinary action of Siân's, which the statutory filter leaves out.
  const ordinary = { ...report, id: randomUUID(), pupil: sian.id, next_step: 'Ring home about the trip', statutory: null, due: iso(on(3)), item_type: 'follow_up' };
  data.actions.push(ordinary);
  data.history.push({ id: randomUUID(), action: ordinary.id, at: stamp(-60), note: 'Created', changes: [] });
  await seedBuckets(page, data);
  await nav(page, 'Tracker');
  await page.getByText('2 live actions').waitFor();
  await openFilters(page);
  await page.getByLabel('Statutory deadlines only').check();
  await page.getByText('1 of the live actions').waitFor();
  assert.match(page.url(), /statutory=1/);
  await page.getByText('Download these rows').first().tap();
  assert.deepEqual(await accessibilityViolations(page), [], 'the tracker offering a calendar download');

  let [event, ...more] = await downloadCalendar(page);
  assert.equal(more.length, 0, 'only the statutory step');
  assert.equal(event.UID, `${report.id}@sendlog`);
  assert.equal(event.DTSTART, report.due.replaceAll('-', ''));
  assert.match(event.SUMMARY, /^Łukasz Wiśniewski: Send the annual review report/);
  assert.match(event.DESCRIPTION, /Missed: the report must be sent within 2 weeks of the meeting/);
  assert.ok(event.URL.startsWith(app.url) && event.URL.endsWith(`#/pupil/${report.pupil}`), event.URL);

  // Initials only: the name is nowhere in the file, and the event keeps its UID.
  await page.getByLabel('In the calendar file, pupils by their initials only').check();
  [event] = await downloadCalendar(page);
  assert.equal(event.UID, `${report.id}@sendlog`);
  assert.match(event.SUMMARY, /^ŁW: Send the annual review report/);
  assert.ok(!JSON.stringify(event).includes('Łukasz'));

  // Encrypted, it cannot be opened by a calendar: nothing is downloaded, and it says so.
  await page.getByLabel('Encrypt with a passphrase').check();
  await page.getByRole('button', { name: 'Download these rows for a calendar (.ics)' }).click();
  await page.getByText('A calendar cannot open an encrypted file', { exact: false }).waitFor();
  assert.deepEqual(problems.console, []);
  await context.close();
});
