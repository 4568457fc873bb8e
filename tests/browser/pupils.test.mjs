// The Pupils screen (issue 23, point 5), the day a pupil left the school (issue 16, point 6),
// and an Undo that leaves the weekly review as it was (issue 23, point 3), tapped as a SENCO
// would on the example record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  serveApp, startBrowser, openTablet, waitUntilSaved, storedRows, accessibilityViolations, openFilters, openBulkMore } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).tap();

async function withExample(viewport) {
  const opened = await openTablet(chromium.browser, app.url, viewport);
  await opened.page.getByRole('button', { name: 'Load the example record' }).tap();
  await waitUntilSaved(opened.page);
  return { ...opened, rows: await storedRows(opened.page) };
}

test('every pupil is on the Pupils screen, found by name, and the day one left is set on their page, kept and undone', async () => {
  const { context, page, problems, rows } = await withExample();
  await nav(page, 'Pupils');
  const list = page.getByRole('list', { name: 'Pupils' });
  await list.getByRole('link').first().waitFor();
  assert.equal(await list.getByRole('link').count(), rows.pupils.length, 'every pupil');
  assert.deepEqual(await accessibilityViolations(page), [], 'the Pupils screen');
  const pupil = rows.pupils[rows.pupils.length - 1];
  await page.getByLabel('Name', { exact: true }).fill(pupil.name.split(' ')[0].toUpperCase());
  await page.getByText(/^1 pupil$/).waitFor();
  await list.getByRole('link', { name: pupil.name }).tap();
  await page.getByRole('heading', { name: pupil.name }).waitFor();

  // Left the school on: set on their page, said in words, shown, kept through a reload.
  await page.getByText('Change details').tap();
  await page.getByLabel('Left the school on').fill('2026-07-22');
  const said = `Left the school on: none → 22 Jul 2026 (${pupil.name}).`;
  await page.getByRole('status').getByText(said).waitFor();
  await waitUntilSaved(page);
  await page.reload();
  await page.getByRole('heading', { name: pupil.name }).waitFor();
  await page.getByText('Left the school on 22 Jul 2026').waitFor();
  assert.equal((await storedRows(page)).pupils.find((p) => p.id === pupil.id).left_on, '2026-07-22');

  // The list leaves them out unless asked for.
  await nav(page, 'Pupils');
  await list.getByRole('link').first().waitFor();
  assert.equal(await list.getByRole('link', { name: pupil.name }).count(), 0, 'a leaver is not listed');
  await page.getByLabel('Include pupils who have left').check();
  await list.getByRole('link', { name: pupil.name }).waitFor();
  await list.getByText('Left 22 Jul 2026').waitFor();

  // Put right: back on their page, the date cleared, then that undone.
  await list.getByRole('link', { name: pupil.name }).tap();
  await page.getByText('Change details').tap();
  await page.getByLabel('Left the school on').fill('');
  await page.getByRole('status').getByText(`Left the school on: 22 Jul 2026 → none (${pupil.name}).`).waitFor();
  await page.getByRole('button', { name: /^Undo: Left the school on/ }).tap();
  await page.getByRole('status').getByText(/^Undone: Left the school on/).waitFor();
  await waitUntilSaved(page);
  assert.equal((await storedRows(page)).pupils.find((p) => p.id === pupil.id).left_on, '2026-07-22');
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('a pupil with no live actions is reached from the Pupils screen', async () => {
  const { context, page, rows } = await withExample({ width: 360, height: 800 });
  const busy = new Set(rows.actions.filter((a) => ['open', 'in_progress', 'waiting'].includes(a.status)).map((a) => a.pupil));
  const idle = rows.pupils.find((p) => !busy.has(p.id));
  if (idle) {
    await nav(page, 'Pupils');
    const item = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: idle.name }) });
    await item.getByText('No live actions').waitFor();
    await item.getByRole('link').tap();
    await page.getByRole('heading', { name: idle.name }).waitFor();
  } else {
    // Every example pupil has live actions: close one pupil's, then look.
    assert.fail('the example record should have a pupil with no live actions for this test');
  }
  assert.deepEqual(await accessibilityViolations(page), [], 'a pupil page at 360 px');
  await context.close();
});

