// The service worker cannot strand the app: a new build is kept only when every file of it
// arrives whole from the server and is what its name says; the old build's files stay until the
// new ones are complete and in control; Settings can fetch the app again; and a new version is
// offered even when the record cannot be opened. `rewrite` stands for the host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  serveApp, startBrowser, openTablet, accessibilityViolations, waitUntilSaved, storeInPage, storedBuckets, untilOfflineReady, addPupilAndAction, openAddForm } from './support.mjs';

let chromium;
before(async () => { chromium = await startBrowser(); });
after(async () => { await chromium?.close(); });

/** The next build's service worker: the same files under a new version (`sendlog-next-…`). */
function nextWorker(body, prefix = '') {
  return Buffer.from(prefix + body.toString().replace("const VERSION = '", "const VERSION = 'next-"));
}

/** The next build's page: the same, marked so that a test can tell it from the first. */
function nextPage(body) {
  return Buffer.from(body.toString().replace('</body>', '<!-- the next build --></body>'));
}

/**
 * In the page: has the browser look for a new version, and waits until the new worker is
 * installed (waiting) or has failed (redundant). Says which, and whether one is waiting.
 */
function tryUpdate(page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    let worker = registration.installing ?? registration.waiting;
    if (!worker) {
      const found = new Promise((resolve) => registration.addEventListener('updatefound', () => resolve(registration.installing), { once: true }));
      await registration.update().catch(() => {});
      worker = registration.installing ?? registration.waiting ?? await found;
    }
    await new Promise((resolve) => {
      const settled = () => ['installed', 'activated', 'redundant'].includes(worker.state);
      if (settled()) resolve();
      else worker.addEventListener('statechange', () => { if (settled()) resolve(); });
    });
    return { state: worker.state, waiting: registration.waiting !== null };
  });
}

const cacheNames = (page) => page.evaluate(() => caches.keys());

function watch(page, problems) {
  page.on('console', (msg) => { if (msg.type() === 'error') problems.console.push(msg.text()); });
  page.on('pageerror', (error) => problems.console.push(String(error)));
}

const ERROR_PAGE = { status: 200, type: 'text/html; charset=utf-8', body: '<!DOCTYPE html><html lang="en"><title>Not found</title><h1>Sorry, that page does not exist</h1></html>' };

/** Hosts part-way through uploading the next build: what each serves instead of a file, if anything. */
const BROKEN_HOSTS = [
  ['answers its .wasm with an HTML error page', (path) => (path.endsWith('.wasm') ? ERROR_PAGE : undefined)],
  ['answers its .wasm with a 404', (path) => (path.endsWith('.wasm') ? { status: 404, type: 'text/plain', body: 'not found' } : undefined)],
  ['serves its script as a web page (a host that answers every address with its page)', (path) => (path.endsWith('.js') && path !== '/sw.js' ? ERROR_PAGE : undefined)],
  ['serves a page from yet another build, asking for a script this one does not have', (path, body) => (path === '/' || path === '/index.html'
    ? Buffer.from(body.toString().replace(/sendlog-[0-9a-f]{1,16}\.js/g, 'sendlog-0000000000000000.js'))
    : undefined)],
];

for (const [host, broken] of BROKEN_HOSTS) {
  test(`a new build is not installed from a host that ${host}: the app goes on working offline`, async () => {
    const app = await serveApp();
    const { context, page, problems } = await openTablet(chromium.browser, app.url);
    await untilOfflineReady(page);
    await addPupilAndAction(page, 'Rhys Evans', 'Send the sleep diary to the SENCO');
    const first = await cacheNames(page);
    assert.equal(first.length, 1);

    // The new build is half uploaded: its service worker is there, the rest is not right.
    app.rewrite((path, body) => (path === '/sw.js' ? nextWorker(body) : broken(path, body) ?? body));
    const update = await tryUpdate(page);
    assert.deepEqual(update, { state: 'redundant', waiting: false }, 'the install failed; nothing waits to take over');
    assert.deepEqual(await cacheNames(page), first, 'nothing of the broken build is kept');
    await page.waitForTimeout(500);
    assert.equal(await page.getByText('A new version of SEND Log is ready.').count(), 0, 'no update is offered');

    // Every page closed (a waiting version would take over now), then the server goes: SEND
    // Log opens from the build it kept, with the record, and keeps working.
    await page.close();
    await app.close();
    await new Promise((resolve) => { setTimeout(resolve, 1000); });
    const cold = await context.newPage();
    watch(cold, problems);
    await cold.goto(app.url);
    await cold.locator('.action .next-step', { hasText: 'Send the sleep diary to the SENCO' }).waitFor();
    await openAddForm(cold);
    await cold.getByLabel('Pupil', { exact: true }).selectOption({ label: 'Rhys Evans (Year 7)' });
    await cold.getByLabel('Action', { exact: true }).fill('Book the review meeting with the parent');
    await cold.getByLabel('Owner', { exact: true }).fill('Parent');
    await cold.getByRole('button', { name: '+1 week' }).tap();
    await cold.getByRole('button', { name: 'Add action' }).tap();
    await cold.locator('.action .next-step', { hasText: 'Book the review meeting with the parent' }).waitFor();
    await waitUntilSaved(cold);
    assert.deepEqual(await cacheNames(cold), first);
    assert.deepEqual(problems.console, []);
    assert.deepEqual(problems.foreign, []);
    await context.close();
  });
}

