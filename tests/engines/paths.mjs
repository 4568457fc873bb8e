// The main paths of SEND Log, written once and run in each engine (webkit.test.mjs,
// firefox.test.mjs) through the page API of engines.mjs: the first run and the example, an action
// added with a status tap, found after a reload, a meeting to its read-back, a CSV export and its
// import, an encrypted export opened with its passphrase, a school's .xlsx tracker read by the
// workbook worker, and an offline reload through
// the service worker. Chromium runs the full suite
// (tests/browser); these keep the same paths working in the iPad's engine and in Firefox.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveApp } from '../browser/support.mjs';
import { startEngine } from './engines.mjs';

// A path that takes longer has hung: it fails rather than holding up ./scripts/test.
const PATH_TIMEOUT_MS = 180_000;
const UK_DATE = /^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$/;
const today = () => new Date().toISOString().slice(0, 10);

const SAVED = { css: '[role="status"]', text: 'Saved on this device' };
const MAIN = { css: 'nav[aria-label="Main"]' };
const nav = (page, name) => page.tap({ link: name, within: MAIN });
const row = (step) => ({ css: '.action', text: step });
// The workbooks LibreOffice saved for the import tests (src/core/tests/workbooks/make.mjs).
const WORKBOOKS = fileURLToPath(new URL('../../src/core/tests/workbooks/', import.meta.url));

/**
 * Opens the app in a fresh profile, at its home screen, once its service worker has settled: a
 * banner that a new version is ready (which WebKit has shown in CI, its service workers kept
 * between sessions) then appears before the first tap, not under it.
 */
async function open(engine, url) {
  const page = await engine.newPage(url);
  await page.waitFor({ heading: 'Add an action' });
  await page.waitUntil(async () => {
    const registration = await navigator.serviceWorker?.getRegistration();
    return registration !== undefined && registration.installing === null;
  }, 'the service worker to settle');
  await page.evaluate(() => new Promise((done) => { requestAnimationFrame(() => requestAnimationFrame(done)); }));
  return page;
}

/** Adds a pupil with the home screen's pupil form, and waits until they are the chosen pupil. */
async function addPupil(page, name, year) {
  await page.type({ field: 'Name' }, name);
  await page.choose({ field: 'Year group' }, year);
  await page.tap({ button: 'Add pupil' });
  await page.waitUntil((who) => {
    const select = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === 'Pupil')?.control;
    return select?.selectedOptions[0]?.textContent.includes(who);
  }, `${name} to be the chosen pupil`, name);
}

/** Types an action on the home screen and adds it; waits until it is listed and stored. */
async function addAction(page, { decision, step, owner, pupil }) {
  if (decision) await page.type({ field: 'Issue or decision' }, decision);
  await page.type({ field: 'Action' }, step);
  await page.type({ field: 'Owner' }, owner);
  await page.tap({ button: '+1 week' });
  await page.tap({ button: 'Add action' });
  await page.waitFor({ css: '[role="status"]', text: `Action added for ${pupil}.` });
  await page.waitFor(row(step));
  await page.waitFor(SAVED);
}

/** What the listed action `step` shows for `term` (Due, Owner): the <dd> after its <dt>. */
function shown(page, step, term) {
  return page.waitUntil(([s, t]) => {
    const li = [...document.querySelectorAll('.action')].find((el) => el.textContent.includes(s));
    const dt = [...(li?.querySelectorAll('dt') ?? [])].find((el) => el.textContent.trim() === t);
    return dt?.nextElementSibling?.textContent.trim();
  }, `the ${term} of "${step}"`, [step, term]);
}

/** Neither an error in the page nor a request to another origin. */
async function noProblems(page) {
  assert.deepEqual(await page.problems(), { errors: [], foreign: [] });
}

