// The first screen, used as a SENCO would on a tablet: add a pupil, add actions by tapping and
// typing, see the guards, change a status in one tap, reload and find everything still there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveApp, startBrowser, openTablet, accessibilityViolations, waitUntilSaved } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const UK_DATE = /^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$/;

async function addPupil(page, name, year) {
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Year group').selectOption({ label: year });
  await page.getByRole('button', { name: 'Add pupil' }).tap();
  await assert.doesNotReject(page.getByLabel('Pupil', { exact: true }).locator('option:checked', { hasText: name }).waitFor({ state: 'attached' }));
}

test('a SENCO records an action by tapping and typing, and it is still there after a reload', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await page.getByText('No actions yet').waitFor();
  await addPupil(page, 'Zoë Łukasz-O\'Neil', 'Year 4');

  await page.getByLabel('Issue or decision').tap();
  await page.getByLabel('Issue or decision').pressSequentially('Written work is tiring him out by lunchtime');
  await page.getByLabel('Action', { exact: true }).pressSequentially('Reduce written work to half a page for two weeks');

  // The owner "TBC" is refused beside the field as it is typed, and on "Add action".
  await page.getByLabel('Owner', { exact: true }).pressSequentially('TBC');
  const ownerNotes = page.locator('#owner-notes');
  await assert.doesNotReject(ownerNotes.getByText('"TBC" is not one person').waitFor());
  await page.getByRole('button', { name: 'Friday' }).tap();
  await page.getByRole('button', { name: 'Add action' }).tap();
  await page.getByRole('alert').getByText('Not added yet').waitFor();
  assert.equal(await page.locator('.action').count(), 0, 'a refused row is not added');
  // Everything typed is still there.
  assert.equal(await page.getByLabel('Issue or decision').inputValue(), 'Written work is tiring him out by lunchtime');
  assert.equal(await page.getByLabel('Action', { exact: true }).inputValue(), 'Reduce written work to half a page for two weeks');
  assert.equal(await page.getByLabel('Owner', { exact: true }).inputValue(), 'TBC');
  const due = await page.getByLabel('Due or review date').inputValue();
  assert.match(due, /^\d{4}-\d{2}-\d{2}$/, 'the Friday quick pick filled the due date');

  await page.getByLabel('Owner', { exact: true }).fill('Class teacher');
  await assert.doesNotReject(page.locator('#owner-notes .note').waitFor({ state: 'detached' }));
  await page.getByText('Evidence, next review, escalation').tap();
  await page.getByLabel('Evidence or note').fill('Mum agreed; review at the next parent meeting');
  await page.getByRole('button', { name: 'Add action' }).tap();
  await page.getByRole('status').getByText('Action added for Zoë Łukasz-O\'Neil.').waitFor();

  const row = page.locator('.action').first();
  assert.equal(await row.locator('.next-step').innerText(), 'Reduce written work to half a page for two weeks');
  assert.equal(await row.locator('.pupil').innerText(), 'Zoë Łukasz-O\'Neil');
  const shownDue = await row.locator('dt:text-is("Due") + dd').innerText();
  assert.match(shownDue, UK_DATE, 'the due date is shown in UK form');
  assert.equal(await row.getByRole('button', { name: 'Open' }).getAttribute('aria-pressed'), 'true');
  // The row's fields were cleared for the next action; the pupil stays chosen.
  assert.equal(await page.getByLabel('Action', { exact: true }).inputValue(), '');

  // One tap changes the status, and it is stored.
  await row.getByRole('button', { name: 'In progress' }).tap();
  await assert.doesNotReject(page.locator('.action').first().getByRole('button', { name: 'In progress', pressed: true }).waitFor());
  await waitUntilSaved(page);

  await page.reload();
  const after = page.locator('.action');
  await after.first().waitFor();
  assert.equal(await after.count(), 1);
  assert.equal(await after.first().locator('.next-step').innerText(), 'Reduce written work to half a page for two weeks');
  assert.equal(await after.first().locator('dt:text-is("Due") + dd').innerText(), shownDue);
  assert.equal(await after.first().locator('dt:text-is("Owner") + dd').innerText(), 'Class teacher');
  assert.equal(await after.first().getByRole('button', { name: 'In progress' }).getAttribute('aria-pressed'), 'true');
  assert.match(await after.first().locator('.last-update').innerText(), /Status: Open → In progress/);

  assert.deepEqual(problems.console, [], 'no errors in the console');
  assert.deepEqual(problems.foreign, [], 'no request to any other origin');
  await context.close();
});

