// The tracker as a table on a tablet held either way (issue 22, point 1): a screenful of rows,
// the header in view while scrolling, sorted by a tap on a header, a status changed from the
// row and stored, a row's details one tap away; cards on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { serveApp, startBrowser, openTablet, accessibilityViolations, waitUntilSaved, seedBuckets, seedRecord, storedRows } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const DAY = 24 * 60 * 60 * 1000;
const iso = (offset) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const stamp = (offset) => new Date(Date.now() + offset * DAY).toISOString().replace(/\.\d+Z$/, 'Z');

/** 50 live actions for ten pupils named in several languages, some overdue, escalated or stale. */
function fiftyLive() {
  const names = ['Siân Öztürk', 'Dilek Yılmaz', 'Zoë Kowalczyk', 'Γιώργος Παπαδόπουλος', 'Jürgen Müller-Lüdenscheidt',
    'Amara Okafor', 'Łucja Wiśniewska', 'Rhys ap Gwilym', 'Ben Hughes', 'Małgorzata Brzęczyszczykiewicz'];
  const years = ['year_2', 'year_4', 'year_5', 'year_7', 'year_9', 'reception', 'year_11', 'year_3', 'year_6', 'year_10'];
  const pupils = names.map((name, i) => ({ id: randomUUID(), name, year_group: years[i], send_status: 'sen_support', annual_review: null, updated_at: stamp(-90) }));
  const owners = ['SENCO', 'Class teacher', 'Parent', 'Speech and language therapist', 'Teaching assistant', 'Mrs Öztürk (Head of Year 7)'];
  const types = ['follow_up', 'referral', 'intervention', 'classroom_adjustment', 'document_to_share', 'support_plan_update'];
  const steps = ['Send home the reading record', 'Complete and send the speech and language referral form with the parent’s views attached',
    'Book the transition visit', 'Run the phonics group three times a week and record attendance', 'Share the updated one-page profile with all staff'];
  const statuses = ['open', 'in_progress', 'waiting'];
  const actions = Array.from({ length: 50 }, (_, i) => ({
    id: randomUUID(), pupil: pupils[i % 10].id, raised: iso(-60), meeting: null, item_type: types[i % types.length],
    decision: `Decision ${i + 1}`, next_step: `${steps[i % steps.length]} (${i + 1})`, owner: owners[i % owners.length],
    due: iso(i - 15), status: statuses[i % 3], last_update: { at: stamp(i % 7 === 0 ? -40 : -2), note: 'Created' },
    evidence: '', next_review: null, escalate: i % 9 === 0,
  }));
  const history = actions.map((a) => ({ id: randomUUID(), action: a.id, at: a.last_update.at, note: 'Created', changes: [] }));
  return { pupils, actions, history };
}

/** The tracker's rows wholly inside the first screen (the screen scrolls within `main`). */
const rowsInView = (page) => page.evaluate(() => {
  const screen = document.querySelector('main').getBoundingClientRect();
  return [...document.querySelectorAll('table.action-table tbody.action')]
    .filter((row) => { const r = row.getBoundingClientRect(); return r.top >= screen.top && r.bottom <= Math.min(screen.bottom, innerHeight); }).length;
});

async function tracker(page) {
  await page.goto(new URL('#/tracker', app.url).href);
  await page.locator('table.action-table tbody.action').first().waitFor();
  await page.waitForTimeout(100);
}

