// A parent meeting captured live on a tablet, then the next meeting checking what was agreed:
// the practical example of issue 3, tapped and typed as a SENCO would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveApp, startBrowser, openTablet, accessibilityViolations, waitUntilSaved, storedRows, leaveTheMeeting, sideways } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const UK_DATE = /^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$/;
const STEPS = {
  written: 'Reduce written work to half a page for two weeks',
  reading: 'Check whether he needs a different reading support approach',
  report: 'Share the private diagnosis report with the school office',
};

async function expectNoViolations(page, where) {
  assert.deepEqual(await accessibilityViolations(page), [], `axe: ${where}`);
}

async function startMeeting(page, { pupil, newPupil, type, with: people, check }) {
  await page.getByRole('button', { name: 'Start a meeting' }).tap();
  const form = page.getByRole('form', { name: 'Start a meeting' });
  if (check) await expectNoViolations(page, 'the start-a-meeting form');
  if (newPupil) {
    await form.getByLabel('Name', { exact: true }).fill(newPupil.name);
    await form.getByLabel('Year group').selectOption({ label: newPupil.year });
    await form.getByRole('button', { name: 'Add pupil' }).tap();
  } else {
    await form.getByLabel('Pupil', { exact: true }).selectOption({ label: pupil });
  }
  if (type) await form.getByLabel('Type of meeting').selectOption({ label: type });
  for (const person of people ?? []) await form.getByRole('button', { name: person, exact: true }).tap();
  await form.getByRole('button', { name: 'Start meeting', exact: true }).tap();
  await page.locator('#meeting-heading').waitFor();
}

async function agree(page, { decision, step, owner, due, itemType }) {
  const form = page.getByRole('form', { name: 'Add an agreed action' });
  await form.getByLabel('Issue or decision').fill(decision);
  await form.getByLabel('Action', { exact: true }).pressSequentially(step);
  await form.getByLabel('Owner', { exact: true }).pressSequentially(owner);
  await form.getByRole('button', { name: due, exact: true }).tap();
  if (itemType) await form.getByLabel('Item type').selectOption({ label: itemType });
  await form.getByRole('button', { name: 'Add action' }).tap();
}

function earlier(page, step) {
  return page.locator('li.earlier').filter({ has: page.locator('.next-step', { hasText: step }) });
}