test('a new build is kept from the server, never from the HTTP cache: a stale index.html is not precached', async () => {
  const app = await serveApp();
  // A host that tells browsers to keep every file for a year (sw.js aside, as hosts are told to).
  let next = false;
  app.rewrite((path, body) => {
    if (body === undefined) return undefined;
    const headers = path === '/sw.js' ? {} : { 'cache-control': 'public, max-age=31536000' };
    if (!next) return { body, headers };
    if (path === '/sw.js') return { body: nextWorker(body), headers };
    if (path === '/' || path === '/index.html') return { body: nextPage(body), headers };
    return { body, headers };
  });
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await untilOfflineReady(page);
  const [first] = await cacheNames(page);

  next = true;
  assert.deepEqual(await tryUpdate(page), { state: 'installed', waiting: true });
  const kept = await page.evaluate(async () => {
    const name = (await caches.keys()).find((k) => k.startsWith('sendlog-next-'));
    const cache = await caches.open(name);
    const text = async (url) => (await cache.match(url))?.text();
    return { root: await text('./'), page: await text('./index.html') };
  });
  assert.match(kept.page, /the next build/, 'index.html is the new build\'s, not the one the HTTP cache held');
  assert.match(kept.root, /the next build/, 'and so is the page at ./');
  assert.ok((await cacheNames(page)).includes(first), 'the old build is kept while the new one waits');
  assert.deepEqual(problems.console, []);
  await context.close();
  await app.close();
});

test('the old build\'s files are deleted only once the new build\'s are complete and in control', async () => {
  const app = await serveApp();
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await untilOfflineReady(page);
  const [first] = await cacheNames(page);

  // The next build's worker, watched: the order in which it takes control and deletes caches.
  const spy = `self.__order = [];
{
  const claim = Clients.prototype.claim;
  Clients.prototype.claim = function () { return claim.call(this).then((done) => { self.__order.push('in control'); return done; }); };
  const remove = CacheStorage.prototype.delete;
  CacheStorage.prototype.delete = function (name) { self.__order.push('deleted ' + name); return remove.call(this, name); };
}
`;
  app.rewrite((path, body) => (path === '/sw.js' ? nextWorker(body, spy) : body));
  assert.deepEqual(await tryUpdate(page), { state: 'installed', waiting: true });
  const both = await cacheNames(page);
  assert.equal(both.length, 2);
  assert.ok(both.includes(first), 'the old build is still there while the new one waits');

  const offer = page.getByRole('status').filter({ hasText: 'A new version of SEND Log is ready.' });
  await Promise.all([
    page.waitForEvent('framenavigated'),
    offer.getByRole('button', { name: 'Reload to update' }).tap(),
  ]);
  await page.getByRole('heading', { name: 'Add an action' }).waitFor();
  await page.waitForFunction(async () => (await caches.keys()).every((k) => k.startsWith('sendlog-next-')));
  let order;
  for (const worker of context.serviceWorkers()) {
    order = await worker.evaluate(() => self.__order).catch(() => undefined);
    if (order) break;
  }
  assert.deepEqual(order, ['in control', `deleted ${first}`], 'the old cache goes after the new worker controls the page');
  assert.deepEqual(problems.console, []);
  await context.close();
  await app.close();
});

