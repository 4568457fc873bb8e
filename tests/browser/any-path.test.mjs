// The built app works unchanged at any path of a host (issue 18, point 1): served from
// /sendlog/ (a GitHub Pages project site, a folder of the school's website) it runs the first
// run, the example, a reload, an offline cold start and the update offer; two copies at two
// paths of one origin keep their records, notes and caches apart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  serveApp, startBrowser, openTablet, accessibilityViolations, waitUntilSaved, untilOfflineReady, addPupilAndAction, seedRecord,
} from './support.mjs';

let chromium;
before(async () => { chromium = await startBrowser(); });
after(async () => { await chromium?.close(); });

test('served from /sendlog/, the app runs, reloads, starts offline and offers an update there', async () => {
  const app = await serveApp({ at: ['/sendlog/'] });
  assert.equal((await fetch(app.url.replace('/sendlog/', '/'))).status, 404, 'nothing is served at the root');
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await page.getByRole('button', { name: 'Load the example record' }).tap();
  await waitUntilSaved(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tracker', exact: true }).tap();
  assert.match(page.url(), /\/sendlog\/#\/tracker$/);
  await page.locator('.action').first().waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], 'axe: the tracker at /sendlog/');
  await page.reload();
  await page.locator('.action').first().waitFor();

  // Its service worker is scoped to the folder, its cache named after it, its manifest relative.
  await untilOfflineReady(page);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
  assert.equal(scope, app.url);
  const cachesNow = await page.evaluate(() => caches.keys());
  assert.equal(cachesNow.length, 1);
  assert.match(cachesNow[0], /^sendlog@\/sendlog\/-[0-9a-f]{1,16}$/);
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifestUrl = new URL(manifestHref, app.url);
  const manifest = await (await fetch(manifestUrl)).json();
  assert.equal(new URL(manifest.start_url, manifestUrl).href, app.url);
  assert.equal(new URL(manifest.scope, manifestUrl).href, app.url);
  for (const icon of manifest.icons) {
    assert.equal((await fetch(new URL(icon.src, manifestUrl))).status, 200, icon.src);
  }

  // The update offer, then the server gone: a cold start in a new page, offline.
  app.rewrite((path, body) => (path === '/sw.js' ? Buffer.from(body.toString().replace("const VERSION = '", "const VERSION = 'next-")) : body));
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  const offer = page.getByRole('status').filter({ hasText: 'A new version of SEND Log is ready.' });
  await offer.waitFor();
  await Promise.all([page.waitForEvent('framenavigated'), offer.getByRole('button', { name: 'Reload to update' }).tap()]);
  await page.locator('.action').first().waitFor();
  await page.waitForFunction(async () => (await caches.keys()).every((k) => k.startsWith('sendlog@/sendlog/-next-')));
  await app.close();
  await page.close();
  const cold = await context.newPage();
  await cold.goto(app.url + '#/tracker');
  await cold.locator('.action').first().waitFor();
  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.foreign, []);
  await context.close();
});

test("served from a folder, the page's first read of the record reads that copy's own database", async () => {
  const app = await serveApp({ at: ['/trust/ysgol/'] });
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await seedRecord(page, { actions: 3000, pupils: 120, database: 'sendlog@/trust/ysgol/' });
  assert.equal(await page.evaluate(() => performance.getEntriesByName('sendlog:first-read-taken').length), 1);
  await page.goto(`${app.url}#/tracker`);
  await page.locator('.count', { hasText: 'live actions' }).waitFor();
  assert.doesNotMatch(await page.locator('.count').innerText(), /^0 /);
  assert.deepEqual(problems.console, []);
  await context.close();
  await app.close();
});

test('two copies at two paths of one origin keep their records, notes and caches apart', async () => {
  const app = await serveApp({ at: ['/school-a/', '/school-b/'] });
  const [a, b] = app.urls;
  const { context, page, problems } = await openTablet(chromium.browser, a);
  await addPupilAndAction(page, 'Zoë Brown', 'Send the sleep diary home');
  await untilOfflineReady(page);
  await page.getByLabel('Issue or decision').fill('A draft typed at school A');

  const other = await context.newPage();
  await other.goto(b);
  await other.getByText('No actions yet').waitFor();
  await addPupilAndAction(other, 'Siân Ó Briain', 'Book the speech and language review');
  await untilOfflineReady(other);
  assert.equal(await other.getByLabel('Issue or decision').inputValue(), '', "A's draft is not B's");
  assert.equal(await other.getByText('Send the sleep diary home').count(), 0);

  // Each reloads to its own record; neither deleted the other's cache.
  await page.reload();
  await page.locator('.action .next-step', { hasText: 'Send the sleep diary home' }).waitFor();
  assert.equal(await page.getByText('Book the speech and language review').count(), 0);
  assert.equal(await page.getByLabel('Issue or decision').inputValue(), 'A draft typed at school A');
  const names = await page.evaluate(() => caches.keys());
  assert.equal(names.filter((k) => k.startsWith('sendlog@/school-a/-')).length, 1, names.join(', '));
  assert.equal(names.filter((k) => k.startsWith('sendlog@/school-b/-')).length, 1, names.join(', '));
  const databases = (await page.evaluate(() => indexedDB.databases())).map((d) => d.name).sort();
  assert.deepEqual(databases, ['sendlog@/school-a/', 'sendlog@/school-b/']);
  // Both may write: each holds its own lock.
  await page.getByLabel('Action', { exact: true }).fill('Second action at A');
  await page.getByLabel('Owner', { exact: true }).fill('Parent');
  await page.getByRole('button', { name: '+1 week' }).tap();
  await page.getByRole('button', { name: 'Add action' }).tap();
  await waitUntilSaved(page);
  assert.deepEqual(problems.console, []);
  await context.close();
  await app.close();
});