test('an action typed and not yet added comes back after a reload or a trip to another screen, until it is added', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await addPupil(page, 'Siân Evans', 'Year 7');
  await page.getByLabel('Issue or decision').fill('Anxious at the start of the day');
  await page.getByLabel('Action', { exact: true }).fill('Meet her at the gate each morning for two weeks');
  await page.getByLabel('Owner', { exact: true }).fill('Teaching assistant');
  await page.getByRole('button', { name: '+1 week' }).tap();
  const due = await page.getByLabel('Due or review date').inputValue();

  // The tablet's browser reloads the page (it was in the background, say).
  await page.reload();
  const kept = page.getByRole('status').filter({ hasText: 'Kept from before: this action is not added yet.' });
  await kept.waitFor();
  assert.equal(await page.getByLabel('Issue or decision').inputValue(), 'Anxious at the start of the day');
  assert.equal(await page.getByLabel('Action', { exact: true }).inputValue(), 'Meet her at the gate each morning for two weeks');
  assert.equal(await page.getByLabel('Owner', { exact: true }).inputValue(), 'Teaching assistant');
  assert.equal(await page.getByLabel('Due or review date').inputValue(), due);
  assert.equal(await page.getByLabel('Pupil', { exact: true }).locator('option:checked').innerText(), 'Siân Evans (Year 7)');
  assert.equal(await page.locator('.action').count(), 0, 'kept, not added');
  assert.deepEqual(await accessibilityViolations(page), [], 'axe: a kept draft');

  // To the tracker and back: still there.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Tracker', exact: true }).tap();
  await page.locator('#tracker-heading').waitFor();
  await nav.getByRole('link', { name: 'Home', exact: true }).tap();
  assert.equal(await page.getByLabel('Action', { exact: true }).inputValue(), 'Meet her at the gate each morning for two weeks');

  // Added, it is gone from the form, and a reload brings back nothing.
  await page.getByRole('button', { name: 'Add action' }).tap();
  await page.getByRole('status').getByText('Action added for Siân Evans.').waitFor();
  await kept.waitFor({ state: 'detached' });
  await waitUntilSaved(page);
  await page.reload();
  await page.locator('.action').first().waitFor();
  assert.equal(await page.getByLabel('Action', { exact: true }).inputValue(), '');
  assert.equal(await kept.count(), 0);
  assert.equal(await page.locator('.action').count(), 1);
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('two owners are offered a split into two rows, one owner each', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await addPupil(page, 'Siân Jones', 'Year 9');
  await page.getByLabel('Issue or decision').fill('Reading support approach to be checked');
  await page.getByLabel('Action', { exact: true }).fill('Check reading task completion every Friday for four weeks');
  await page.getByLabel('Owner', { exact: true }).fill('class teacher and SENCO');
  await page.getByRole('button', { name: '+1 week' }).tap();
  await page.locator('#owner-notes').getByText('One owner per row').waitFor();
  await page.getByRole('button', { name: 'Split into 2 actions: class teacher, SENCO' }).tap();
  await page.getByText('2 actions added for Siân Jones, one per owner.').waitFor();
  const owners = await page.locator('li.action dt:text-is("Owner") + dd').allInnerTexts();
  assert.deepEqual(owners.sort(), ['SENCO', 'class teacher']);
  // Owners already used are offered as one-tap picks for the next row.
  await page.getByRole('group', { name: 'Owners already used' }).getByRole('button', { name: 'SENCO' }).tap();
  assert.equal(await page.getByLabel('Owner', { exact: true }).inputValue(), 'SENCO');
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('a vague action is warned with an example, and can still be added', async () => {
  const { context, page } = await openTablet(chromium.browser, app.url);
  await addPupil(page, 'Ali Khan', 'Reception');
  await page.getByLabel('Action', { exact: true }).pressSequentially('Monitor progress');
  const notes = page.locator('#next-step-notes');
  await notes.getByText('Check reading task completion every Friday').waitFor();
  await page.getByLabel('Owner', { exact: true }).fill('SENCO');
  await page.getByRole('button', { name: '+2 weeks' }).tap();
  await page.getByRole('button', { name: 'Add action' }).tap();
  await page.getByText('Action added for Ali Khan.').waitFor();
  assert.equal(await page.locator('.action .next-step').innerText(), 'Monitor progress');
  await context.close();
});

test('a missing due date is refused and says why', async () => {
  const { context, page } = await openTablet(chromium.browser, app.url);
  await addPupil(page, 'Ben Ode', 'Year 11');
  await page.getByLabel('Action', { exact: true }).fill('Send the sleep diary to the SENCO');
  await page.getByLabel('Owner', { exact: true }).fill('Parent');
  await page.getByRole('button', { name: 'Add action' }).tap();
  await page.locator('#due-notes').getByText('needs a due or review date').waitFor();
  assert.equal(await page.locator('.action').count(), 0);
  assert.equal(await page.getByLabel('Action', { exact: true }).inputValue(), 'Send the sleep diary to the SENCO');
  await context.close();
});

test('the screen has no accessibility violations, empty and in use, on a tablet and a phone', async () => {
  for (const viewport of [{ width: 768, height: 1024 }, { width: 360, height: 740 }]) {
    const { context, page } = await openTablet(chromium.browser, app.url, viewport);
    assert.deepEqual(await accessibilityViolations(page), [], `empty screen at ${viewport.width}px`);
    await addPupil(page, 'Maya Patel', 'Year 7');
    await page.getByLabel('Action', { exact: true }).fill('Keep an eye on it');
    await page.getByLabel('Owner', { exact: true }).fill('team');
    await page.getByRole('button', { name: 'Add action' }).tap();
    await page.getByRole('alert').waitFor();
    assert.deepEqual(await accessibilityViolations(page), [], `refused row at ${viewport.width}px`);
    await page.getByLabel('Owner', { exact: true }).fill('SENCO');
    await page.getByLabel('Due or review date').fill('2026-01-09');
    await page.getByRole('button', { name: 'Add action' }).tap();
    await page.locator('.action').first().waitFor();
    assert.match(await page.locator('li.action .badge.overdue').innerText(), /^Overdue by \d+ days?$/);
    assert.deepEqual(await accessibilityViolations(page), [], `list with an overdue row at ${viewport.width}px`);
    const small = await page.locator('button:visible, input:visible, select:visible').evaluateAll((els) =>
      els.filter((el) => el.getBoundingClientRect().height < 44).map((el) => el.outerHTML.slice(0, 80)));
    assert.deepEqual(small, [], 'every touch target is at least 44 px tall');
    await context.close();
  }
});
