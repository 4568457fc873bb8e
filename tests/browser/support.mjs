// Shared set-up for the browser tests: serve dist/ on loopback, start Debian's Chromium headless,
// and watch every page for console errors and for requests to any other origin.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

// The build to test: dist/, or another build's folder named by SENDLOG_DIST.
const DIST = process.env.SENDLOG_DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Serves the built app from dist/ on 127.0.0.1 at a free port. `rewrite(path, body)` may change
 * what is served (to stand for a new build): it returns the body, or, to stand for a broken or
 * caching host, `{ body, status, type, headers }` (each optional); `close()` stops the server, as
 * if the network went.
 * For the benchmark: `root` serves another copy of the build instead of dist/, and `extra(path)`
 * may serve files that are not in it (reference libraries, the record), returning
 * `{ body, type }`, or nothing to fall through to the build.
 * `at` serves the build at each of these folders instead of the root (`['/sendlog/']`, as on a
 * school's website or a GitHub Pages project site); anything outside them is not found, and
 * `url` is the first of them.
 */
export async function serveApp({ root = DIST, extra = () => undefined, at = ['/'] } = {}) {
  let rewrite = (path, body) => body;
  const server = createServer(async (req, res) => {
    const asked = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const folder = at.find((f) => asked.startsWith(f));
    const path = folder === undefined ? undefined : `/${asked.slice(folder.length)}`;
    const file = path === undefined ? '' : join(root, path.endsWith('/') ? 'index.html' : path);
    try {
      if (path === undefined) throw new Error('outside the folders served');
      const served = await extra(path);
      if (served) {
        res.writeHead(200, { 'content-type': served.type ?? 'application/octet-stream' });
        res.end(served.body);
        return;
      }
      const body = await readFile(file).catch(() => undefined);
      const rewritten = rewrite(path, body);
      if (rewritten === undefined) throw new Error('not found');
      const answer = Buffer.isBuffer(rewritten) || typeof rewritten === 'string' ? { body: rewritten } : rewritten;
      res.writeHead(answer.status ?? 200, {
        'content-type': answer.type ?? TYPES[extname(file)] ?? 'application/octet-stream',
        ...answer.headers,
      });
      res.end(answer.body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const url = `${origin}${at[0]}`;
  return {
    url,
    urls: at.map((folder) => `${origin}${folder}`),
    rewrite: (fn) => { rewrite = fn; },
    close: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }),
  };
}

/**
 * Starts headless Chromium; Playwright gives each launch a fresh, empty profile. `args` adds
 * command-line switches (the benchmark adds `--enable-precise-memory-info`).
 */
export async function startBrowser({ args = [] } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--lang=en-GB', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...args,
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

/**
 * A tablet-sized page (768×1024, touch) whose console errors and foreign requests are recorded.
 * Each call is a new browser context: its own, empty IndexedDB.
 */
export async function openTablet(browser, appUrl, viewport = { width: 768, height: 1024 }) {
  const context = await browser.newContext({ viewport, hasTouch: true, isMobile: false, locale: 'en-GB' });
  const page = await context.newPage();
  const problems = { console: [], foreign: [] };
  const origin = new URL(appUrl).origin;
  page.on('console', (msg) => { if (msg.type() === 'error') problems.console.push(msg.text()); });
  page.on('pageerror', (error) => problems.console.push(String(error)));
  // Requests of the page and of its service worker.
  context.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) problems.foreign.push(url);
  });
  await page.goto(appUrl);
  await page.getByRole('heading', { name: 'Add an action' }).waitFor();
  return { context, page, problems };
}

/** Runs axe-core on the page (or only on what `include` selects); returns the violations (an
 * empty list is a pass). */
export async function accessibilityViolations(page, { include } = {}) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']);
  if (include) builder = builder.include(include);
  const result = await builder.analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
}

/** Waits until the header says every change is stored on the device. */
export async function waitUntilSaved(page) {
  await page.getByRole('status').filter({ hasText: 'Saved on this device' }).waitFor();
}

