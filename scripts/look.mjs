// Screenshots of every screen at the three sizes the app is held at (issue 22, point 5): a
// tablet upright (768×1024), sideways (1024×768) and a phone (360×740), with the example
// record, for a person to look at. From the built app (./scripts/serve's build, or
// trunk build --release --offline):
//   node scripts/look.mjs [folder]        (default: look/, which git ignores)
// The pictures show the fictional example record only: never a real pupil.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { serveApp, startBrowser, storedRows } from '../tests/browser/support.mjs';

const out = resolve(process.argv[2] ?? 'look');
const SIZES = [[768, 1024], [1024, 768], [360, 740]];
const SCREENS = [['home', '#/'], ['tracker', '#/tracker'], ['review', '#/review'], ['pupils', '#/pupils'],
  ['archive', '#/archive'], ['share', '#/share'], ['settings', '#/settings']];

await mkdir(out, { recursive: true });
const app = await serveApp();
const { browser, close } = await startBrowser();
for (const [width, height] of SIZES) {
  const context = await browser.newContext({ viewport: { width, height }, hasTouch: true, locale: 'en-GB', serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Load the example record' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved on this device' }).waitFor();
  const rows = await storedRows(page);
  const pupil = rows.pupils.find((p) => rows.actions.some((a) => a.pupil === p.id)) ?? rows.pupils[0];
  const meeting = rows.meetings?.[0];
  const screens = [...SCREENS, ['pupil', `#/pupil/${pupil.id}`], ...(meeting ? [['meeting', `#/meeting/${meeting.id}`]] : [])];
  for (const [name, route] of screens) {
    await page.goto(new URL(route, app.url).href);
    await page.locator('main h2').first().waitFor();
    await page.waitForTimeout(300);
    const path = `${out}/${width}x${height}-${name}.png`;
    await page.screenshot({ path });
    console.log(path);
  }
  // The tracker with a row's details open, where the tracker is a table.
  if (width >= 700) {
    await page.goto(new URL('#/tracker', app.url).href);
    await page.locator('.action').first().waitFor();
    await page.locator('.action button.more').first().click();
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${out}/${width}x${height}-tracker-details.png` });
  }
  // Two rows ticked, the list scrolled on: the bulk change stays at the foot; then a status
  // changed, and its Undo there.
  await page.goto(new URL('#/tracker', app.url).href);
  await page.locator('input.select').nth(1).waitFor();
  await page.locator('input.select').nth(0).check();
  await page.locator('input.select').nth(1).check();
  await page.locator('main').evaluate((main) => { main.scrollTop = main.scrollHeight; });
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${out}/${width}x${height}-tracker-bulk.png` });
  await page.getByLabel('Set status').selectOption({ label: 'In progress' });
  await page.getByRole('button', { name: 'Apply status' }).click();
  await page.getByRole('button', { name: /^Undo/ }).waitFor();
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${out}/${width}x${height}-tracker-undo.png` });
  await context.close();
}
await close();
await app.close();