export const PATHS = {
  async 'an empty device explains itself, loads the example, and keeps it after a reload'(engine, app) {
    const page = await open(engine, app.url);
    const welcome = { named: 'Welcome to SEND Log' };
    await page.waitFor({ text: 'nothing is sent anywhere', within: welcome });
    await page.tap({ button: 'Load the example record', within: welcome });
    const trying = { named: 'You are trying the example record' };
    await page.waitFor(trying);
    await page.waitGone(welcome);
    await page.waitFor({ button: 'Undo: Loaded the example record' });
    await page.waitFor(SAVED);

    await page.reload();
    await page.waitFor(trying);
    assert.equal(await page.count(welcome), 0);
    await page.tap({ link: 'Weekly review' });
    await page.waitFor({ heading: 'Overdue', exact: false });
    const headings = await page.texts({ css: 'h2, h3' });
    for (const section of ['Overdue', 'Due this week', 'Waiting on someone else', 'Needs escalation', 'Stale']) {
      const heading = headings.find((h) => new RegExp(`^${section} \\d+$`).test(h));
      assert.ok(heading, `${section} is a heading with a count: ${headings.join(' | ')}`);
      assert.ok(Number(heading.split(' ').pop()) >= 1, `${section} has something in it`);
    }
    await nav(page, 'Tracker');
    await page.waitFor({ css: '#tracker-heading' });
    const pupils = new Set(await page.texts({ css: 'li.action .pupil, tbody.action .pupil-name' }));
    assert.ok(pupils.size >= 2 && [...pupils].every((p) => p.endsWith(' (example)')), [...pupils].join(' | '));
    // Settings asks the browser about its storage: WebKitGTK has no navigator.storage at all,
    // which the app must take in its stride: no error, and no button that cannot work.
    await nav(page, 'Settings');
    await page.waitUntil(() => location.hash === '#/settings' && document.querySelector('main h2') !== null, 'the Settings screen');
    await page.waitGone({ text: 'Checking…' });
    const askable = await page.evaluate(() => typeof navigator.storage?.persist === 'function');
    const storage = await page.text({ css: 'section[aria-labelledby="storage-heading"] dd' });
    if (askable) {
      assert.match(storage, /^(Granted|Not granted)/);
    } else {
      assert.match(storage, /^This browser cannot be asked to keep the record/);
      assert.equal(await page.count({ button: 'Ask for persistent storage' }), 0);
    }
    await noProblems(page);
    await page.close();
  },

  async 'an action is added by tapping and typing, its status changed in one tap, and found after a reload'(engine, app) {
    const page = await open(engine, app.url);
    await page.waitFor({ text: 'No actions yet' });
    const pupil = "Zoë Łukasz-O'Neil";
    await addPupil(page, pupil, 'Year 4');
    const step = 'Reduce written work to half a page for two weeks';
    await addAction(page, { decision: 'Written work is tiring him out by lunchtime', step, owner: 'Class teacher', pupil });
    const due = await shown(page, step, 'Due');
    assert.match(due, UK_DATE, 'the due date is shown in UK form');
    assert.equal(await page.attribute({ button: 'Open', within: row(step) }, 'aria-pressed'), 'true');
    assert.equal(await page.value({ field: 'Action' }), '', 'the form is cleared for the next action');

    await page.tap({ button: 'In progress', within: row(step) });
    await page.waitUntil((s) => [...document.querySelectorAll('.action')].find((li) => li.textContent.includes(s))
      ?.querySelector('button[aria-pressed="true"]')?.textContent.trim() === 'In progress', 'In progress to be pressed', step);
    await page.waitFor(SAVED);
    const other = 'Ring home about the new timetable';
    await addAction(page, { step: other, owner: 'SENCO', pupil });

    await page.reload();
    await page.waitFor(row(step));
    assert.equal(await page.count({ css: '.action' }), 2);
    assert.equal(await page.attribute({ button: 'In progress', within: row(step) }, 'aria-pressed'), 'true');
    assert.equal(await shown(page, step, 'Owner'), 'Class teacher');
    assert.equal(await shown(page, step, 'Due'), due);
    assert.match(await page.text({ css: '.last-update', within: row(step) }), /Status: Open → In progress/);

    // Found in the tracker by a word of it; the other row is not.
    await nav(page, 'Tracker');
    await page.waitFor({ css: '#tracker-heading' });
    await page.waitFor(row(other));
    await page.type({ field: 'Search' }, 'HALF a page');
    await page.waitGone(row(other));
    assert.deepEqual(await page.texts({ css: '.action .next-step' }), [step]);
    // On a tablet the tracker is a table: the status changed from its line is stored.
    assert.equal(await page.count({ css: 'table.action-table tbody.action' }), 1, 'the tracker is a table at 768 px');
    await page.choose({ field: `Status of: ${step}` }, 'Waiting');
    await page.waitFor({ css: '[role="status"]', text: 'Waiting on someone else' });
    // Its Undo at the foot, beneath the screen that scrolls on its own, in view.
    const foot = await page.evaluate(`const undo = [...document.querySelectorAll('.foot button')].find((b) => b.textContent.startsWith('Undo'));
      const main = document.querySelector('main');
      return undo && { top: undo.getBoundingClientRect().top, bottom: undo.getBoundingClientRect().bottom,
        screen: main.getBoundingClientRect().bottom, height: innerHeight, scrolls: getComputedStyle(main).overflowY }`);
    assert.ok(foot && foot.top >= foot.screen - 1 && foot.bottom <= foot.height + 1 && foot.scrolls === 'auto', `the Undo at the foot: ${JSON.stringify(foot)}`);
    await page.waitFor(SAVED);
    await page.reload();
    await page.waitFor(row(step));
    assert.equal(await page.evaluate(`return [...document.querySelectorAll('select.status-select')][0]?.selectedOptions[0]?.textContent`), 'Waiting');
    await page.tap({ button: `Details of: ${step}` });
    assert.equal(await page.attribute({ button: 'Waiting', within: row(step) }, 'aria-pressed'), 'true');
    await noProblems(page);
    await page.close();
  },

  async 'a meeting is started, its actions agreed, and read back at the end, after a reload too'(engine, app) {
    const page = await open(engine, app.url);
    await page.tap({ button: 'Start a meeting' });
    const form = { css: 'form[aria-label="Start a meeting"]' };
    await page.type({ field: 'Name', within: form }, 'Siân Evans');
    await page.choose({ field: 'Year group', within: form }, 'Year 4');
    await page.tap({ button: 'Add pupil', within: form });
    for (const person of ['Parent or carer', 'SENCO']) await page.tap({ button: person, within: form });
    await page.tap({ button: 'Start meeting', within: form });
    assert.equal(await page.text({ css: '#meeting-heading' }), 'Parent conversation — Siân Evans');

    const agreed = [
      ['Written work is tiring her out by lunchtime', 'Reduce written work to half a page', 'Class teacher'],
      ['Reading support may need a different approach', 'Check the reading support approach', 'SENCO'],
    ];
    const agree = { css: 'form[aria-label="Add an agreed action"]' };
    for (const [decision, step, owner] of agreed) {
      await page.type({ field: 'Issue or decision', within: agree }, decision);
      await page.type({ field: 'Action', within: agree }, step);
      await page.type({ field: 'Owner', within: agree }, owner);
      await page.tap({ button: '+2 weeks', within: agree });
      await page.tap({ button: 'Add action', within: agree });
      await page.waitFor({ text: step, within: { named: 'Agreed so far' } });
    }
    await page.type({ field: 'Working notes' }, 'Early thought: possible dyslexia?');
    await page.blur({ field: 'Working notes' });
    await page.waitFor(SAVED);

    await page.tap({ link: 'Finish meeting' });
    for (const reloaded of [false, true]) {
      if (reloaded) await page.reload();
      assert.match(await page.text({ css: '#read-back-heading' }), /^Agreed at the parent conversation for Siân Evans, \d{1,2} \w{3} \d{4}$/);
      const rows = await page.evaluate(() => [...document.querySelectorAll('table.read-back tbody tr')]
        .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
      assert.deepEqual(rows.map((r) => r.slice(0, 3)), agreed);
      for (const r of rows) assert.match(r[3], UK_DATE);
      assert.equal(await page.count({ text: 'possible dyslexia' }), 0, 'working notes are not read back as agreed');
    }
    await noProblems(page);
    await page.close();
  },

  async 'a CSV action log exported from one profile imports into a fresh one and exports the same bytes'(engine, app) {
    const one = await open(engine, app.url);
    await one.tap({ button: 'Load the example record' });
    await one.waitFor({ named: 'You are trying the example record' });
    await one.tap({ button: 'New pupil' });
    const pupil = 'Gwenllïan Ap Dafydd';
    await addPupil(one, pupil, 'Year 6');
    await addAction(one, { decision: 'Agreed, after "a long talk", with mum', step: '=SUM(A1) was typed by mistake', owner: 'Łukasz Nowak', pupil });
    await nav(one, 'Tracker');
    await one.waitFor({ css: '#tracker-heading' });
    const steps = (await one.texts({ css: '.action .next-step' })).sort();
    assert.ok(steps.length >= 8, steps.join(' | '));

    await nav(one, 'Import and export');
    await one.tap({ button: 'Download the action log (CSV)' });
    const exported = await one.nextFile();
    assert.equal(exported.name, `sendlog-actions-${today()}.csv`);
    assert.match(exported.type, /^text\/csv/);
    const text = exported.bytes.toString('utf8');
    assert.ok(text.startsWith('\uFEFFDate raised,Pupil,'), 'a byte-order mark, then the headers');
    assert.ok(text.includes('"Agreed, after ""a long talk"", with mum"'), 'quotes and commas are quoted');
    assert.ok(text.includes("'=SUM(A1)"), 'a formula is neutralised');
    await noProblems(one);
    await one.close();

    const folder = await mkdtemp(join(tmpdir(), 'sendlog-engines-'));
    try {
      const file = join(folder, exported.name);
      await writeFile(file, exported.bytes);
      const two = await open(engine, app.url);
      await nav(two, 'Import and export');
      await two.chooseFile({ field: 'Choose a file to import' }, file);
      await two.waitFor({ heading: `Check before importing: ${exported.name}` });
      await two.tap({ button: 'Import these changes' });
      await two.waitFor({ css: '[role="status"]', text: `Imported ${exported.name}` });
      await two.waitFor(SAVED);
      await two.reload();
      await nav(two, 'Tracker');
      await two.waitFor({ css: '#tracker-heading' });
      await two.waitFor(row('=SUM(A1) was typed by mistake'));
      assert.deepEqual((await two.texts({ css: '.action .next-step' })).sort(), steps);
      await nav(two, 'Import and export');
      await two.tap({ button: 'Download the action log (CSV)' });
      const again = await two.nextFile();
      assert.equal(again.bytes.toString('utf8'), text, 'the same file, byte for byte');
      await noProblems(two);
      await two.close();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  },

  async 'an encrypted export opens in a fresh profile with its passphrase, and a wrong one changes nothing'(engine, app) {
    const passphrase = 'Łódź ığdır Ffestiniog café';
    const one = await open(engine, app.url);
    await one.tap({ button: 'Load the example record' });
    await one.waitFor({ named: 'You are trying the example record' });
    await nav(one, 'Import and export');
    await one.tap({ field: 'Encrypt with a passphrase' });
    await one.type({ field: 'Passphrase' }, passphrase);
    await one.type({ field: 'The passphrase again' }, passphrase);
    await one.waitFor({ text: 'Strength: Strong.' });
    await one.tap({ button: 'Download everything (JSON)' });
    const sealed = await one.nextFile();
    assert.equal(sealed.name, `sendlog-record-${today()}.sendlog`);
    const header = JSON.parse(sealed.bytes.subarray(0, sealed.bytes.indexOf(0x0a)).toString('utf8'));
    assert.equal(header.kdf.name, 'PBKDF2-HMAC-SHA-256');
    assert.equal(header.length, sealed.bytes.length - sealed.bytes.indexOf(0x0a) - 1);
    await noProblems(one);
    await one.close();

    const folder = await mkdtemp(join(tmpdir(), 'sendlog-engines-'));
    try {
      const file = join(folder, sealed.name);
      await writeFile(file, sealed.bytes);
      const two = await open(engine, app.url);
      await nav(two, 'Import and export');
      await two.chooseFile({ field: 'Choose a file to import' }, file);
      await two.waitFor({ heading: `${sealed.name} is encrypted` });
      await two.type({ field: 'Its passphrase' }, 'not the passphrase at all');
      await two.tap({ button: 'Open the file' });
      await two.waitFor({ css: '#unlock-problem', text: 'That passphrase does not open this file.' });
      await two.type({ field: 'Its passphrase' }, passphrase);
      await two.tap({ button: 'Open the file' });
      await two.waitFor({ heading: `Check before importing: ${sealed.name}` });
      await two.tap({ button: 'Import these changes' });
      await two.waitFor({ css: '[role="status"]', text: `Imported ${sealed.name}` });
      await two.waitFor(SAVED);
      await nav(two, 'Tracker');
      await two.waitFor({ css: '#tracker-heading' });
      assert.ok((await two.count({ css: '.action' })) >= 6, 'the example record, imported');
      await noProblems(two);
      await two.close();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  },

  async "a school's tracker kept as .xlsx is read by the workbook worker, its sheet chosen, and imported"(engine, app) {
    const page = await open(engine, app.url);
    await nav(page, 'Import and export');
    await page.chooseFile({ field: 'Choose a file to import' }, WORKBOOKS + 'tracker.xlsx');
    await page.waitFor({ heading: 'Check before importing: tracker.xlsx' });
    await page.waitFor({ text: '5 new actions' });
    assert.deepEqual(await page.texts({ css: '#import-sheet option' }), ['Tracker', 'Lists']);
    await page.waitFor({ text: 'Rows 1 to 2, above the column names in row 3, were left out, as a title.' });
    await page.tap({ button: 'Import these changes' });
    await page.waitFor({ css: '[role="status"]', text: 'Imported tracker.xlsx' });
    await page.waitFor(SAVED);
    await page.reload();
    await nav(page, 'Tracker');
    await page.waitFor({ css: '#tracker-heading' });
    await page.waitFor(row('Plan the annual review'));
    const pupils = (await page.texts({ css: 'li.action .pupil, tbody.action .pupil-name' })).sort();
    assert.deepEqual(pupils, ['Siân Jones', 'Zoë Brontë', 'Γιώργος Παπαδόπουλος', 'İlker Yılmaz'].sort(), 'names intact');
    await noProblems(page);
    await page.close();
  },

  async 'opened once, the app reloads through its service worker with the server gone and keeps working'(engine) {
    const app = await serveApp();
    const page = await open(engine, app.url);
    try {
      await page.waitUntil(async () => {
        await navigator.serviceWorker.ready;
        return navigator.serviceWorker.controller !== null;
      }, 'the service worker to control the page');
      const pupil = 'Rhys Evans';
      await addPupil(page, pupil, 'Year 7');
      await addAction(page, { step: 'Send the sleep diary to the SENCO', owner: 'Parent', pupil });

      await app.close();
      await assert.rejects(fetch(app.url), 'the server is really gone');
      await page.reload();
      await page.waitFor(row('Send the sleep diary to the SENCO'));
      assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), 'the service worker served it');
      // With an action in the record, Home's form is one tap away.
      await page.tap({ css: 'details.add-action > summary' });
      await page.choose({ field: 'Pupil' }, 'Rhys Evans (Year 7)');
      await addAction(page, { step: 'Book the review meeting with the parent', owner: 'SENCO', pupil });
      await page.reload();
      await page.waitFor(row('Book the review meeting with the parent'));
      assert.equal(await page.count({ css: '.action' }), 2, 'both actions, the one added offline too');
      await nav(page, 'Tracker');
      await page.waitFor({ text: '2 live actions' });
      await noProblems(page);
    } finally {
      await page.close();
      await app.close();
    }
  },
};

/** Registers every path as a test in `name`'s engine, with one app server and one engine for all. */
export function suite(name) {
  let app;
  let engine;
  before(async () => { app = await serveApp(); engine = await startEngine(name); });
  afterEach(() => engine?.closePages());
  after(async () => {
    await engine?.close();
    await app?.close();
    // A request the browser never answered can keep this process alive after every path has
    // reported; it ends once they have, whatever is still open.
    setTimeout(() => process.exit(), 5_000).unref();
  });
  const only = process.env.SENDLOG_PATHS;
  for (const [title, path] of Object.entries(PATHS).filter(([t]) => !only || t.includes(only))) {
    test(`${name}: ${title}`, { timeout: 2 * PATH_TIMEOUT_MS }, async () => {
      try {
        await path(engine, app);
      } catch (error) {
        // The browser itself stopped answering (WebKitGTK's driver has, under load in CI): the
        // path runs once more in a new browser, and the log says so. Anything else fails.
        if (!/did not answer/.test(String(error?.message))) throw error;
        console.log(`${name}: ${title}: ${error.message}; running it once more in a new browser`);
        await engine.close().catch(() => {});
        engine = await startEngine(name);
        await path(engine, app);
      }
    });
  }
}