/**
 * Runs in the page: puts `[key, value]` entries (given, or fetched from `path`) into the app's
 * IndexedDB store (`database`: a copy served from a folder names its own), in one transaction.
 * Pass it to `page.evaluate`.
 */
export async function storeInPage({ entries, path, asText = false, database = 'sendlog' }) {
  const rows = entries ?? await (await fetch(path)).json();
  // The app stores each value as bytes: a JSON text's (UTF-8), or a compact bucket's, given as
  // `{ base64 }`. An earlier version stored JSON as text.
  const encoder = new TextEncoder();
  const bytes = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const stored = (value) => (typeof value !== 'string' ? bytes(value.base64) : asText ? value : encoder.encode(value));
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open(database);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  await new Promise((resolve, reject) => {
    const tx = db.transaction('buckets', 'readwrite');
    for (const [key, value] of rows) tx.objectStore('buckets').put(stored(value), key);
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

/** Puts `[key, value]` entries into the app's IndexedDB store, in one transaction, then reloads. */
async function putBuckets(page, entries, { asText = false, database } = {}) {
  await page.evaluate(storeInPage, { entries, asText, database });
  await page.reload();
  await page.getByRole('heading', { name: 'Add an action' }).waitFor();
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Fills the page's IndexedDB with a fictional record made by the app's own seed command (the
 * real bucket encoder), then reloads so the app starts from it. `database`: as storeInPage.
 */
export async function seedRecord(page, { actions, pupils, today, asText = false, database }) {
  const args = ['run', '--quiet', '--locked', '--bin', 'sendlog-seed', '--', '--actions', String(actions)];
  if (pupils) args.push('--pupils', String(pupils));
  if (today) args.push('--today', today);
  // Stored as text, as an earlier version stored it: every bucket JSON, as it was then.
  if (asText) args.push('--json');
  const entries = JSON.parse(execFileSync('cargo', args, { cwd: ROOT, maxBuffer: 512 * 1024 * 1024 }));
  await putBuckets(page, entries, { asText, database });
}

/**
 * `[[key, value], …]` with each compact bucket (`{ base64 }`) written as the JSON text of the
 * same rows, by the app's own seed command (`--as-json`); a value it cannot decode is left as
 * it was.
 */
export function asJson(entries) {
  if (entries.every(([, value]) => typeof value === 'string')) return entries;
  const args = ['run', '--quiet', '--locked', '--bin', 'sendlog-seed', '--', '--as-json'];
  return JSON.parse(execFileSync('cargo', args, { cwd: ROOT, input: JSON.stringify(entries), maxBuffer: 1024 * 1024 * 1024 }));
}

/**
 * Every key and value the app has stored, read straight from IndexedDB, each value as its text:
 * a compact bucket as the JSON text of its rows (see [`asJson`]), anything else that is not
 * UTF-8 as `{ base64 }`.
 */
export async function storedBuckets(page) {
  const entries = await page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open('sendlog');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const store = db.transaction('buckets').objectStore('buckets');
    const read = (request) => new Promise((resolve) => { request.onsuccess = () => resolve(request.result); });
    const [keys, values] = [await read(store.getAllKeys()), await read(store.getAll())];
    db.close();
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const base64 = (bytes) => {
      let binary = '';
      for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
      return { base64: btoa(binary) };
    };
    const text = (value) => {
      if (typeof value === 'string') return value;
      try {
        return value[0] === 0 ? base64(value) : decoder.decode(value);
      } catch {
        return base64(value);
      }
    };
    return keys.map((key, i) => [key, text(values[i])]);
  });
  return Object.fromEntries(asJson(entries));
}

/**
 * The rows the app has stored, kind by kind in insertion order, read from the stored values as
 * the README's "How the record is stored" describes them: the buckets in key order, then each
 * journal entry put over them (every row at its position, then each kind cut to its length).
 */
export function rowsOf(stored) {
  const kinds = ['pupils', 'meetings', 'actions', 'history'];
  const rows = Object.fromEntries(kinds.map((kind) => [kind, []]));
  const keys = Object.keys(stored).sort();
  for (const key of keys) {
    const [kind] = key.split('/');
    if (kinds.includes(kind)) rows[kind].push(...bucketRows(kind, stored[key]));
  }
  for (const key of keys.filter((k) => k.startsWith('journal/'))) {
    const { patch } = JSON.parse(stored[key]);
    kinds.forEach((kind, i) => {
      for (const [position, row] of patch[kind] ?? []) rows[kind][position] = row;
      rows[kind].length = patch.lengths[i];
    });
  }
  return rows;
}

/**
 * The fields of each kind of row, in the order a stored bucket's arrays hold them, as the app's
 * own seed command prints them (`--layout`): `last_update.at` is the field `at` of the object
 * `last_update`. Read once, when first needed.
 */
let layout;
export function rowFields() {
  layout ??= JSON.parse(execFileSync('cargo', ['run', '--quiet', '--locked', '--bin', 'sendlog-seed', '--', '--layout'], { cwd: ROOT }));
  return layout;
}

/**
 * The rows of one stored bucket of `kind` as objects named as in a JSON bundle, whether the
 * bucket holds them as arrays (`rows`) or, as earlier versions wrote them, as objects
 * (`records`). A history entry's `meeting` is left out when it has none, as in a bundle.
 */
export function bucketRows(kind, json) {
  const bucket = JSON.parse(json);
  // Rows as objects (earlier versions, or written by hand): a field they lack, added by a later
  // schema, is what the app reads it as: null (a pupil's left_on), or none (their key_adults).
  if (bucket.records) {
    return bucket.records.map((record) => {
      const row = { ...record };
      for (const field of rowFields()[kind]) {
        if (!field.includes('.') && !(field in row) && !(kind === 'history' && field === 'meeting')) {
          row[field] = field === 'key_adults' ? [] : null;
        }
      }
      return row;
    });
  }
  return bucket.rows.map((cells) => {
    const row = {};
    rowFields()[kind].forEach((field, i) => {
      const [outer, inner] = field.split('.');
      if (inner) row[outer] = { ...row[outer], [inner]: cells[i] };
      else if (!(kind === 'history' && field === 'meeting' && cells[i] === null)) row[field] = cells[i];
    });
    return row;
  });
}

/** [`rowsOf`] what the page has stored now. */
export async function storedRows(page) {
  return rowsOf(await storedBuckets(page));
}

/** Records the key of every IndexedDB put the page makes, in window.__puts. */
export async function countPuts(context) {
  await context.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    window.__puts = [];
    IDBObjectStore.prototype.put = function (value, key) {
      window.__puts.push(String(key));
      return put.call(this, value, key);
    };
  });
}

