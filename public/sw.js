// SEND Log's service worker. This file is a template: after each build, scripts/offline.mjs
// fills in the list of built files and a version made from their content, and writes the result
// to sw.js at the site's root. Each release therefore has its own cache.
//
// A new version is installed only when every one of its files has arrived whole from the server
// (not from the browser's HTTP cache, which may hold an older index.html) and is what its name
// says it is: a host that answers a missing .wasm with its HTML error page, or with a 404, or
// serves a page of another build, makes the install fail, and the version already installed
// goes on serving the app. The old cache is
// deleted only once the new one is complete and controls the open pages.
const VERSION = '__VERSION__';
// Each copy of the app has caches of its own: at the root of a host `sendlog-<version>`, as
// always; served from a folder, `sendlog@/the/folder/-<version>`, so that two copies at two
// paths of one host never delete or answer from each other's caches.
const SCOPE = new URL(self.registration.scope).pathname;
const PREFIX = SCOPE === '/' ? 'sendlog-' : `sendlog@${SCOPE}-`;
const CACHE = `${PREFIX}${VERSION}`;
/** Whether `key` names a cache of this copy's files (of any version); another copy's name
 * starts `sendlog@` followed by its own folder, so never with this prefix. */
const ours = (key) => key.startsWith(PREFIX);
const FILES = __FILES__;

/** The content type a file must be served with, by its name; null for any. */
function expectedType(url) {
  const path = new URL(url, self.location.href).pathname;
  if (path.endsWith('/') || path.endsWith('.html')) return /^text\/html$/;
  if (path.endsWith('.wasm')) return /^application\/wasm$/;
  if (path.endsWith('.js') || path.endsWith('.mjs')) return /^(text|application)\/(x-)?(javascript|ecmascript)$/;
  if (path.endsWith('.css')) return /^text\/css$/;
  return null;
}

/** The address of every file of this version. */
const WANTED = new Set(FILES.map((file) => new URL(file, self.location.href).href));

/**
 * What is wrong with a page of this version, if anything: it must ask only for scripts,
 * WebAssembly and style sheets of this version (a page from another build, half uploaded, asks
 * for files this version does not keep).
 */
function pageProblem(url, text) {
  const base = new URL(url, self.location.href);
  for (const [, ref] of text.matchAll(/["']([^"'\s]+\.(?:js|wasm|css))["']/g)) {
    const file = new URL(ref, base);
    if (file.origin === self.location.origin && !WANTED.has(file.href)) {
      return `${url} asks for ${file.pathname}, which is not part of this version`;
    }
  }
  return null;
}

/**
 * Fetches one file of this version past the HTTP cache, and checks it: a 2xx status, the
 * content type its name calls for (an HTML page where any other file should be is a host's
 * error page), and, for a page, that it belongs to this version. Throws, saying what is wrong,
 * otherwise.
 */
async function fetchChecked(url) {
  const response = await fetch(new Request(url, { cache: 'reload', credentials: 'same-origin' }));
  if (!response.ok) throw new Error(`${url}: the server answered ${response.status}`);
  const type = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  const expected = expectedType(url);
  if (expected ? !expected.test(type) : type === 'text/html') {
    throw new Error(`${url}: served as ${type || 'no content type'}`);
  }
  const kept = { status: response.status, statusText: response.statusText, headers: response.headers };
  if (type === 'text/html') {
    const text = await response.text();
    const problem = pageProblem(url, text);
    if (problem) throw new Error(problem);
    return new Response(text, kept);
  }
  // A redirected response cannot answer a page's navigation: keep its body, not the redirect.
  return response.redirected ? new Response(await response.blob(), kept) : response;
}

/** Whether this version's cache holds every one of its files. */
async function complete() {
  if (!(await caches.has(CACHE))) return false;
  const cache = await caches.open(CACHE);
  const held = await Promise.all(FILES.map((file) => cache.match(file)));
  return held.every(Boolean);
}

// Install: fetch and check every file of this build first, then keep them all. If any is
// missing or wrong, the install fails and nothing of it is kept. The new version then waits
// until the app says to take over (the person taps "Reload"), so nobody is reloaded in the
// middle of a meeting.
self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const responses = await Promise.all(FILES.map(fetchChecked));
    try {
      const cache = await caches.open(CACHE);
      await Promise.all(FILES.map((file, i) => cache.put(file, responses[i])));
    } catch (problem) {
      await caches.delete(CACHE);
      throw problem;
    }
  })());
});

// Activate: look after the open pages first; then, this version's cache being complete, delete
// the caches of older builds.
self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    await self.clients.claim();
    if (!(await complete())) return;
    const keys = await caches.keys();
    await Promise.all(keys.filter((k) => ours(k) && k !== CACHE).map((k) => caches.delete(k)));
  })());
});

/**
 * Fetches every file of this version again and, all of them arriving whole and right, keeps
 * them in place of the ones kept before, and deletes any other cache of the app's files. If any
 * is missing or wrong, what was kept stays as it was. Says which to the page that asked.
 */
async function refresh(client) {
  try {
    const responses = await Promise.all(FILES.map(fetchChecked));
    const cache = await caches.open(CACHE);
    await Promise.all(FILES.map((file, i) => cache.put(file, responses[i])));
    const keys = await caches.keys();
    await Promise.all(keys.filter((k) => ours(k) && k !== CACHE).map((k) => caches.delete(k)));
    client?.postMessage({ refreshed: true });
  } catch (problem) {
    client?.postMessage({ refreshed: false, problem: String(problem?.message ?? problem) });
  }
}

// Messages from the app: take over (the person asked for the new version), or fetch this
// version's files again (Settings → Reload the app's files).
self.addEventListener('message', (event) => {
  if (event.data === 'take-over') self.skipWaiting();
  if (event.data === 'refresh-files') event.waitUntil(refresh(event.source));
});

// Fetch: this build's files from its cache first; a page request gets the app's page. Nothing
// is ever fetched from another origin.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const hit = await caches.match(request, { cacheName: CACHE, ignoreSearch: true })
      ?? (request.mode === 'navigate' ? await caches.match('./index.html', { cacheName: CACHE }) : undefined);
    return hit ?? fetch(request);
  })());
});
