// SEND Log's service worker. This file is a template: after each build, scripts/offline.mjs
// fills in the list of built files and a version made from their content, and writes the result
// to sw.js at the site's root. Each release therefore has its own cache, and old ones are deleted.
const VERSION = '__VERSION__';
const CACHE = `sendlog-${VERSION}`;
const FILES = __FILES__;

// Install: keep every file of this build. The new version then waits until the app says to take
// over (the person taps "Reload"), so nobody is reloaded in the middle of a meeting.
self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

// Activate: delete the caches of older builds, and look after the open pages at once.
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('sendlog-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'take-over') self.skipWaiting();
});

// Fetch: this build's files from the cache first; a page request gets the app's page. Nothing
// is ever fetched from another origin.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(request, { ignoreSearch: true })
      ?? (request.mode === 'navigate' ? await cache.match('./index.html') : undefined);
    return hit ?? fetch(request);
  })());
});