// Held upright and held sideways: in landscape the earlier actions are beside the agree form.
for (const viewport of [{ width: 768, height: 1024 }, { width: 1024, height: 768 }]) test(`a parent meeting ends with three agreed steps, and the next meeting checks each of them (${viewport.width}×${viewport.height})`, async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url, viewport);

  // First meeting: started from the home screen, a new pupil added on the spot.
  await startMeeting(page, {
    newPupil: { name: 'Zoë Brown', year: 'Year 4' },
    with: ['Parent or carer', 'SENCO', 'Class teacher'],
    check: true,
  });
  assert.equal(await page.locator('#meeting-heading').innerText(), 'Parent conversation — Zoë Brown');
  assert.match(await page.locator('.meeting-head').innerText(), /With Parent or carer, SENCO, Class teacher/);
  await page.getByText('Zoë Brown has no open actions from before.').waitFor();
  await expectNoViolations(page, 'a new meeting');

  await agree(page, { decision: 'Written work is tiring him out by lunchtime', step: STEPS.written, owner: 'Class teacher', due: '+2 weeks', itemType: 'Classroom adjustment' });
  await page.getByRole('status').getByText('Action added for Zoë Brown.').waitFor();
  await agree(page, { decision: 'Reading support may need a different approach', step: STEPS.reading, owner: 'SENCO', due: 'End of half term', itemType: 'Review' });
  await page.getByRole('list', { name: 'Agreed so far' }).getByText(STEPS.reading).waitFor();

  // A refused owner keeps everything typed.
  await agree(page, { decision: 'Parent has a private diagnosis report', step: STEPS.report, owner: 'TBC', due: 'Friday', itemType: 'Document to share' });
  const form = page.getByRole('form', { name: 'Add an agreed action' });
  await form.getByRole('alert').getByText('"TBC" is not one person').waitFor();
  assert.equal(await form.getByLabel('Action', { exact: true }).inputValue(), STEPS.report);
  assert.equal(await form.getByLabel('Issue or decision').inputValue(), 'Parent has a private diagnosis report');
  assert.equal(await form.getByLabel('Owner', { exact: true }).inputValue(), 'TBC');
  await expectNoViolations(page, 'a refused row in a meeting');
  await form.getByLabel('Owner', { exact: true }).fill('Parent');
  await form.getByRole('button', { name: 'Add action' }).tap();
  await page.getByRole('list', { name: 'Agreed so far' }).getByText(STEPS.report).waitFor();

  // Working notes: kept apart, never an action.
  await page.getByRole('textbox', { name: 'Working notes' }).fill('Early thought: possible dyslexia? Ask the EP informally first.');
  await page.getByRole('textbox', { name: 'Working notes' }).blur();
  await waitUntilSaved(page);

  await page.getByRole('link', { name: 'Finish meeting' }).tap();
  await page.locator('#read-back-heading').waitFor();
  assert.match(await page.locator('#read-back-heading').innerText(), /^Agreed at the parent conversation for Zoë Brown, \d{1,2} \w{3} \d{4}$/);
  const rows = await page.locator('table.read-back tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText)));
  assert.deepEqual(rows.map((r) => r.slice(0, 3)), [
    ['Written work is tiring him out by lunchtime', STEPS.written, 'Class teacher'],
    ['Reading support may need a different approach', STEPS.reading, 'SENCO'],
    ['Parent has a private diagnosis report', STEPS.report, 'Parent'],
  ]);
  for (const row of rows) assert.match(row[3], UK_DATE);
  assert.equal(await page.getByText('possible dyslexia').count(), 0, 'working notes are not read back as agreed');
  await expectNoViolations(page, 'what was agreed');

  // The home list has the three actions and no working notes.
  await leaveTheMeeting(page);
  await page.locator('.action').first().waitFor();
  assert.equal(await page.locator('.action').count(), 3);
  assert.equal(await page.getByText('possible dyslexia').count(), 0);

  // Second meeting for the same pupil opens with those three.
  await startMeeting(page, { pupil: 'Zoë Brown (Year 4)', type: 'SEN support meeting', with: ['SENCO'] });
  await page.getByRole('heading', { name: 'Check earlier actions (3)' }).waitFor();
  await expectNoViolations(page, 'the next meeting with earlier actions');
  const earlierBox = await page.getByRole('region', { name: /^Check earlier actions/ }).boundingBox();
  const agreeBox = await page.getByRole('region', { name: 'Agree actions' }).boundingBox();
  if (viewport.width > viewport.height) {
    assert.ok(earlierBox.x + earlierBox.width <= agreeBox.x && Math.abs(earlierBox.y - agreeBox.y) < 2, 'side by side in landscape');
  } else {
    assert.ok(earlierBox.y + earlierBox.height <= agreeBox.y, 'one above the other, held upright');
  }

  // One done with evidence.
  const written = earlier(page, STEPS.written);
  await written.getByRole('button', { name: 'Mark done' }).tap();
  await written.getByLabel('Evidence or outcome').fill('Work samples show he finishes tasks; mum reports less tiredness');
  await expectNoViolations(page, 'marking an earlier action done');
  await written.getByRole('button', { name: 'Confirm done' }).tap();
  await written.locator('.outcome').getByText('Done at the SEN support meeting').waitFor();

  // One re-assigned; a refused owner is explained and kept.
  const reading = earlier(page, STEPS.reading);
  await reading.getByRole('button', { name: 'Re-assign' }).tap();
  await reading.getByLabel('New owner').fill('staff');
  await reading.getByRole('button', { name: 'Re-assign', exact: true }).last().tap();
  await reading.getByText('"staff" is not one person').waitFor();
  await expectNoViolations(page, 'a refused re-assignment');
  assert.equal(await reading.getByLabel('New owner').inputValue(), 'staff');
  await reading.getByLabel('New owner').fill('Mrs Patel (reading lead)');
  await reading.getByRole('button', { name: 'Re-assign', exact: true }).last().tap();
  await reading.locator('.outcome').getByText('Re-assigned from SENCO to Mrs Patel (reading lead)').waitFor();

  // One moved to a later date — undone once, then moved again.
  const report = earlier(page, STEPS.report);
  const oldDue = await report.locator('dt:text-is("Due") + dd').innerText();
  await report.getByRole('button', { name: 'New date' }).tap();
  await report.getByRole('button', { name: '+2 weeks' }).tap();
  await expectNoViolations(page, 'moving an earlier action to a new date');
  await report.getByRole('button', { name: 'Move to this date' }).tap();
  await report.locator('.outcome').getByText(`Moved from ${oldDue} to`).waitFor();
  assert.equal(await written.getByRole('button', { name: 'Mark done' }).isVisible(), false, 'a done row is not offered again');
  const newDue = await report.locator('dt:text-is("Due") + dd').innerText();
  assert.notEqual(newDue, oldDue);
  await page.getByRole('button', { name: /^Undo: Moved to/ }).tap();
  await page.getByRole('status').getByText(/^Undone: Moved to/).waitFor();
  assert.equal(await report.locator('dt:text-is("Due") + dd').innerText(), oldDue, 'undo restores the due date');
  await report.getByRole('button', { name: 'New date' }).tap();
  await report.getByRole('button', { name: '+2 weeks' }).tap();
  await report.getByRole('button', { name: 'Move to this date' }).tap();
  await page.getByRole('button', { name: /^Undo: Moved to/ }).waitFor();
  await waitUntilSaved(page);

  // After a reload, all of it is there — on the same screen, from the address.
  await page.reload();
  await page.getByRole('heading', { name: 'Check earlier actions (3)' }).waitFor();
  assert.equal(await earlier(page, STEPS.written).locator('.status-badge').innerText(), 'Done');
  assert.match(await earlier(page, STEPS.written).innerText(), /Work samples show he finishes tasks/);
  assert.equal(await earlier(page, STEPS.reading).locator('dt:text-is("Owner") + dd').innerText(), 'Mrs Patel (reading lead)');
  assert.equal(await earlier(page, STEPS.report).locator('dt:text-is("Due") + dd').innerText(), newDue);

  await page.getByRole('link', { name: 'Finish meeting' }).tap();
  const checked = await page.locator('ul.checked li').allInnerTexts();
  assert.equal(checked.length, 4, 'done, re-assigned, moved, undone and moved again: four changes, the undo among them');
  await expectNoViolations(page, 'what the second meeting agreed');

  // The history keeps what each row was before.
  const { actions, history } = await storedRows(page);
  const changesOf = (step) => {
    const id = actions.find((a) => a.next_step === step).id;
    return history.filter((h) => h.action === id).flatMap((h) => h.changes.map((c) => [c.field, c.before, c.after]));
  };
  assert.deepEqual(changesOf(STEPS.written), [['status', 'Open', 'Done'], ['evidence', '', 'Work samples show he finishes tasks; mum reports less tiredness']]);
  assert.deepEqual(changesOf(STEPS.reading), [['owner', 'SENCO', 'Mrs Patel (reading lead)']]);
  assert.deepEqual(changesOf(STEPS.report).map((c) => c[0]), ['due', 'due', 'due']);
  assert.equal(changesOf(STEPS.report)[1][2], oldDue, 'the undo put the old date back, in the history too');

  assert.deepEqual(problems.console, [], 'no errors in the console');
  assert.deepEqual(problems.foreign, [], 'no request to any other origin');
  await context.close();
});

