// The driver layer of the engine suite: one small page API (tap, type, choose, wait, read, run a
// script) over two clients, WebKitGTK's WebDriver through selenium-webdriver (WebKit, the iPad's
// engine) and Firefox ESR through puppeteer-core (WebDriver BiDi), so each path is written once.
// Both clients are pinned (package.json) to their last versions that run on Node 20, this
// machine's: selenium-webdriver 4.47 and puppeteer-core 25 need Node 22.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Builder } from 'selenium-webdriver';
import puppeteer from 'puppeteer-core';

const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver';
const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
const WAIT_MS = 20_000;
const TABLET = { width: 768, height: 1024 };

/**
 * Runs in the page: the element a query names, or null. A query is one of
 * `{ button | link | heading | field | named | text | css: string }` with `within` (another
 * query: the element to look inside) and `exact: false` (a part of the name is enough). Names are
 * what a person reads: a button's or link's text (or aria-label), a field's label, a region's
 * aria-label or the text of its aria-labelledby heading. Visible elements are preferred; with
 * `all: true` every match is returned.
 */
function locate(query) {
  const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
  const matches = (s, want) => (query.exact === false ? norm(s).includes(want) : norm(s) === want);
  const named = (el) => {
    const by = el.getAttribute('aria-labelledby');
    if (by) return by.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
    return el.getAttribute('aria-label') ?? '';
  };
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const find = (q, root) => {
    let all;
    if (q.button !== undefined || q.link !== undefined) {
      const want = q.button ?? q.link;
      const css = q.button !== undefined ? 'button, [role="button"], input[type="submit"]' : 'a[href], [role="link"]';
      all = [...root.querySelectorAll(css)].filter((el) => matches(el.getAttribute('aria-label') ?? el.textContent ?? el.value, want)
        || matches(el.textContent ?? el.value, want));
    } else if (q.heading !== undefined) {
      all = [...root.querySelectorAll('h1, h2, h3, h4, [role="heading"]')].filter((el) => matches(el.textContent, q.heading));
    } else if (q.field !== undefined) {
      const labelled = [...root.querySelectorAll('label')].filter((l) => matches(l.textContent, q.field))
        .map((l) => l.control ?? (l.htmlFor ? document.getElementById(l.htmlFor) : null));
      const aria = [...root.querySelectorAll('input, textarea, select')].filter((el) => matches(named(el), q.field));
      all = [...labelled, ...aria].filter(Boolean);
    } else if (q.named !== undefined) {
      all = [...root.querySelectorAll('[aria-label], [aria-labelledby]')]
        .filter((el) => !el.matches('button, a, input, select, textarea') && matches(named(el), q.named));
    } else if (q.css !== undefined) {
      all = [...root.querySelectorAll(q.css)].filter((el) => q.text === undefined || norm(el.textContent).includes(q.text));
    } else {
      // Text: the innermost elements whose text holds it.
      all = [...root.querySelectorAll('body *')].filter((el) => norm(el.textContent).includes(q.text)
        && ![...el.children].some((c) => norm(c.textContent).includes(q.text)));
    }
    return query.all ? all : all.find(visible) ?? all[0] ?? null;
  };
  let root = document;
  if (query.within) {
    root = locate({ ...query.within, all: false });
    if (!root) return null;
  }
  return find(query, root);
}

/** Runs in the page once it has loaded: records errors, and what a download link is given. */
function watchPage() {
  if (window.__engine) return;
  const seen = { errors: [], files: [] };
  window.__engine = seen;
  window.addEventListener('error', (e) => seen.errors.push(String(e.message ?? e)));
  window.addEventListener('unhandledrejection', (e) => seen.errors.push(String(e.reason)));
  const error = console.error;
  console.error = (...args) => { seen.errors.push(args.map(String).join(' ')); error.apply(console, args); };
  // A file the app offers is a Blob behind a link with a `download` name that it clicks (see
  // src/ui/files.rs). The suite keeps the Blob and the name, and the click on a blob: link goes
  // no further, so no save dialog opens in MiniBrowser and no folder is needed: what is checked
  // is the file the page built (its name, type and bytes), not the browser's download manager.
  const blobs = new Map();
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = (blob) => { const url = createObjectURL.call(URL, blob); blobs.set(url, blob); return url; };
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    if (this.download && blobs.has(this.href)) {
      const blob = blobs.get(this.href);
      seen.files.push({ name: this.download, type: blob.type, bytes: blob.arrayBuffer().then((b) => [...new Uint8Array(b)]) });
      return undefined;
    }
    return click.call(this);
  };
}