test('Settings: Reload the app\'s files fetches the app again from the server and keeps the record; offline it changes nothing', async () => {
  const app = await serveApp();
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await untilOfflineReady(page);
  await addPupilAndAction(page, 'Amara Okafor', 'Ask the speech and language therapist for a date');
  await page.getByLabel('Issue or decision').fill('Half-typed decision, kept as a draft');
  const [first] = await cacheNames(page);
  const record = await storedBuckets(page);

  // The app misbehaves: the style sheet it kept has gone wrong.
  const styleSheet = await page.locator('link[rel="stylesheet"]').getAttribute('href');
  const keptStyle = () => page.evaluate(async ([name, href]) => (await (await caches.open(name)).match(href))?.text(), [first, styleSheet]);
  const rightStyle = await (await fetch(new URL(styleSheet, app.url))).text();
  await page.evaluate(async ([name, href]) => {
    await (await caches.open(name)).put(href, new Response('/* damaged */', { headers: { 'content-type': 'text/css' } }));
  }, [first, styleSheet]);
  assert.equal(await keptStyle(), '/* damaged */');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).tap();
  const reload = page.getByRole('button', { name: 'Reload the app\'s files' });
  await reload.waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], 'settings, with Reload the app\'s files');

  // Offline: it says so, and changes nothing.
  await context.setOffline(true);
  await reload.tap();
  const needsNetwork = page.getByRole('status').filter({ hasText: 'Reloading the app\'s files needs the network' });
  await needsNetwork.waitFor();
  assert.match(await needsNetwork.innerText(), /Nothing was changed: connect to the internet or the school's Wi-Fi, then try again/);
  assert.deepEqual(await cacheNames(page), [first]);
  assert.equal(await keptStyle(), '/* damaged */');
  assert.deepEqual(await accessibilityViolations(page), [], 'settings, refusing offline');
  await context.setOffline(false);

  // Online: the files are fetched again, and the page reloads with them.
  await Promise.all([page.waitForEvent('load'), reload.tap()]);
  await page.getByRole('heading', { name: 'Install SEND Log' }).waitFor();
  assert.equal(await keptStyle(), rightStyle, 'the damaged file is replaced');
  assert.deepEqual(await cacheNames(page), [first]);
  assert.deepEqual(await storedBuckets(page), record, 'the record is untouched');

  // Again, with a new build on the server that the app has not noticed yet: it is taken.
  app.rewrite((path, body) => {
    if (path === '/sw.js') return nextWorker(body);
    if (path === '/' || path === '/index.html') return nextPage(body);
    return body;
  });
  await Promise.all([page.waitForEvent('load'), reload.tap()]);
  await page.getByRole('heading', { name: 'Install SEND Log' }).waitFor();
  assert.match(await page.content(), /the next build/, 'the page of the new build');
  await page.waitForFunction(async () => (await caches.keys()).every((k) => k.startsWith('sendlog-next-')));
  assert.deepEqual(await storedBuckets(page), record, 'the record is untouched');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).tap();
  await page.locator('.action .next-step', { hasText: 'Ask the speech and language therapist for a date' }).waitFor();
  assert.equal(await page.getByLabel('Issue or decision').inputValue(), 'Half-typed decision, kept as a draft', 'and so is localStorage');

  // The server gone: it refuses, and the app still opens from the files it kept.
  await app.close();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).tap();
  await reload.tap();
  await needsNetwork.waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Install SEND Log' }).waitFor();
  assert.match(await page.content(), /the next build/);
  // The one error is the browser's own line for the question to the server that is gone.
  assert.deepEqual(problems.console, ['Failed to load resource: net::ERR_FAILED']);
  assert.deepEqual(problems.foreign, []);
  await context.close();
});

test('when the record cannot be opened, a new version is still offered, and taking it changes nothing stored', async () => {
  const app = await serveApp();
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await untilOfflineReady(page);
  // A record saved by a later version: this one cannot read it.
  await page.evaluate(storeInPage, { entries: [['meta', JSON.stringify({ format: 'sendlog', schema: 999 })]] });
  const stored = await storedBuckets(page);
  app.rewrite((path, body) => (path === '/sw.js' ? nextWorker(body) : body));
  await page.reload();
  await page.getByRole('heading', { name: 'The record could not be opened' }).waitFor();
  assert.deepEqual(await tryUpdate(page), { state: 'installed', waiting: true });

  const offer = page.getByRole('status').filter({ hasText: 'A new version of SEND Log is ready.' });
  await offer.waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], 'the cannot-open screen with the update offer');
  await Promise.all([
    page.waitForEvent('framenavigated'),
    offer.getByRole('button', { name: 'Reload to update' }).tap(),
  ]);
  await page.getByRole('heading', { name: 'The record could not be opened' }).waitFor();
  await page.waitForFunction(async () => (await caches.keys()).every((k) => k.startsWith('sendlog-next-')));
  assert.deepEqual(await storedBuckets(page), stored, 'nothing stored changed');
  // The failure itself is reported on the console by nothing but the screen.
  assert.deepEqual(problems.console.filter((m) => !/record could not be opened|schema/i.test(m)), []);
  await context.close();
  await app.close();
});
