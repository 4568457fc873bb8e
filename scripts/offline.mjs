// Trunk's post-build hook (see Trunk.toml): makes the build work offline and keeps it private.
// 1. Writes a Content-Security-Policy into index.html that allows only this origin, plus the hash
//    of trunk's one inline loader script and 'wasm-unsafe-eval' for WebAssembly.
// 2. Writes sw.js beside the page from public/sw.js: the list of every built file to precache, and a
//    version made from their content, so each release gets a cache of its own.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, readdirSync, statSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const dist = process.env.TRUNK_STAGING_DIR;
if (!dist) throw new Error('scripts/offline.mjs runs as trunk\'s post_build hook (TRUNK_STAGING_DIR is not set)');

const pagePath = join(dist, 'index.html');
let page = readFileSync(pagePath, 'utf8');
const inline = [...page.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
const hashes = inline.map((code) => `'sha256-${createHash('sha256').update(code).digest('base64')}'`);
const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');
page = page.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/g, '');
// 3. The build's date, which Settings shows beside the version (the page is the one place a
//    static host cannot change it without changing the build).
const built = new Date().toISOString().slice(0, 10);
page = page.replace(/<meta name="sendlog-built"[^>]*>\s*/g, '');
page = page.replace('</head>', `<meta name="sendlog-built" content="${built}"></head>`);
page = page.replace(/<meta charset="utf-8"\s*\/?>/i, (charset) => `${charset}<meta http-equiv="Content-Security-Policy" content="${policy}">`);
writeFileSync(pagePath, page);

const template = join(dist, 'public', 'sw.js');
const worker = readFileSync(template, 'utf8');
rmSync(template);

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    // Not the service worker itself, nor the pictures only an install sheet shows (fetched
    // online, when installing).
    else if (relative(dist, path) !== 'sw.js' && !relative(dist, path).startsWith(join('public', 'screenshots'))) {
      files.push(relative(dist, path).split(sep).join('/'));
    }
  }
};
walk(dist);
const version = createHash('sha256');
for (const file of files) version.update(file).update(readFileSync(join(dist, file)));
const urls = ['./', ...files.map((f) => `./${f}`)];
writeFileSync(join(dist, 'sw.js'), worker
  .replace('__VERSION__', version.digest('hex').slice(0, 16))
  .replace('__FILES__', JSON.stringify(urls, null, 2)));
console.log(`offline.mjs: ${urls.length} files precached; CSP with ${hashes.length} inline script hash(es)`);
