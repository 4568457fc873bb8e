// Takes the screenshots the install sheet shows (public/screenshots/*.png, named in the manifest)
// from the built app with the example record, in headless Chromium. Run it again after the
// screens change: ./scripts/serve's build (or trunk build --release --offline), then
//   node scripts/screenshots.mjs
// The pictures show the fictional example record only: never a real pupil.
import { fileURLToPath } from 'node:url';
import { serveApp, startBrowser } from '../tests/browser/support.mjs';

const out = fileURLToPath(new URL('../public/screenshots/', import.meta.url));
// Wide for a tablet held sideways (and the desktop install sheet), narrow for one held upright.
const shots = [
  ['tracker-wide.png', { width: 1280, height: 800 }, '#/tracker'],
  ['review-narrow.png', { width: 768, height: 1024 }, '#/review'],
];

const app = await serveApp();
const { browser, close } = await startBrowser();
for (const [name, viewport, route] of shots) {
  const context = await browser.newContext({ viewport, locale: 'en-GB', serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Load the example record' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved on this device' }).waitFor();
  await page.goto(new URL(route, app.url).href);
  await page.locator('li.action').first().waitFor();
  await page.screenshot({ path: `${out}${name}` });
  await context.close();
  console.log(`${name} ${viewport.width}x${viewport.height}`);
}
await close();
await app.close();
