// Offline and installed: the app cold-starts with the server gone, offers (never forces) a new
// version, talks to no other origin, and can be installed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  serveApp, startBrowser, openTablet, accessibilityViolations, waitUntilSaved, untilOfflineReady, openAddForm } from './support.mjs';

let chromium;
before(async () => { chromium = await startBrowser(); });
after(async () => { await chromium?.close(); });

async function addAction(page, step, owner) {
  await page.getByLabel('Action', { exact: true }).fill(step);
  await page.getByLabel('Owner', { exact: true }).fill(owner);
  await page.getByRole('button', { name: '+1 week' }).tap();
  await page.getByRole('button', { name: 'Add action' }).tap();
  await page.locator('.action .next-step', { hasText: step }).waitFor();
  await waitUntilSaved(page);
}

test('opened once, the app cold-starts with the server gone and keeps working', async () => {
  const app = await serveApp();
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await untilOfflineReady(page);
  await page.getByLabel('Name', { exact: true }).fill('Rhys Evans');
  await page.getByRole('button', { name: 'Add pupil' }).tap();
  await addAction(page, 'Send the sleep diary to the SENCO', 'Parent');

  await app.close();
  await assert.rejects(fetch(app.url), 'the server is really gone');

  await page.reload();
  await page.locator('.action .next-step', { hasText: 'Send the sleep diary to the SENCO' }).waitFor();

  // A cold start in a new page, with no network (the first page closed, as when the app is
  // opened again later).
  await page.close();
  const cold = await context.newPage();
  cold.on('console', (msg) => { if (msg.type() === 'error') problems.console.push(msg.text()); });
  cold.on('pageerror', (error) => problems.console.push(String(error)));
  await cold.goto(app.url);
  await cold.locator('.action .next-step', { hasText: 'Send the sleep diary to the SENCO' }).waitFor();
  await openAddForm(cold);
  await cold.getByLabel('Pupil', { exact: true }).selectOption({ label: 'Rhys Evans (Year 7)' });
  await addAction(cold, 'Book the review meeting with the parent', 'SENCO');
  await cold.reload();
  await cold.locator('.action .next-step', { hasText: 'Book the review meeting with the parent' }).waitFor();
  assert.equal(await cold.locator('.action').count(), 2, 'both actions, the one added offline too');
  await cold.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tracker' }).tap();
  await cold.getByText('2 live actions').waitFor();

  assert.deepEqual(problems.console, [], 'no errors, offline either');
  assert.deepEqual(problems.foreign, [], 'no request to any other origin');
  await context.close();
});

test('a new version is offered, never forced: it waits for the tap, and the old cache goes', async () => {
  const app = await serveApp();
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await untilOfflineReady(page);
  const firstCaches = await page.evaluate(() => caches.keys());
  assert.equal(firstCaches.length, 1);
  assert.match(firstCaches[0], /^sendlog-[0-9a-f]{1,16}$/, 'the cache is named from the build');

  // Someone is typing when the new build arrives.
  await page.evaluate(() => { window.stillThisPage = true; });
  await page.getByLabel('Issue or decision').fill('Half-typed decision');
  app.rewrite((path, body) => (path === '/sw.js' ? Buffer.from(body.toString().replace("const VERSION = '", "const VERSION = 'next-")) : body));
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));

  const offer = page.getByRole('status').filter({ hasText: 'A new version of SEND Log is ready.' });
  await offer.waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], 'the update offer');
  await page.waitForTimeout(1500);
  assert.equal(await page.evaluate(() => window.stillThisPage), true, 'no reload by itself');
  assert.equal(await page.getByLabel('Issue or decision').inputValue(), 'Half-typed decision');

  await Promise.all([
    page.waitForEvent('framenavigated'),
    offer.getByRole('button', { name: 'Reload to update' }).tap(),
  ]);
  await page.getByRole('heading', { name: 'Add an action' }).waitFor();
  assert.equal(await page.evaluate(() => window.stillThisPage), undefined, 'reloaded once asked');
  await page.waitForFunction(async () => (await caches.keys()).every((k) => k.startsWith('sendlog-next-')));
  assert.equal(await offer.count(), 0, 'the offer is gone once taken');
  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.foreign, []);
  await context.close();
  await app.close();
});