/** Puts records written by hand, in the stored bucket format (README: "How the record is stored"), into the page's IndexedDB. */
export async function seedBuckets(page, { pupils = [], meetings = [], actions = [], history = [] }, { asText = false } = {}) {
  const bucket = (records) => JSON.stringify({ format: 'sendlog', schema: 1, records });
  const entries = [['meta', JSON.stringify({ format: 'sendlog', schema: 1 })], ['pupils/000000', bucket(pupils)]];
  if (meetings.length) entries.push(['meetings/000000', bucket(meetings)]);
  if (actions.length) entries.push(['actions/000000', bucket(actions)]);
  if (history.length) entries.push(['history/000000', bucket(history)]);
  await putBuckets(page, entries, { asText });
}

/** How each stored value is kept: `{ key: 'bytes' | 'compact' | 'text' }` ('compact': bytes that start with the compact form's mark, a zero byte). */
export async function storedTypes(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve) => { const open = indexedDB.open('sendlog'); open.onsuccess = () => resolve(open.result); });
    const store = db.transaction('buckets').objectStore('buckets');
    const read = (request) => new Promise((resolve) => { request.onsuccess = () => resolve(request.result); });
    const [keys, values] = [await read(store.getAllKeys()), await read(store.getAll())];
    db.close();
    return Object.fromEntries(keys.map((key, i) => [key, values[i] instanceof Uint8Array ? (values[i][0] === 0 ? 'compact' : 'bytes') : typeof values[i] === 'string' ? 'text' : 'other']));
  });
}