for (const [width, height, least] of [[1024, 768, 12], [768, 1024, 8]]) {
  test(`at ${width}×${height} the tracker is a table with at least ${least} rows in its first screen, sorted by a header, a status changed from the row and a row opened`, async () => {
    const { context, page, problems } = await openTablet(chromium.browser, app.url, { width, height });
    const data = fiftyLive();
    await seedBuckets(page, data);
    await tracker(page);
    await page.getByText('50 live actions').waitFor();
    const seen = await rowsInView(page);
    assert.ok(seen >= least, `${seen} rows in the first screen at 50 actions`);
    assert.equal(await page.locator('li.action').count(), 0, 'no cards on a tablet');
    assert.equal(await page.locator('details.filters-more').getAttribute('open'), null, 'the filters are one line');
    assert.deepEqual(await accessibilityViolations(page), [], 'the table');

    // The header stays in view while the rows scroll beneath it.
    await page.mouse.move(width / 2, height / 2);
    // (Scrolled on until it is well down: the next lines are drawn as the end comes near.)
    for (let turn = 0; turn < 10 && await page.locator('main').evaluate((m) => m.scrollTop) <= 300; turn += 1) {
      await page.mouse.wheel(0, 900);
      await page.waitForTimeout(100);
    }
    await page.waitForFunction(() => document.querySelector('main').scrollTop > 300);
    const header = await page.locator('table.action-table thead th').first().boundingBox();
    const top = await page.locator('main').boundingBox();
    assert.ok(Math.abs(header.y - top.y) <= 1, `the header at the top of the screen (${header.y}, the screen from ${top.y})`);
    await page.locator('main').evaluate((main) => { main.scrollTop = 0; });

    // A tap on a header sorts by it, and the address keeps it.
    const owners = () => page.locator('tbody.action td.col-owner').allInnerTexts();
    await page.getByRole('columnheader', { name: 'Owner' }).getByRole('button').tap();
    await page.waitForFunction(() => location.hash.includes('sort=owner'));
    await page.waitForFunction(() => document.querySelector('th.col-owner')?.getAttribute('aria-sort') === 'ascending');
    const sorted = await owners();
    assert.deepEqual(sorted, [...sorted].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)));
    assert.equal(await page.getByRole('columnheader', { name: 'Owner' }).getAttribute('aria-sort'), 'ascending');
    // A second tap on it turns the order round; the address keeps that too.
    await page.getByRole('columnheader', { name: 'Owner' }).getByRole('button').tap();
    await page.waitForFunction(() => location.hash.includes('order=reversed'));
    await page.waitForFunction(() => document.querySelector('th.col-owner')?.getAttribute('aria-sort') === 'descending');
    const reversed = await owners();
    assert.deepEqual(reversed, [...reversed].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? 1 : a.toLowerCase() > b.toLowerCase() ? -1 : 0)));
    assert.notDeepEqual(reversed, sorted, 'the other way round');
    // Another column starts in its own order: Due, soonest first, the address back to plain.
    await page.getByRole('columnheader', { name: 'Due' }).getByRole('button').tap();
    await page.waitForFunction(() => !location.hash.includes('sort=') && !location.hash.includes('order='));
    await page.waitForFunction(() => document.querySelector('th.col-due')?.getAttribute('aria-sort') === 'ascending');

    // The first row's status, changed from the row in one choice, is stored and stays chosen.
    const first = page.locator('tbody.action').first();
    const step = await first.locator('td.col-action .next-step').innerText();
    const id = data.actions.find((a) => a.next_step === step).id;
    const before = data.actions.find((a) => a.id === id).status;
    const to = before === 'waiting' ? 'Open' : 'Waiting';
    const box = first.getByLabel(`Status of: ${step}`);
    const shown = await box.evaluate((s) => s.selectedOptions[0].text);
    await box.focus(); // as a tap on it does
    await box.selectOption({ label: to });
    await page.getByRole('status').getByText(new RegExp(`${to === 'Open' ? 'Open' : 'Waiting on someone else'}`)).first().waitFor();
    await waitUntilSaved(page);
    const stored = (await storedRows(page)).actions.find((a) => a.id === id);
    assert.equal(stored.status, to === 'Open' ? 'open' : 'waiting');
    const row = page.locator('tbody.action').filter({ has: page.locator('td.col-action', { hasText: step }) });
    assert.equal(await row.getByLabel(`Status of: ${step}`).evaluate((s) => s.selectedOptions[0].text), to);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), `Status of: ${step}`, 'the focus stays on the row’s status');
    // Undo at the foot puts the row's status box back as it was, and the record.
    await page.locator('.foot').getByRole('button', { name: /^Undo/ }).tap();
    await page.waitForFunction(([step, shown]) => [...document.querySelectorAll('tbody.action')]
      .find((b) => b.querySelector('.next-step')?.textContent === step)?.querySelector('select.status-select').selectedOptions[0].text === shown, [step, shown]);
    await waitUntilSaved(page);
    assert.equal((await storedRows(page)).actions.find((a) => a.id === id).status, before, 'undone in the record');
    // Sorted by status, a changed row moves to its new place, and the focus goes with it.
    await page.getByRole('columnheader', { name: 'Status' }).getByRole('button').tap();
    await page.waitForFunction(() => location.hash.includes('sort=status'));
    // (Scrolled to the end of the first lines, so that the next status's lines are drawn too.)
    const firstLines = await page.locator('tbody.action').count();
    await page.locator('main').evaluate((m) => m.scrollTo(0, m.scrollHeight));
    await page.waitForFunction((n) => document.querySelectorAll('tbody.action').length > n, firstLines);
    const topRow = page.locator('tbody.action').first();
    const moving = await topRow.locator('td.col-action .next-step').innerText();
    const last = await page.locator('tbody.action').last().locator('select.status-select').evaluate((s) => s.selectedOptions[0].text);
    const moved = topRow.getByLabel(`Status of: ${moving}`);
    assert.notEqual(await moved.evaluate((s) => s.selectedOptions[0].text), last, 'the first and last rows differ in status');
    await moved.focus();
    await moved.selectOption({ label: last });
    await page.waitForFunction((moving) => document.querySelector('tbody.action .next-step')?.textContent !== moving, moving);
    await page.waitForFunction((moving) => document.activeElement?.getAttribute('aria-label') === `Status of: ${moving}`, moving);
    await page.locator('.foot').getByRole('button', { name: /^Undo/ }).tap();
    await page.waitForFunction((moving) => document.querySelector('tbody.action .next-step')?.textContent === moving, moving);
    await page.getByRole('columnheader', { name: 'Due' }).getByRole('button').tap();
    await page.waitForFunction(() => !location.hash.includes('sort='));
    // And the first change made again, for what follows.
    await box.selectOption({ label: to });
    await page.getByRole('status').getByText(new RegExp(`${to === 'Open' ? 'Open' : 'Waiting on someone else'}`)).first().waitFor();
    await waitUntilSaved(page);

    // The rest of the row is one tap away: the decision, Edit, history.
    await row.getByRole('button', { name: `Details of: ${step}` }).tap();
    const details = row.locator('tr.details-line');
    assert.match(await details.locator('.decision').innerText(), /^Decision: Decision \d+$/);
    await details.getByRole('button', { name: 'Edit' }).waitFor();
    await details.locator('summary', { hasText: 'History' }).waitFor();
    assert.equal(await row.getByRole('button', { name: `Details of: ${step}` }).getAttribute('aria-expanded'), 'true');
    assert.equal(await row.locator('button.more > span[aria-hidden="true"]').innerText(), '▴', 'the arrow turns, still hidden from a screen reader');
    const [line, table, action] = await row.locator('tr.action-line').evaluate((tr) => [tr.getBoundingClientRect().width,
      tr.closest('table').getBoundingClientRect().width, tr.querySelector('td.col-action').getBoundingClientRect().width]);
    assert.ok(Math.abs(line - table) < 1 && action > 100, `an opened line keeps the table's columns (line ${line}, table ${table}, action ${action} px)`);
    assert.deepEqual(await accessibilityViolations(page), [], 'a row opened');
    // A tap on the row itself (not on a control) closes it again.
    await row.locator('td.col-owner').tap();
    await details.waitFor({ state: 'detached' });
    assert.equal(await row.getByRole('button', { name: `Details of: ${step}` }).getAttribute('aria-expanded'), 'false');
    assert.equal(await row.locator('button.more > span[aria-hidden="true"]').innerText(), '▾');

    // Reloaded, the change is still there.
    await page.reload();
    await page.locator('tbody.action').first().waitFor();
    assert.equal(await page.locator('tbody.action').filter({ has: page.locator('td.col-action', { hasText: step }) })
      .getByLabel(`Status of: ${step}`).evaluate((s) => s.selectedOptions[0].text), to);
    assert.deepEqual(problems.console, []);
    await context.close();

    // At 3,000 actions the first screen is the same.
    const big = await openTablet(chromium.browser, app.url, { width, height });
    await seedRecord(big.page, { actions: 3000, pupils: 100 });
    await tracker(big.page);
    const many = await rowsInView(big.page);
    assert.ok(many >= least, `${many} rows in the first screen at 3,000 actions`);
    const drawn = await big.page.locator('tbody.action').count();
    assert.ok(drawn >= many && drawn < 40, `${drawn} lines drawn: a screenful at a time, not all 3,000`);
    await big.context.close();
  });
}