test('the app is installable: manifest, icons, and a policy that allows only its own origin', async () => {
  const app = await serveApp();
  const { context, page } = await openTablet(chromium.browser, app.url);
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = await (await fetch(new URL(manifestHref, app.url))).json();
  assert.equal(manifest.name, 'SEND Log');
  assert.equal(manifest.short_name, 'SEND Log');
  assert.equal(manifest.display, 'standalone');
  assert.equal(new URL(manifest.start_url, new URL(manifestHref, app.url)).href, app.url);
  assert.equal(new URL(manifest.scope, new URL(manifestHref, app.url)).href, app.url);
  assert.match(manifest.description, /SEND action log and live tracker/);
  assert.deepEqual(manifest.categories, ['education', 'productivity']);
  // No fixed id: a relative id is resolved against the origin alone, so two copies at two paths
  // of one host would be one app. The id is then the start URL, which is each copy's own.
  assert.equal(manifest.id, undefined);
  assert.match(manifest.theme_color, /^#[0-9a-f]{6}$/);
  assert.match(manifest.background_color, /^#[0-9a-f]{6}$/);
  const pngSize = async (href) => {
    const bytes = Buffer.from(await (await fetch(new URL(href, app.url))).arrayBuffer());
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG', `${href} is a PNG`);
    return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
  };
  const icons = manifest.icons.map((i) => [i.sizes, i.purpose]);
  assert.deepEqual(icons, [['192x192', 'any'], ['512x512', 'any'], ['512x512', 'maskable']]);
  for (const icon of manifest.icons) {
    assert.equal(await pngSize(new URL(icon.src, new URL(manifestHref, app.url)).href), icon.sizes);
  }
  assert.equal(await pngSize(await page.locator('link[rel="apple-touch-icon"]').getAttribute('href')), '180x180');
  // What the install sheet shows: a picture of the app held each way, each its stated size.
  assert.deepEqual(manifest.screenshots.map((s) => s.form_factor), ['wide', 'narrow']);
  for (const shot of manifest.screenshots) {
    assert.equal(await pngSize(new URL(shot.src, new URL(manifestHref, app.url)).href), shot.sizes);
    assert.ok(shot.label.length > 20, 'a label says what it shows');
  }

  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(policy, /default-src 'self'/);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  assert.doesNotMatch(policy, /https?:|\*|unsafe-inline/, 'no other origin, no inline code but the hashed loader');
  const blocked = await page.evaluate(() => fetch('http://example.invalid/').then(() => 'fetched', (e) => e.message));
  assert.notEqual(blocked, 'fetched');
  await context.close();
  await app.close();
});

test('settings say how to install and whether storage is persistent, with no accessibility violations', async () => {
  const app = await serveApp();
  for (const viewport of [{ width: 768, height: 1024 }, { width: 360, height: 740 }]) {
    const { context, page } = await openTablet(chromium.browser, app.url, viewport);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).tap();
    await page.getByRole('heading', { name: 'Install SEND Log' }).waitFor();
    await page.getByRole('heading', { name: 'Install it on this computer (Chrome or Edge)' }).waitFor();
    await page.getByText('Installing on another kind of device').tap();
    await page.getByRole('heading', { name: 'iPad or iPhone (Safari)' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Add to Home Screen/);
    assert.match(await page.locator('main').innerText(), /Firefox/);
    const storage = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Storage on this device' }) });
    await storage.getByText('Persistent storage', { exact: true }).waitFor();
    assert.match(await storage.innerText(), /Granted|Not granted/);
    assert.match(await storage.innerText(), /Space used\s+\d+(\.\d)? MB of \d+ MB/);
    assert.deepEqual(await accessibilityViolations(page), [], `settings at ${viewport.width}px`);
    await context.close();
  }
  await app.close();
});
