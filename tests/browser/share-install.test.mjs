// Files shared the way tablets share them, and installing shown for the browser in hand: an
// export on a device that can share files offers Share… (the Web Share API, stubbed in the page
// as an iPad's would answer) with the very file the download gives; the first run and Settings
// lead with the steps of the device in hand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serveApp, startBrowser, openTablet, accessibilityViolations, addPupilAndAction } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const IPAD = 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** A share sheet as an iPad's: files can be shared, and what is shared is kept for the test. */
function stubShare() {
  window.__shared = [];
  navigator.canShare = (data) => Array.isArray(data?.files) && data.files.length > 0;
  navigator.share = async (data) => {
    if (window.__cancelNext) { window.__cancelNext = false; throw new DOMException('closed', 'AbortError'); }
    const file = data.files[0];
    window.__shared.push({ name: file.name, type: file.type, bytes: Array.from(new Uint8Array(await file.arrayBuffer())) });
  };
}

test('on a device that can share files, each export offers Share… with the same file the download gives', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await page.addInitScript(stubShare);
  await page.reload();
  await page.getByRole('heading', { name: 'Add an action' }).waitFor();
  await addPupilAndAction(page, 'Siân Llewelyn', 'Send the reading plan home');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import and export', exact: true }).tap();

  for (const label of ['Download everything (JSON)', 'Download the tracker (CSV)']) {
    await page.getByRole('button', { name: label }).tap();
    const share = page.getByRole('button', { name: 'Share…' });
    await share.waitFor();
    await page.getByText(/is ready\. Share it, or save it to this device\./).waitFor();
    assert.deepEqual(await accessibilityViolations(page), [], 'the share offer');
    // Closing the share sheet shares nothing and keeps the offer.
    await page.evaluate(() => { window.__cancelNext = true; });
    await share.tap();
    await page.getByText(/was not shared\. Share it, or save it to this device\./).waitFor();
    await share.tap();
    await page.getByText(/ is shared\.$/).waitFor();
    const [shared] = await page.evaluate(() => window.__shared.splice(0));
    assert.equal(await share.count(), 0, 'the offer is gone once shared');

    // The download of the same export is the same file.
    await page.getByRole('button', { name: label }).tap();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Save to this device' }).tap(),
    ]);
    const downloaded = await readFile(await download.path());
    assert.equal(shared.name, download.suggestedFilename());
    assert.match(shared.type, label.includes('JSON') ? /^application\/json/ : /^text\/csv/);
    if (label.includes('CSV')) {
      assert.deepEqual(Buffer.from(shared.bytes), downloaded, 'the same bytes');
      assert.match(downloaded.toString(), /Siân Llewelyn/);
    } else {
      // A bundle records the moment it was written: everything else is the same.
      const [a, b] = [JSON.parse(Buffer.from(shared.bytes)), JSON.parse(downloaded)];
      delete a.exported_at; delete b.exported_at;
      assert.deepEqual(a, b);
      assert.equal(a.actions[0].next_step, 'Send the reading plan home');
    }
  }
  assert.deepEqual(problems, { console: [], foreign: [] });
  await context.close();
});

test('where files cannot be shared, an export downloads at once, as before', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  await addPupilAndAction(page, 'Gwen Morgan', 'Ring home about the visit');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import and export', exact: true }).tap();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the action log (CSV)' }).tap(),
  ]);
  assert.match(download.suggestedFilename(), /^sendlog-actions-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.equal(await page.getByRole('button', { name: 'Share…' }).count(), 0);
  assert.deepEqual(problems, { console: [], foreign: [] });
  await context.close();
});

test('the first run and Settings lead with the steps of installing on the device in hand', async () => {
  const ipad = await chromium.browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true, userAgent: IPAD, locale: 'en-GB' });
  const page = await ipad.newPage();
  await page.goto(app.url);
  const welcome = page.locator('section.welcome');
  await welcome.getByRole('heading', { name: 'Install it on this iPad (Safari)' }).waitFor();
  assert.match(await welcome.innerText(), /Tap the Share button[\s\S]*Add to Home Screen/);
  assert.deepEqual(await accessibilityViolations(page), [], 'the first run on an iPad');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).tap();
  await page.getByRole('heading', { name: 'Install it on this iPad (Safari)' }).waitFor();
  await page.getByText(/Safari may clear the data of websites that have not been opened for seven days/).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Android tablet or phone (Chrome)' }).count(), 0, 'the others are a tap away');
  await page.getByText('Installing on another kind of device').tap();
  await page.getByRole('heading', { name: 'Android tablet or phone (Chrome)' }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], 'settings on an iPad');
  await ipad.close();

  // Installed (standalone), the first run says so instead of the steps.
  const installed = await chromium.browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true, userAgent: IPAD, locale: 'en-GB' });
  const standalone = await installed.newPage();
  await standalone.addInitScript(() => Object.defineProperty(navigator, 'standalone', { value: true }));
  await standalone.goto(app.url);
  await standalone.getByText('SEND Log is installed on this device and opens from the home screen').waitFor();
  assert.equal(await standalone.getByRole('heading', { name: 'Install it on this iPad (Safari)' }).count(), 0);
  await installed.close();
});