test('on a phone the tracker keeps its cards, each with its five statuses', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url, { width: 360, height: 740 });
  await seedBuckets(page, fiftyLive());
  await page.goto(new URL('#/tracker', app.url).href);
  await page.locator('li.action').first().waitFor();
  assert.equal(await page.locator('table.action-table').count(), 0);
  assert.equal(await page.locator('li.action').first().getByRole('group', { name: /^Status of: / }).getByRole('button').count(), 5);
  assert.deepEqual(problems.console, []);
  await context.close();
});


for (const [width, height] of [[1024, 768], [768, 1024], [360, 740]]) {
  test(`at ${width}×${height} the bulk change and the Undo stay at the foot of the screen, over nothing, wherever the list is scrolled`, async () => {
    const { context, page, problems } = await openTablet(chromium.browser, app.url, { width, height });
    const data = fiftyLive();
    await seedBuckets(page, data);
    await page.goto(new URL('#/tracker', app.url).href);
    await page.getByText('50 live actions').waitFor();
    const ticks = page.getByRole('checkbox', { name: /^Select: / });
    const ticked = [];
    for (const n of [0, 1]) {
      ticked.push((await ticks.nth(n).getAttribute('aria-label')).replace(/^Select: /, ''));
      await ticks.nth(n).check();
    }
    const bar = page.getByRole('region', { name: 'Change selected actions' });
    await bar.getByText('2 selected').waitFor();
    assert.equal(await bar.getByLabel('Set status').inputValue(), '', 'the bulk change starts on a choice, not on a status');
    assert.deepEqual(await accessibilityViolations(page), [], 'the tracker with the bulk change at its foot');

    // Scrolled to the foot of the page of rows (then back to the first row wholly below the
    // table's header, so that no row lies half under it), the bar is still in view, beneath
    // the list.
    await page.locator('main').evaluate((main) => {
      main.scrollTop = main.scrollHeight;
      // The header's cells are what stays in view (cards on a phone have none).
      const head = main.querySelector('thead th');
      const edge = head ? head.getBoundingClientRect().bottom : main.getBoundingClientRect().top;
      const row = [...main.querySelectorAll('.action')].find((r) => r.getBoundingClientRect().top >= edge - 1);
      if (row) main.scrollTop -= edge - row.getBoundingClientRect().top;
    });
    await page.waitForFunction(() => document.querySelector('main').scrollTop > 300);
    const inView = async (locator) => {
      const [box, screen, menu] = await Promise.all([locator.boundingBox(), page.locator('main').boundingBox(), page.getByRole('navigation', { name: 'Main' }).boundingBox()]);
      assert.ok(box.y >= screen.y + screen.height - 1, `beneath the screen's rows, not over them (${box.y} against ${screen.y + screen.height})`);
      const floor = width < 700 ? menu.y : height;
      assert.ok(box.y + box.height <= floor + 1, `wholly in view, above the menu on a phone (${box.y + box.height} against ${floor})`);
    };
    await inView(bar);
    // The foot alone once scrolled: axe counts a row half under the table's sticky header (its
    // hidden half clipped by the scrolling screen) as a target too small, wherever it is.
    assert.deepEqual(await accessibilityViolations(page, { include: '.foot' }), [], 'the bulk change at the foot, scrolled');

    // Applied from there: the list stays where it was (the two lines that leave it were above
    // the screen), and its Undo is at the foot.
    const firstInView = () => page.locator('main').evaluate((main) => {
      const head = main.querySelector('thead th');
      const edge = head ? head.getBoundingClientRect().bottom : main.getBoundingClientRect().top;
      const row = [...main.querySelectorAll('.action')].find((r) => r.getBoundingClientRect().top >= edge - 1);
      return row?.querySelector('input[type=checkbox]')?.getAttribute('aria-label');
    });
    const before = await firstInView();
    assert.ok(before, 'a line at the top of the screen');
    await bar.getByLabel('Set status').selectOption({ label: 'Parked' });
    await bar.getByRole('button', { name: 'Apply status' }).tap();
    const undo = page.getByRole('button', { name: 'Undo: Status set to Parked for 2 actions' });
    await undo.waitFor();
    await bar.waitFor({ state: 'detached' });
    await inView(undo);
    assert.ok(await page.locator('main').evaluate((m) => m.scrollTop) > 0, 'the list was not sent back to its top');
    assert.equal(await firstInView(), before, 'the line at the top of the screen is still there');
    await waitUntilSaved(page);
    const parked = (await storedRows(page)).actions.filter((a) => ticked.includes(a.next_step));
    assert.deepEqual(parked.map((a) => a.status), ['parked', 'parked']);
    assert.deepEqual(await accessibilityViolations(page, { include: '.foot' }), [], 'the Undo at the foot, scrolled');

    // Undo, at the foot, takes both back.
    await undo.tap();
    await page.getByRole('status').getByText(/^Undone/).waitFor();
    await waitUntilSaved(page);
    const back = (await storedRows(page)).actions.filter((a) => ticked.includes(a.next_step));
    assert.deepEqual(back.map((a) => a.status).sort(), data.actions.filter((a) => ticked.includes(a.next_step)).map((a) => a.status).sort());
    assert.deepEqual(problems.console, []);
    await context.close();
  });
}