/** Runs in the page: the addresses of every resource the page has loaded from another origin. */
function foreignRequests() {
  return performance.getEntriesByType('resource').map((e) => e.name)
    .filter((url) => !url.startsWith(location.origin) && !url.startsWith('data:') && !url.startsWith('blob:'));
}

const pause = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

// How long a new WebKit session may take to open before the driver is started again.
const SESSION_MS = 60_000;

// How long one command to the browser may take before the browser is taken to have stopped
// answering (a WebDriver command that never returns would otherwise hold a path for minutes).
const COMMAND_MS = 30_000;

/** `impl` with each of its commands that answers later given up after COMMAND_MS, saying which one. */
function answering(engine, impl) {
  const wrapped = {};
  for (const [name, command] of Object.entries(impl)) {
    wrapped[name] = (...args) => {
      const answer = command(...args);
      if (typeof answer?.then !== 'function') return answer;
      let timer;
      const late = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${engine}: the browser did not answer ${name} within ${COMMAND_MS / 1000} s`)), COMMAND_MS);
      });
      return Promise.race([answer, late]).finally(() => clearTimeout(timer));
    };
  }
  return wrapped;
}

/** The page API both engines share; `impl` supplies the few things a client does its own way. */
class Page {
  constructor(engine, impl) { this.engine = engine; this.impl = answering(engine, impl); this.errors = []; }

  /** Runs `fn(arg)` in the page (it may be async) and returns its JSON-able result. */
  evaluate(fn, arg = null) {
    // A string is the body of a function of `arg`.
    // eslint-disable-next-line no-new-func
    return this.impl.evaluate(typeof fn === 'function' ? fn : new Function('arg', fn), arg);
  }

  async goto(url) { await this.impl.goto(url); await this.#settle(); }
  async reload() { await this.#collect(); await this.impl.reload(); await this.#settle(); }

  async #settle() {
    await this.waitUntil(() => document.readyState === 'complete', 'the page to load');
    await this.evaluate(watchPage);
  }

  async #collect() {
    const seen = await this.evaluate(() => window.__engine?.errors ?? []).catch(() => []);
    this.errors.push(...seen);
  }

  /** Waits until `fn(arg)`, run in the page, is truthy; returns it. */
  async waitUntil(fn, what, arg = null, timeout = WAIT_MS) {
    const end = Date.now() + timeout;
    for (;;) {
      const value = await this.evaluate(fn, arg).catch(() => undefined);
      if (value) return value;
      if (Date.now() > end) {
        const shown = await this.evaluate(() => document.body?.innerText.replace(/\s+/g, ' ').slice(0, 600)).catch((e) => String(e));
        throw new Error(`${this.engine}: waited ${timeout / 1000} s for ${what}; the page shows: ${shown}`);
      }
      await pause(100);
    }
  }

  /** Waits until the query finds an element; returns the client's handle on it. */
  async element(query) {
    await this.waitFor(query);
    return this.impl.element(locate, query);
  }

  async waitFor(query) {
    await this.waitUntil(`return (${locate})(arg) !== null`, JSON.stringify(query), query);
  }

  async waitGone(query) {
    await this.waitUntil(`return (${locate})(arg) === null`, `${JSON.stringify(query)} to go`, query);
  }

  /** How many elements the query finds. */
  async count(query) {
    return this.evaluate(`return (${locate})(arg)?.length ?? 0`, { ...query, all: true });
  }

  /** The text of every element the query finds. */
  async texts(query) {
    return this.evaluate(`return ((${locate})(arg) ?? []).map((el) => el.textContent.replace(/\\s+/g, ' ').trim())`, { ...query, all: true });
  }

  /** The text of the element the query finds (spaces run together). */
  async text(query) {
    await this.waitFor(query);
    return this.evaluate(`return (${locate})(arg).textContent.replace(/\\s+/g, ' ').trim()`, query);
  }

  async value(query) {
    await this.waitFor(query);
    return this.evaluate(`return (${locate})(arg).value`, query);
  }

  /** The value of an attribute of the element the query finds. */
  async attribute(query, name) {
    await this.waitFor(query);
    return this.evaluate(`return (${locate})(arg.query).getAttribute(arg.name)`, { query, name });
  }

  /**
   * Taps (clicks) the element, as the client's native pointer does it, once it has stopped
   * moving: a click lands where the element was when it was scrolled to, and a screen still
   * filling in (the welcome, a banner) can move it meanwhile.
   */
  async tap(query) {
    const where = `const el = (${locate})(arg);
      if (!el) return false;
      el.scrollIntoView({ block: 'center' });
      const r = el.getBoundingClientRect();
      return JSON.stringify([r.x, r.y, r.width, r.height]);`;
    let last = await this.waitUntil(where, JSON.stringify(query), query);
    for (;;) {
      await pause(60);
      const now = await this.waitUntil(where, JSON.stringify(query), query);
      if (now === last) break;
      last = now;
    }
    await this.impl.click(await this.impl.element(locate, query));
  }

  /** Empties a field, then types `text` into it key by key. */
  async type(query, text) {
    const field = await this.element(query);
    // In the middle of the screen, as tap does: never beneath a bar at its foot.
    await this.evaluate(`(${locate})(arg).scrollIntoView({ block: 'center' });`, query);
    await this.impl.click(field);
    await this.evaluate(`const f = (${locate})(arg); f.value = ''; f.dispatchEvent(new Event('input', { bubbles: true }));`, query);
    await this.impl.type(field, text);
  }

  /** Chooses the option of a <select> whose label is `label`, as a person's pick fires input and change. */
  async choose(query, label) {
    await this.waitFor(query);
    const chosen = await this.evaluate(`
      const select = (${locate})(arg.query);
      const option = [...select.options].find((o) => o.label.trim() === arg.label);
      if (option) {
        select.value = option.value;
        select.dispatchEvent(new Event('input', { bubbles: true }));
        select.dispatchEvent(new Event('change', { bubbles: true }));
      }
      return option ? true : [...select.options].map((o) => o.label).join(' | ');`, { query, label });
    if (chosen !== true) throw new Error(`${this.engine}: no option "${label}" in ${JSON.stringify(query)}: ${chosen}`);
  }

  /** Gives a file input the file at `path`, as the file picker does. */
  async chooseFile(query, path) {
    await this.waitFor(query);
    await this.impl.upload(await this.impl.element(locate, query), path);
  }

  /** Moves the focus out of the field (a change is committed on blur). */
  async blur(query) { await this.evaluate(`(${locate})(arg).blur();`, query); }

  /** Waits for the next file the page offers (see watchPage); returns its name, type and bytes. */
  async nextFile() {
    const file = await this.waitUntil(async () => {
      const next = window.__engine.files.shift();
      return next ? { name: next.name, type: next.type, bytes: await next.bytes } : null;
    }, 'a file to be offered');
    return { ...file, bytes: Buffer.from(file.bytes) };
  }

  /** Console errors and uncaught errors seen since the page loaded, and requests to other origins. */
  async problems() {
    await this.#collect();
    const foreign = await this.evaluate(foreignRequests);
    return { errors: [...this.errors, ...this.impl.errors()], foreign };
  }

  close() { return this.impl.close(); }
}

/** A free TCP port on loopback. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
  });
}

/** Waits until a child prints a line on stdout; returns it. */
function firstLine(child, what) {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => { out += d; if (out.includes('\n')) resolve(out.split('\n')[0].trim()); });
    child.once('exit', (code) => reject(new Error(`${what} stopped (${code})`)));
  });
}

/**
 * WebKit: an X display of its own (Xvfb; MiniBrowser has no headless mode), WebKitWebDriver on a
 * free port, and a new MiniBrowser session, with an empty ephemeral profile, for every page.
 */
async function startWebKit() {
  const xvfb = spawn('Xvfb', ['-displayfd', '1', '-nolisten', 'tcp', '-screen', '0', '1280x1280x24'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const display = `:${await firstLine(xvfb, 'Xvfb')}`;
  // WebKitWebDriver runs one session at a time; one that never ends (its MiniBrowser gone
  // without the session closing) would hold every later page's session request for ever, so
  // a request not answered in time starts the driver again and asks once more.
  let driver;
  let server;
  const startDriver = async () => {
    const port = await freePort();
    driver = spawn(WEBKIT_DRIVER, [`--port=${port}`], { stdio: 'ignore', env: { ...process.env, DISPLAY: display } });
    server = `http://127.0.0.1:${port}`;
    for (let tries = 0; ; tries += 1) {
      const up = await fetch(`${server}/status`).then((r) => r.ok, () => false);
      if (up) break;
      if (tries > 100) throw new Error('WebKitWebDriver did not start');
      await pause(100);
    }
  };
  await startDriver();
  // Neither outlives the test run, however it ends.
  process.once('exit', () => { driver.kill(); xvfb.kill(); });
  const newSession = () => {
    const build = new Builder().usingServer(server).withCapabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
    }).build().catch(() => null);
    return Promise.race([build, pause(SESSION_MS).then(() => null)]);
  };
  return {
    async newPage() {
      let session = await newSession();
      if (!session) {
        driver.kill();
        await startDriver();
        session = await newSession();
        if (!session) throw new Error(`webkit: no new session within ${SESSION_MS / 1000} s, twice`);
      }
      await session.manage().window().setRect(TABLET);
      const run = (fn, arg) => session.executeAsyncScript(
        `const done = arguments[arguments.length - 1];
         const arg = arguments[0];
         Promise.resolve().then(() => (${fn})(arg))
           .then((value) => done({ value }), (error) => done({ error: String(error) }));`, arg);
      return new Page('webkit', {
        async evaluate(fn, arg) {
          const { value, error } = await run(fn, arg);
          if (error) throw new Error(error);
          return value;
        },
        goto: (url) => session.get(url),
        reload: () => session.navigate().refresh(),
        element: (find, query) => session.executeScript(`return (${find})(arguments[0])`, query),
        click: (element) => element.click(),
        type: (element, text) => element.sendKeys(text),
        upload: (element, path) => element.sendKeys(path),
        errors: () => [],
        close: () => session.quit(),
      });
    },
    async close() { driver.kill(); xvfb.kill(); },
  };
}