/** Waits until the service worker has cached the app and controls the page. */
export async function untilOfflineReady(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/** Adds a pupil on the home screen and one action for them (owner SENCO, due in a week), stored. */
export async function addPupilAndAction(page, name, step) {
  await openAddForm(page);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Add pupil' }).tap();
  await page.getByLabel('Action', { exact: true }).fill(step);
  await page.getByLabel('Owner', { exact: true }).fill('SENCO');
  await page.getByRole('button', { name: '+1 week' }).tap();
  await page.getByRole('button', { name: 'Add action' }).tap();
  await page.locator('.action .next-step', { hasText: step }).waitFor();
  await waitUntilSaved(page);
}

/**
 * Leaves a meeting or its read-back as a person must (every other screen shows other pupils):
 * the one button in the header, then the question answered. Ends on the home screen.
 */
export async function leaveTheMeeting(page) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Leave the meeting…' }).tap();
  await nav.getByText('The other screens show other pupils. Leave the meeting?').waitFor();
  await nav.getByRole('button', { name: 'Leave the meeting', exact: true }).tap();
  await page.getByRole('heading', { name: 'Add an action' }).waitFor();
}

// The rows of a list the tracker, the archive or the weekly review shows: on a tablet a table's
// rows (each a `tbody.action`, its details in a second line once opened), on a phone cards
// (`li.action`). Other lists (home, a pupil's page) are always cards.

/** Every row in `scope`. */
export const rowsIn = (scope) => scope.locator('li.action, tbody.action');

/** The row whose action contains `step`. */
export const rowWith = (scope, step) => rowsIn(scope).filter({ has: scope.page?.().locator('.next-step', { hasText: step }) ?? scope.locator('.next-step', { hasText: step }) });

/** The actions of the rows in `scope`, in order (not the copy a table row's details repeat). */
export const stepsIn = (scope) => scope.locator('li.action .next-step, tr.action-line .next-step').allInnerTexts();

/** The owners of the rows in `scope`, as shown. */
export const ownersIn = (scope) => scope.locator('li.action dt:text-is("Owner") + dd, tr.action-line td.col-owner').allInnerTexts();

/** Opens a table row's details (decision, statuses, Edit, Escalate, history); a card has them open. */
export async function openRow(row) {
  // Drawn first: a screen just opened may not have drawn its lines yet.
  await row.first().waitFor();
  const more = row.locator('tr.action-line button.more');
  if ((await more.count()) && (await more.getAttribute('aria-expanded')) !== 'true') {
    await more.click();
    await row.locator('tr.details-line').waitFor();
  }
  return row;
}

/** Opens the tracker's filters, collapsed to one line until asked for. */
export async function openFilters(page) {
  const more = page.locator('details.filters-more');
  await more.waitFor();
  if (!(await more.evaluate((d) => d.open))) await more.locator('summary').click();
}

/** Opens Home's form for an action outside a meeting (open by itself only on an empty record or with a draft). */
export async function openAddForm(page) {
  const form = page.locator('details.add-action');
  await form.waitFor();
  if (!(await form.evaluate((d) => d.open))) await form.locator(':scope > summary').click();
}

/** Home's newest actions (cards at every width; the rows due this week above them are a table on a tablet). */
export const newest = (page) => page.getByRole('list', { name: 'Newest actions' });

/** How far the page can be scrolled sideways, in px: the document, or the screen within it
 * (`main` scrolls on its own, between the header and the foot). */
export const sideways = (page) => page.evaluate(() => {
  const main = document.querySelector('main');
  return Math.max(document.documentElement.scrollWidth - innerWidth, main ? main.scrollWidth - main.clientWidth : 0);
});

/** Opens the bulk change's owner and due date fields, if they are not open. */
export async function openBulkMore(page) {
  const more = page.locator('details.bulk-more');
  if (await more.getAttribute('open') === null) await more.locator('summary').tap();
}