test('adding an action by mistake is undone in one tap, on screen and in storage', async () => {
  const { context, page } = await openTablet(chromium.browser, app.url);
  await startMeeting(page, { newPupil: { name: 'Ben Ode', year: 'Year 11' } });
  await agree(page, { decision: 'Wrong pupil', step: 'Send the careers form to the parent', owner: 'Form tutor', due: 'Friday' });
  await page.getByRole('list', { name: 'Agreed so far' }).waitFor();
  await page.getByRole('button', { name: 'Undo: Action added for Ben Ode' }).tap();
  await page.getByRole('status').getByText('Undone: Action added for Ben Ode.').waitFor();
  assert.equal(await page.getByRole('list', { name: 'Agreed so far' }).count(), 0);
  await waitUntilSaved(page);
  assert.deepEqual((await storedRows(page)).actions, [], 'the action is gone from storage too');
  await page.reload();
  await page.locator('#meeting-heading').waitFor();
  assert.equal(await page.getByRole('list', { name: 'Agreed so far' }).count(), 0);
  await context.close();
});

test('the wrong type, someone who arrives late and the summary written at the end are put right without losing a half-typed action', async () => {
  const { context, page } = await openTablet(chromium.browser, app.url);
  await startMeeting(page, { newPupil: { name: 'Maya Iqbal', year: 'Year 2' }, type: 'SEN support meeting', with: ['SENCO', 'Parent or carer'] });
  const head = page.locator('.meeting-head');
  assert.match(await head.locator('p.muted').innerText(), /^Year 2 · \d{1,2} [A-Z][a-z]{2} \d{4} · With SENCO, Parent or carer$/);
  const form = page.getByRole('form', { name: 'Add an agreed action' });
  await form.getByLabel('Action', { exact: true }).fill('Send the phonics pack home on Friday');

  await head.getByText('Change the date, type, who was there or the summary').tap();
  await expectNoViolations(page, 'the meeting\'s details open');
  await head.getByLabel('Type of meeting').selectOption({ label: 'Annual review' });
  await page.locator('#meeting-heading').getByText('Annual review — Maya Iqbal').waitFor();
  await head.getByLabel(/^Who was there/).fill('SENCO, Parent or carer, Speech and language therapist');
  await head.getByLabel('Short summary').fill('Phonics progress is slow; speech therapy starts after half term.');
  await head.getByLabel(/^Who was there/).focus();
  await head.locator('p.summary').getByText('Phonics progress is slow').waitFor();
  assert.match(await head.locator('p.muted').innerText(), / · With SENCO, Parent or carer, Speech and language therapist$/);
  assert.equal(await form.getByLabel('Action', { exact: true }).inputValue(), 'Send the phonics pack home on Friday',
    'the half-typed action is still there');
  assert.ok(await head.locator('details.meeting-details').evaluate((d) => d.open), 'the details stay open');
  await waitUntilSaved(page);

  await page.reload();
  await page.locator('#meeting-heading').waitFor();
  await head.locator('p.summary').getByText('Phonics progress is slow').waitFor();
  assert.equal(await form.getByLabel('Action', { exact: true }).inputValue(), 'Send the phonics pack home on Friday',
    'the half-typed action is kept on the device, not added');
  assert.equal(await page.getByRole('list', { name: 'Agreed so far' }).count(), 0);
  const [meeting] = (await storedRows(page)).meetings;
  assert.deepEqual(meeting.attendees, ['SENCO', 'Parent or carer', 'Speech and language therapist']);
  assert.equal(meeting.summary, 'Phonics progress is slow; speech therapy starts after half term.');
  assert.equal(meeting.meeting_type, 'annual_review');

  // The read-back says who was there and the summary, and prints for the parent.
  await page.getByRole('link', { name: 'Finish meeting' }).tap();
  const readBack = page.getByRole('region', { name: /^Agreed at the annual review for Maya Iqbal/ });
  await readBack.getByText('With SENCO, Parent or carer, Speech and language therapist. Phonics progress is slow; speech therapy starts after half term.').waitFor();
  await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; });
  await readBack.getByRole('button', { name: 'Print or save as PDF' }).tap();
  assert.equal(await page.evaluate(() => window.__printed), 1);
  await expectNoViolations(page, 'the read-back with who was there');
  await context.close();
});