/**
 * Firefox ESR, headless, over WebDriver BiDi: one browser, and a new user context for every page,
 * as empty as a new profile (its service worker, storage and cache its own).
 */
async function startFirefox() {
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: FIREFOX, headless: true,
    extraPrefsFirefox: { 'intl.accept_languages': 'en-GB', 'intl.locale.requested': 'en-GB' },
  });
  return {
    async newPage() {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.setViewport(TABLET);
      const errors = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      return new Page('firefox', {
        evaluate: (fn, arg) => page.evaluate(fn, arg),
        goto: (url) => page.goto(url),
        reload: () => page.reload(),
        element: (find, query) => page.evaluateHandle(find, query),
        click: (element) => element.click(),
        type: (element, text) => element.type(text),
        upload: (element, path) => element.uploadFile(path),
        errors: () => errors,
        close: () => context.close(),
      });
    },
    close: () => browser.close(),
  };
}

export const ENGINES = { webkit: startWebKit, firefox: startFirefox };

/** Starts an engine by name ('webkit' or 'firefox'): `{ newPage(url), close() }`. */
export async function startEngine(name) {
  const engine = await ENGINES[name]();
  const open = new Set();
  return {
    async newPage(url) {
      const page = await engine.newPage();
      const close = page.close.bind(page);
      page.close = async () => { if (open.delete(page)) await close(); };
      open.add(page);
      await page.goto(url);
      return page;
    },
    /** Closes the pages a failed path left open (WebKitWebDriver runs one session at a time). */
    async closePages() {
      // A client that no longer answers must not hold the run up.
      const gone = (page) => Promise.race([page.close().catch(() => {}), pause(15_000)]);
      for (const page of [...open]) await gone(page);
    },
    async close() {
      await this.closePages();
      await engine.close();
    },
  };
}

