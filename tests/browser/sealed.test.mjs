// Encrypted exports (issue 19, points 1 and 2): the whole record downloaded with a passphrase is
// opened by another tool following the README (Node's crypto, not the browser's), imported into
// a fresh profile with its passphrase, and refused — changing nothing — with a wrong one, when
// changed, and when cut short. A file Node encrypts the same way imports too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { pbkdf2Sync, hkdfSync, createDecipheriv, createCipheriv, randomBytes } from 'node:crypto';
import { serveApp, startBrowser, openTablet, waitUntilSaved, storedRows, accessibilityViolations } from './support.mjs';

let app;
let chromium;
before(async () => { app = await serveApp(); chromium = await startBrowser(); });
after(async () => { await chromium?.close(); await app?.close(); });

const PASSPHRASE = 'Łódź ığdır Ffestiniog café';
const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).tap();

/** The key and check of the README's recipe. */
function keys(passphrase, header) {
  const master = pbkdf2Sync(Buffer.from(passphrase.normalize('NFC'), 'utf8'), Buffer.from(header.kdf.salt, 'base64'),
    header.kdf.iterations, 32, 'sha256');
  const expand = (info, length) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, length));
  return { key: expand('sendlog-sealed 1 key', 32), check: expand('sendlog-sealed 1 check', 16) };
}

/** Opens a .sendlog file as the README says another tool can. */
function openSealed(bytes, passphrase) {
  const end = bytes.indexOf(0x0a);
  const line = bytes.subarray(0, end);
  const header = JSON.parse(line.toString('utf8'));
  const body = bytes.subarray(end + 1);
  assert.equal(body.length, header.length, 'the length the header gives');
  const { key, check } = keys(passphrase, header);
  assert.equal(check.toString('base64'), header.check, 'the passphrase check');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(header.cipher.nonce, 'base64'));
  decipher.setAAD(line);
  decipher.setAuthTag(body.subarray(body.length - 16));
  return { header, plain: Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]) };
}

/** Encrypts `plain` as the README says. */
function sealed(plain, passphrase, contents) {
  const header = {
    format: 'sendlog-sealed', version: 1, contents,
    kdf: { name: 'PBKDF2-HMAC-SHA-256', iterations: 600000, salt: randomBytes(16).toString('base64') },
    cipher: { name: 'AES-256-GCM', nonce: randomBytes(12).toString('base64') },
    check: '', length: plain.length + 16,
  };
  const { key, check } = keys(passphrase, header);
  header.check = check.toString('base64');
  const line = Buffer.from(JSON.stringify(header), 'utf8');
  const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(header.cipher.nonce, 'base64'));
  cipher.setAAD(line);
  const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return Buffer.concat([line, Buffer.from('\n'), body]);
}

async function withExample() {
  const opened = await openTablet(chromium.browser, app.url);
  await opened.page.getByRole('button', { name: 'Load the example record' }).tap();
  await waitUntilSaved(opened.page);
  return opened;
}

/** Ticks Encrypt with a passphrase on the Import and export screen and types it twice. */
async function protect(page, first, again = first) {
  await nav(page, 'Import and export');
  await page.getByLabel('Encrypt with a passphrase').check();
  await page.getByLabel('Passphrase', { exact: true }).fill(first);
  await page.getByLabel('The passphrase again').fill(again);
}

async function download(page, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

/** Chooses a file on the Import and export screen. */
async function choose(page, name, bytes) {
  await nav(page, 'Import and export');
  await page.getByLabel('Choose a file to import').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: bytes });
}

const unlockAlert = (page) => page.locator('#unlock-problem');