test('a meeting started on the wrong date is moved, and the actions raised at it move with it', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await startMeeting(page, { newPupil: { name: 'Tomasz Wiśniewski', year: 'Year 8' }, with: ['Parent or carer'] });
  await agree(page, { decision: 'Homework is not coming in', step: STEPS.written, owner: 'Form tutor', due: '+2 weeks' });
  await page.getByRole('list', { name: 'Agreed so far' }).getByText(STEPS.written).waitFor();
  const form = page.getByRole('form', { name: 'Add an agreed action' });
  await form.getByLabel('Action', { exact: true }).fill(STEPS.reading);

  // It was held yesterday, and written up today.
  const day = (offset) => { const d = new Date(); d.setDate(d.getDate() + offset); return d; };
  const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const uk = (d) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }).replace('Sept', 'Sep');
  const [today, yesterday] = [day(0), day(-1)];
  const head = page.locator('.meeting-head');
  await head.getByText('Change the date, type, who was there or the summary').tap();
  await head.getByLabel('Date of the meeting').fill(iso(yesterday));
  await head.getByRole('button', { name: 'Move the meeting' }).tap();
  await head.getByRole('status').getByText(/^Moved to .*, with the action raised at it\.$/).waitFor();
  assert.match(await head.locator('p.muted').innerText(), new RegExp(` · ${uk(yesterday)} · With Parent or carer$`));
  assert.equal(await form.getByLabel('Action', { exact: true }).inputValue(), STEPS.reading, 'the half-typed action is still there');
  assert.ok(await head.locator('details.meeting-details').evaluate((d) => d.open), 'the details stay open');
  await expectNoViolations(page, 'a meeting moved');

  // An action agreed after the move is raised on the meeting's new date too.
  await form.getByLabel('Owner', { exact: true }).fill('Class teacher');
  await form.getByRole('button', { name: '+1 week', exact: true }).tap();
  await form.getByRole('button', { name: 'Add action' }).tap();
  await page.getByRole('list', { name: 'Agreed so far' }).getByText(STEPS.reading).waitFor();
  await waitUntilSaved(page);

  await page.reload();
  await page.locator('#meeting-heading').waitFor();
  const rows = await storedRows(page);
  assert.equal(rows.meetings[0].date, iso(yesterday));
  assert.deepEqual(rows.actions.map((a) => a.raised), [iso(yesterday), iso(yesterday)]);
  const moved = rows.history.filter((h) => h.changes?.some((c) => c.field === 'raised'));
  assert.equal(moved.length, 1, 'the move is in the history of the action raised before it');
  assert.equal(moved[0].note, `Meeting moved from ${uk(today)} to ${uk(yesterday)}`);
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('the meeting screens fit a tablet in landscape and a 360 px phone, with no accessibility violations', async () => {
  for (const viewport of [{ width: 1024, height: 768 }, { width: 360, height: 740 }]) {
    const { context, page } = await openTablet(chromium.browser, app.url, viewport);
    await startMeeting(page, { newPupil: { name: 'Maya Patel', year: 'Year 7' }, with: ['Parent or carer'] });
    await agree(page, { decision: 'Anxiety at lesson changes', step: 'Give a five-minute early release pass for four weeks', owner: 'Head of Year 7', due: '+1 week' });
    await page.getByRole('list', { name: 'Agreed so far' }).waitFor();
    const overflow = await sideways(page);
    assert.ok(overflow <= 0, `no sideways scrolling at ${viewport.width}px (overflow ${overflow}px)`);
    await expectNoViolations(page, `meeting at ${viewport.width}px`);
    await page.getByRole('link', { name: 'Finish meeting' }).tap();
    await page.locator('#read-back-heading').waitFor();
    const overflowAgreed = await sideways(page);
    assert.ok(overflowAgreed <= 0, `read-back fits at ${viewport.width}px`);
    await expectNoViolations(page, `read-back at ${viewport.width}px`);
    await context.close();
  }
});

