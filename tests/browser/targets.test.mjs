// Every control a finger can hit, on every screen, on a tablet held either way and on a phone
// (issue 22, points 2, 4 and 5): at least 44×44 px; the menu in one row on a tablet and a bar at
// the foot of a phone; the change to ticked rows starting on a choice; the layout holding at
// 200% text; axe clean at each size.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveApp, startBrowser, openTablet, accessibilityViolations, waitUntilSaved, storedRows, sideways } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const SIZES = [[768, 1024], [1024, 768], [360, 740]];
const SCREENS = ['#/', '#/tracker', '#/review', '#/pupils', '#/archive', '#/share', '#/settings'];

/** The visible controls smaller than 44×44 px, tick boxes included; a link inside a sentence is
 * exempt (WCAG 2.2, 2.5.8). */
const tooSmall = (page) => page.evaluate(() => [...document.querySelectorAll('a, button, input, select, textarea, summary')]
  .filter((e) => (e.offsetParent !== null || getComputedStyle(e).position === 'fixed') && getComputedStyle(e).visibility !== 'hidden')
  .filter((e) => !(e.tagName === 'A' && e.closest('p, li.event')))
  .map((e) => {
    const r = e.getBoundingClientRect();
    const name = e.labels?.[0]?.innerText || e.innerText || e.value || e.getAttribute('aria-label') || '';
    return { what: `${e.tagName.toLowerCase()}${e.type ? `[${e.type}]` : ''} "${name.trim().slice(0, 40)}"`, w: r.width, h: r.height, min: 44 };
  })
  .filter((x) => x.w > 0 && (x.w < x.min - 0.5 || x.h < x.min - 0.5))
  .map((x) => `${x.what} ${Math.round(x.w)}×${Math.round(x.h)}`));

async function withExample(width, height) {
  const opened = await openTablet(chromium.browser, app.url, { width, height });
  await opened.page.getByRole('button', { name: 'Load the example record' }).tap();
  await waitUntilSaved(opened.page);
  return opened;
}

async function show(page, route) {
  await page.goto(new URL(route, app.url).href);
  await page.locator('main h2').first().waitFor();
  await page.waitForTimeout(200);
}

for (const [width, height] of SIZES) {
  test(`at ${width}×${height} every control on every screen is at least 44 px, the menu is where a finger is, and axe finds nothing`, async () => {
    const { context, page, problems } = await withExample(width, height);
    const rows = await storedRows(page);
    const screens = [...SCREENS, `#/pupil/${rows.pupils[0].id}`];
    for (const route of screens) {
      await show(page, route);
      assert.deepEqual(await tooSmall(page), [], `controls under 44 px on ${route}`);
      assert.deepEqual(await accessibilityViolations(page), [], `axe on ${route} at ${width}×${height}`);
      const overflow = await sideways(page);
      assert.ok(overflow <= 0, `no sideways scrolling on ${route} (${overflow}px)`);
    }
    // The menu: one row on a tablet, a bar at the foot of a phone; the current screen marked.
    const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
    const boxes = await links.evaluateAll((all) => all.map((a) => a.getBoundingClientRect().toJSON()));
    assert.equal(boxes.length, 7);
    if (width >= 700) {
      assert.equal(new Set(boxes.map((b) => Math.round(b.top))).size, 1, 'one row');
      assert.ok(boxes.every((b) => b.right <= width), 'every link in view');
    } else {
      const bar = await page.getByRole('navigation', { name: 'Main' }).boundingBox();
      assert.equal(Math.round(bar.y + bar.height), height, 'at the foot of the screen');
    }
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).locator('[aria-current="page"]').innerText(), 'Pupils');
    assert.deepEqual(problems.console, []);
    await context.close();
  });
}

test('the change to ticked rows starts on no status, so Apply alone changes nothing', async () => {
  const { context, page, problems } = await withExample(768, 1024);
  await show(page, '#/tracker');
  const before = (await storedRows(page)).actions.map((a) => a.status);
  await page.locator('.action input.select').nth(3).check();
  assert.equal(await page.getByLabel('Set status').inputValue(), '', 'no status chosen yet');
  await page.getByRole('button', { name: 'Apply status' }).tap();
  await page.getByText('Choose the status first.').waitFor();
  assert.deepEqual((await storedRows(page)).actions.map((a) => a.status), before, 'nothing changed');
  assert.deepEqual(await accessibilityViolations(page), [], 'the change to ticked rows');
  assert.deepEqual(problems.console, []);
  await context.close();
});

test('at 200% text every screen still fits a tablet held upright, with nothing to scroll sideways', async () => {
  const { context, page } = await withExample(768, 1024);
  for (const route of SCREENS) {
    await show(page, route);
    await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
    const overflow = await sideways(page);
    assert.ok(overflow <= 0, `no sideways scrolling at 200% on ${route} (${overflow}px)`);
  }
  await context.close();
});