test('the whole record, encrypted, opens elsewhere only with its passphrase and imports the same record', async () => {
  const one = await withExample();
  const rows = await storedRows(one.page);
  await protect(one.page, PASSPHRASE);
  await one.page.getByText('Strength: Strong.').waitFor();
  assert.deepEqual(await accessibilityViolations(one.page), [], 'the passphrase fields');
  const file = await download(one.page, 'Download everything (JSON)');
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(file.name, `sendlog-record-${today}.sendlog`);
  await one.page.getByText(`${file.name} is saved to this device's downloads. Send its passphrase another way than the file.`).waitFor();
  const someone = rows.pupils[0].name;
  assert.ok(!file.bytes.includes(Buffer.from(someone)), 'no pupil is named in the file');
  const { header, plain } = openSealed(file.bytes, PASSPHRASE);
  assert.equal(header.contents, 'application/json');
  const bundle = JSON.parse(plain.toString('utf8'));
  assert.equal(bundle.actions.length, rows.actions.length, 'every action, readable by another tool');
  assert.ok(bundle.pupils.some((p) => p.name === someone));
  await one.context.close();

  const two = await openTablet(chromium.browser, app.url);
  await choose(two.page, file.name, file.bytes);
  await two.page.getByRole('heading', { name: `${file.name} is encrypted` }).waitFor();
  assert.deepEqual(await accessibilityViolations(two.page), [], 'the passphrase asked for');
  const field = two.page.getByLabel('Its passphrase');
  await field.fill('Lodz igdir Ffestiniog cafe');
  await two.page.getByRole('button', { name: 'Open the file' }).tap();
  await unlockAlert(two.page).getByText('That passphrase does not open this file.', { exact: false }).waitFor();
  assert.equal(await field.inputValue(), 'Lodz igdir Ffestiniog cafe', 'what was typed stays to be corrected');
  assert.equal((await storedRows(two.page)).actions.length, 0, 'nothing imported');
  await field.fill(PASSPHRASE);
  await two.page.getByRole('button', { name: 'Open the file' }).tap();
  const preview = two.page.locator('.import-preview');
  await preview.getByText(`${rows.actions.length} new actions`).waitFor();
  await preview.getByRole('button', { name: 'Import these changes' }).click();
  await waitUntilSaved(two.page);
  const imported = await storedRows(two.page);
  assert.deepEqual(imported.actions.map((a) => a.id).sort(), rows.actions.map((a) => a.id).sort(), 'the same actions');
  assert.deepEqual(imported.pupils.map((p) => p.name).sort(), rows.pupils.map((p) => p.name).sort(), 'the same pupils');
  assert.deepEqual(two.problems, { console: [], foreign: [] });
  await two.context.close();
});

test('a changed or cut-short encrypted file is refused with its reason and changes nothing; a weak passphrase encrypts nothing', async () => {
  const { context, page, problems } = await withExample();
  const before = await storedRows(page);

  await protect(page, 'short');
  await page.getByText('Strength: too short (5 of the 12 characters needed).').waitFor();
  await page.getByRole('button', { name: 'Download the tracker (CSV)' }).click();
  await page.getByText('Nothing was downloaded. Too short', { exact: false }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'seal-passphrase');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('The passphrase again').fill(`${PASSPHRASE}.`);
  await page.getByText('Not the same as the first.').waitFor();
  await page.getByRole('button', { name: 'Download the tracker (CSV)' }).click();
  await page.getByText('Nothing was downloaded: the two passphrases are not the same.', { exact: false }).waitFor();
  await page.getByLabel('The passphrase again').fill(PASSPHRASE);
  const file = await download(page, 'Download the tracker (CSV)');
  assert.equal(openSealed(file.bytes, PASSPHRASE).header.contents, 'text/csv');

  const changed = Buffer.from(file.bytes);
  changed[changed.length - 20] ^= 0x01;
  await choose(page, file.name, changed);
  await page.getByLabel('Its passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Open the file' }).tap();
  await page.locator('.import-preview').getByText('the file has been changed since it was made', { exact: false }).waitFor();

  await choose(page, file.name, file.bytes.subarray(0, file.bytes.length - 100));
  await page.locator('.import-preview').getByText('The file is cut short', { exact: false }).waitFor();
  assert.equal(await page.getByLabel('Its passphrase').count(), 0, 'no passphrase is asked for a file that cannot open');
  assert.deepEqual(await storedRows(page), before, 'nothing changed');
  assert.deepEqual(problems, { console: [], foreign: [] });
  await context.close();
});

test('a CSV encrypted by another tool as the README describes imports with its passphrase', async () => {
  const { context, page, problems } = await openTablet(chromium.browser, app.url);
  const csv = 'Pupil,Year group,Action,Owner,Due,Status\r\nŞükrü Öztürk,Year 7,Ring home about the reading log,SENCO,2027-01-15,Open\r\n';
  const file = sealed(Buffer.from(csv, 'utf8'), PASSPHRASE, 'text/csv');
  await choose(page, 'from-the-office.sendlog', file);
  await page.getByLabel('Its passphrase').fill(PASSPHRASE.normalize('NFD'));
  await page.getByRole('button', { name: 'Open the file' }).tap();
  const preview = page.locator('.import-preview');
  await preview.getByText('1 new action', { exact: false }).waitFor();
  await preview.getByRole('button', { name: 'Import these changes' }).click();
  await waitUntilSaved(page);
  assert.deepEqual((await storedRows(page)).pupils.map((p) => p.name), ['Şükrü Öztürk']);
  assert.deepEqual(problems, { console: [], foreign: [] });
  await context.close();
});