test('working notes and the summary are saved as they are typed, even when the screen is left at once', async () => {
  const { context, page } = await openTablet(chromium.browser, app.url);
  await startMeeting(page, { newPupil: { name: 'Aoife Murphy', year: 'Year 2' } });
  const notes = page.getByRole('textbox', { name: 'Working notes' });
  await notes.pressSequentially('Mum thinks the new bus route is part of it');
  await waitUntilSaved(page);
  await page.reload();
  await page.locator('#meeting-heading').waitFor();
  assert.equal(await notes.inputValue(), 'Mum thinks the new bus route is part of it');

  // Typed, then straight to the read-back (leaving the screen before the save pause is over).
  await notes.press('End');
  await notes.pressSequentially('; ask about mornings');
  await page.evaluate(() => { location.hash = location.hash + '/agreed'; });
  await page.locator('#read-back-heading').waitFor();
  await page.goBack();
  await page.locator('#meeting-heading').waitFor();
  assert.equal(await notes.inputValue(), 'Mum thinks the new bus route is part of it; ask about mornings');

  // The summary too: typed at the end, then straight to the read-back, which shows it.
  const head = page.locator('.meeting-head');
  await head.getByText('Change the date, type, who was there or the summary').tap();
  await head.getByLabel('Short summary').pressSequentially('Mornings are hard since the bus route changed');
  await page.evaluate(() => { location.hash = location.hash + '/agreed'; });
  await page.getByText('Mornings are hard since the bus route changed').waitFor();
  await waitUntilSaved(page);
  assert.equal((await storedRows(page)).meetings[0].summary, 'Mornings are hard since the bus route changed');
  await context.close();
});