test('a change to several rows, undone, leaves the weekly review exactly as it was', async () => {
  const { context, page, problems } = await withExample();
  const review = async () => {
    await nav(page, 'Weekly review');
    await page.locator('#review-heading').waitFor();
    return page.evaluate(() => [...document.querySelectorAll('section[id^="review-"]')].map((s) =>
      [s.id, s.querySelector('.count-pill')?.textContent, [...s.querySelectorAll('.next-step')].map((n) => n.textContent)]));
  };
  const before = await review();
  assert.ok(before.some(([id, count]) => id === 'review-stale' && Number(count) > 0), `the example has stale rows: ${JSON.stringify(before)}`);
  await nav(page, 'Tracker');
  await page.getByRole('button', { name: 'Select the first 25' }).tap();
  await page.getByLabel('Set status').selectOption({ label: 'Waiting on someone else' });
  await page.getByRole('button', { name: 'Apply status' }).tap();
  await page.getByRole('status').getByText(/^Status set to Waiting on someone else for \d+ actions\.$/).waitFor();
  assert.notDeepEqual(await review(), before, 'the change shows in the review');
  // Undo belongs to the screen the change was made on: not offered on the review, back on the tracker.
  assert.equal(await page.getByRole('button', { name: /^Undo: / }).count(), 0);
  await nav(page, 'Tracker');
  await page.getByRole('button', { name: /^Undo: Status set to/ }).tap();
  await page.getByRole('status').getByText(/^Undone: Status set to/).waitFor();
  assert.deepEqual(await review(), before, 'stale, overdue and waiting read as before');
  await waitUntilSaved(page);
  await page.reload();
  assert.deepEqual(await review(), before, 'and after a reload');
  assert.deepEqual(problems.console, []);
  await context.close();
});

test("a tracker filtered to a pupil links to their page, whose chronology holds every change to their actions", async () => {
  const { context, page, problems, rows } = await withExample({ width: 1024, height: 768 });
  const live = rows.actions.find((a) => ['open', 'in_progress', 'waiting'].includes(a.status));
  const pupil = rows.pupils.find((p) => p.id === live.pupil);
  await nav(page, 'Tracker');
  await openFilters(page);
  const filters = page.getByRole('search', { name: 'Filter the tracker' });
  await filters.getByLabel('Pupil', { exact: true }).locator('option', { hasText: pupil.name }).waitFor({ state: 'attached' });
  const option = (await filters.getByLabel('Pupil', { exact: true }).locator('option').allTextContents()).find((t) => t.startsWith(pupil.name));
  await filters.getByLabel('Pupil', { exact: true }).selectOption({ label: option });
  // Re-assign one of their rows through the bulk change: a change the chronology must show.
  const first = page.locator('.action').first();
  await first.locator('input.select').check();
  await openBulkMore(page);
  await page.getByLabel('Set owner').fill('Mr Ó Briain');
  await page.getByRole('button', { name: 'Apply owner' }).tap();
  await page.getByRole('status').getByText('Owner set to Mr Ó Briain.').waitFor();
  const step = await first.locator('.next-step').innerText();
  await page.getByRole('link', { name: `${pupil.name}'s page` }).tap();
  await page.getByRole('heading', { name: pupil.name }).waitFor();

  await page.getByRole('button', { name: /^Chronology \(\d+\)$/ }).tap();
  const heading = page.getByRole('heading', { name: 'Chronology' });
  await page.waitForFunction(() => document.activeElement?.id === 'chronology-heading');
  assert.ok(await heading.isVisible(), 'the chronology is in view');
  const line = page.locator('ol.chronology li').filter({ hasText: 'Re-assigned' }).filter({ hasText: step });
  await line.getByText(/→ Mr Ó Briain/).waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], 'axe: the pupil page with changes in its chronology');
  assert.deepEqual(problems.console, []);
  await context.close();
});

test("a pupil's download does not name them unless the person chooses to", async () => {
  const { context, page, rows } = await withExample();
  const pupil = rows.pupils[0];
  await nav(page, 'Pupils');
  await page.getByRole('link', { name: pupil.name }).first().tap();
  await page.getByRole('heading', { name: pupil.name }).waitFor();
  await page.locator('summary', { hasText: "Download this pupil's record" }).click();
  const download = async (label) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: label }).click()]);
    return file.suggestedFilename();
  };
  const day = new Date().toISOString().slice(0, 10);
  await page.getByText(`Without it the file is named sendlog-record-${day}-one-pupil.json`).waitFor();
  assert.equal(await download("Download this pupil's record (JSON)"), `sendlog-record-${day}-one-pupil.json`);
  assert.equal(await download("Download this pupil's action log (CSV)"), `sendlog-actions-${day}-one-pupil.csv`);
  assert.deepEqual(await accessibilityViolations(page), []);
  await page.getByLabel("Put the pupil's name in the file name").check();
  const slug = pupil.name.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).join('-');
  assert.equal(await download("Download this pupil's record (JSON)"), `sendlog-record-${day}-${slug}.json`);
  await context.close();
});
