// The release package (issue 18, point 2): ./scripts/package writes target/sendlog-<version>.zip
// of the build with HOSTING.txt; served from the unzipped folder at a sub-path, the app works,
// Settings names the release and its build date, and an exported bundle records the release.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveApp, startBrowser, openTablet, accessibilityViolations, waitUntilSaved } from './support.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VERSION = /\[workspace\.package\]\s*\nversion = "([^"]+)"/.exec(readFileSync(join(ROOT, 'Cargo.toml'), 'utf8'))[1];
const UK_TODAY = new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).replace('Sept', 'Sep');

let chromium;
let unzipped;
before(async () => { chromium = await startBrowser(); unzipped = mkdtempSync(join(tmpdir(), 'sendlog-package-')); });
after(async () => { await chromium?.close(); rmSync(unzipped, { recursive: true, force: true }); });

test(`./scripts/package writes sendlog-${VERSION}.zip, and the app served from it works at a sub-path`, async () => {
  execFileSync(join(ROOT, 'scripts/package'), ['--no-build'], { cwd: ROOT, stdio: 'pipe' });
  const zip = join(ROOT, 'target', `sendlog-${VERSION}.zip`);
  execFileSync('unzip', ['-q', zip, '-d', unzipped]);
  const folder = join(unzipped, `sendlog-${VERSION}`);
  const files = readdirSync(folder);
  for (const wanted of ['index.html', 'sw.js', 'HOSTING.txt', 'public']) assert.ok(files.includes(wanted), `${wanted} in ${files}`);
  assert.ok(files.some((f) => f.endsWith('_bg.wasm')), 'the WebAssembly');
  const hosting = readFileSync(join(folder, 'HOSTING.txt'), 'utf8');
  assert.match(hosting, new RegExp(`^SEND Log ${VERSION.replaceAll('.', '\\.')} `));
  assert.match(hosting, /application\/wasm/);

  const app = await serveApp({ root: folder, at: ['/sendlog/'] });
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await page.getByLabel('Name', { exact: true }).fill('Dafydd Ap Gruffydd');
  await page.getByRole('button', { name: 'Add pupil' }).tap();
  await page.getByLabel('Action', { exact: true }).fill('Share the reading plan with home');
  await page.getByLabel('Owner', { exact: true }).fill('SENCO');
  await page.getByRole('button', { name: '+1 week' }).tap();
  await page.getByRole('button', { name: 'Add action' }).tap();
  await waitUntilSaved(page);
  await page.reload();
  await page.locator('.action .next-step', { hasText: 'Share the reading plan with home' }).waitFor();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).tap();
  await page.getByText(`SEND Log ${VERSION}, built ${UK_TODAY}`).waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], 'axe: Settings');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import and export', exact: true }).tap();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download everything (JSON)' }).click(),
  ]);
  const bundle = JSON.parse(await readFile(await file.path(), 'utf8'));
  assert.equal(bundle.written_by, `SEND Log ${VERSION}`);
  assert.equal(bundle.actions.length, 1);
  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.foreign, []);
  await context.close();
  await app.close();
});