test('a name, step or owner with <, &, quotes or apostrophes shows in its line as typed, never as markup', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url, { width: 1024, height: 768 });
  const data = fiftyLive();
  const odd = data.actions[0];
  const pupil = data.pupils.find((p) => p.id === odd.pupil);
  pupil.name = `O'Brien <b>Bold</b> & "Co"`;
  odd.next_step = `Check <img src=x onerror="window.__hit=1"> & the "plan" isn't <i>late</i>`;
  odd.owner = `Mr <script>Smith</script> & Ms 'Jones'`;
  odd.due = iso(-30); // the first line by due date
  await seedBuckets(page, data);
  await tracker(page);
  const line = page.locator('tbody.action').first().locator('tr.action-line');
  assert.equal(await line.locator('.next-step').innerText(), odd.next_step);
  assert.equal(await line.locator('.pupil-name').innerText(), pupil.name);
  assert.equal(await line.locator('td.col-owner').innerText(), odd.owner);
  assert.equal(await line.locator('select.status-select').getAttribute('aria-label'), `Status of: ${odd.next_step}`);
  assert.equal(await line.locator('input.select').getAttribute('aria-label'), `Select: ${odd.next_step}`);
  assert.equal(await line.locator('b, i, img, script').count(), 0, 'no markup from the record');
  assert.equal(await page.evaluate(() => window.__hit), undefined, 'nothing in the record ran');
  // Its details open from its own button, named by the step as typed.
  await page.getByRole('button', { name: `Details of: ${odd.next_step}` }).tap();
  await page.locator('tbody.action').first().locator('tr.details-line').waitFor();
  assert.deepEqual(problems.console, []);
  await context.close();
});

