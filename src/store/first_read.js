// The record's start-up read, begun while the page is parsed: on a modest tablet the
// WebAssembly takes 150–200 ms to fetch and compile, and IndexedDB can hand over the buckets
// meanwhile. The app's own start-up read (Store::load in src/store/idb.rs) takes what this read
// when it is exactly what that read would read, and reads for itself otherwise; it checks and
// decodes everything, as it always has. Plain JavaScript (inlined into index.html by trunk)
// because none of the app's own code has loaded yet. It only reads: a database that does not
// exist yet is left for the app to create, and any failure just leaves the read to the app.
(() => {
  'use strict';
  // The database's name, by the rule of src/store/install.rs (named_at, folder_of): `sendlog`
  // at the root of a host, `sendlog@/its/folder/` elsewhere.
  const path = location.pathname;
  const folder = path.slice(0, path.lastIndexOf('/') + 1) || '/';
  const name = folder === '/' ? 'sendlog' : `sendlog@${folder}`;
  const HISTORY = 'history/';
  globalThis.sendlogFirstRead = new Promise((resolve) => {
    const nothing = () => resolve(null);
    let opening;
    try {
      performance.mark('sendlog:first-read');
      opening = indexedDB.open(name);
    } catch {
      nothing();
      return;
    }
    // No database yet (or an upgrade to come): not this read's to make.
    opening.onupgradeneeded = () => opening.transaction.abort();
    opening.onerror = nothing;
    opening.onblocked = nothing;
    opening.onsuccess = () => {
      const db = opening.result;
      const found = { keys: null, read: [] };
      try {
        const tx = db.transaction('buckets', 'readonly');
        const store = tx.objectStore('buckets');
        store.getAllKeys().onsuccess = (event) => {
          found.keys = event.target.result;
          const history = found.keys.filter((key) => typeof key === 'string' && key.startsWith(HISTORY));
          // What start-up reads: everything but the history buckets before the newest (a
          // record with one history bucket or none is read whole by the app, as before).
          if (history.length < 2) return;
          const ranges = [IDBKeyRange.upperBound(HISTORY, true), IDBKeyRange.lowerBound(history[history.length - 1])];
          for (const range of ranges) {
            const part = { keys: null, values: null };
            found.read.push(part);
            store.getAllKeys(range).onsuccess = (e) => { part.keys = e.target.result; };
            store.getAll(range).onsuccess = (e) => { part.values = e.target.result; };
          }
        };
        tx.oncomplete = () => {
          db.close();
          performance.measure('sendlog:first-read', 'sendlog:first-read');
          resolve(found.read.length ? found : null);
        };
        tx.onabort = () => {
          db.close();
          nothing();
        };
      } catch {
        db.close();
        nothing();
      }
    };
  });
})();