/** What each line of the table shows: its words, labels, marks, status, tick and details. */
const linesShown = (page) => page.evaluate(() => [...document.querySelectorAll('table.action-table tbody.action')].map((body) => {
  const line = body.querySelector('tr.action-line');
  const hidden = (selector) => line.querySelector(selector)?.hidden ?? null;
  return {
    class: body.className,
    cells: [...line.querySelectorAll('td')].map((td) => td.innerText.trim()),
    labels: [...line.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label')),
    href: line.querySelector('a.pupil').getAttribute('href'),
    badges: line.querySelector('.badges').innerHTML,
    hidden: ['.badges', '.note.statutory-missed', '.overdue-days'].map(hidden),
    status: line.querySelector('select.status-select').value,
    controls: line.querySelector('button.more').getAttribute('aria-controls'),
    ticked: line.querySelector('input.select')?.checked ?? null,
    open: line.querySelector('button.more').getAttribute('aria-expanded'),
    details: body.querySelector('tr.details-line .decision')?.innerText ?? null,
  };
}));

/** The lines once they have stopped changing. */
async function settledLines(page) {
  let before = await linesShown(page);
  for (;;) {
    await page.waitForTimeout(150);
    const now = await linesShown(page);
    if (JSON.stringify(now) === JSON.stringify(before)) return now;
    before = now;
  }
}

test('a search rewrites the lines already drawn, and each then shows exactly what a line drawn afresh shows, the details following their action and no tick left', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url, { width: 1024, height: 768 });
  const data = fiftyLive();
  // Statutory steps, one of them past its deadline; the rest of the marks are fiftyLive's own.
  for (const [i, review] of [[1, iso(-20)], [6, iso(40)]]) Object.assign(data.actions[i], { statutory: { review, step: 'report' } });
  await seedBuckets(page, data);
  await tracker(page);
  // A line ticked and another opened, with the lines' elements marked to see them kept.
  const lines = page.locator('tbody.action');
  await lines.nth(1).locator('input.select').check();
  await lines.nth(2).locator('button.more').tap();
  await lines.nth(2).locator('tr.details-line').waitFor();
  const opened = (await linesShown(page))[2];
  await page.evaluate(() => document.querySelectorAll('tbody.action').forEach((b, i) => { b.dataset.kept = String(i); }));
  const kept = () => page.evaluate(() => [...document.querySelectorAll('tbody.action')].filter((b) => b.dataset.kept).length);
  let stayed = (await linesShown(page)).length;

  const box = page.getByRole('search', { name: 'Filter the tracker' }).getByLabel('Search');
  // What each place showed, to see that marks came and went as the lines changed hands.
  const marks = [(await linesShown(page)).map((line) => line.hidden.join())];
  let openSeen = 0;
  for (const query of ['Book', 'ü', 'Decision 1', 'the', 'zzz']) {
    await box.fill('');
    await box.pressSequentially(query, { delay: 30 });
    const shown = await settledLines(page);
    // The same lines, rewritten where they are: those still needed are kept, not drawn again.
    stayed = Math.min(stayed, shown.length);
    assert.equal(await kept(), stayed, `"${query}": the lines kept, not drawn again`);
    // A new search starts with nothing ticked (the line that held the tick keeps none), and
    // the opened action keeps its details wherever it now is.
    for (const line of shown) {
      assert.equal(line.ticked, false, `"${query}": nothing ticked`);
      assert.equal(line.open === 'true', line.controls === opened.controls, `"${query}": only the opened action is open`);
      assert.equal(line.details !== null, line.open === 'true');
      openSeen += line.open === 'true';
    }
    marks.push(shown.map((line) => line.hidden.join()));
    // Drawn afresh from the same address, every line shows the same (but the tick and the
    // details, which a new screen starts without). (The search box left, the address has it.)
    await box.blur();
    const fresh = await context.newPage();
    await fresh.goto(page.url());
    if (shown.length) await fresh.locator('tbody.action').first().waitFor();
    else await fresh.getByText('0 live actions').waitFor();
    const afresh = await settledLines(fresh);
    const plain = (line) => ({ ...line, ticked: null, open: null, details: null, class: line.class.replace(' open', ''), cells: line.cells.map((c) => c.replace('▴', '▾')) });
    assert.deepEqual(shown.map(plain), afresh.map(plain), `"${query}": rewritten lines as drawn afresh`);
    await fresh.close();
  }
  assert.ok(openSeen > 0, 'the opened action was among the lines of a later search');
  const changed = marks.slice(1).some((now, n) => now.some((m, at) => marks[n][at] !== undefined && marks[n][at] !== m));
  assert.ok(changed, 'a line gained or lost a badge, a missed deadline or days overdue');
  assert.deepEqual(problems.console, []);
  await context.close();
});
