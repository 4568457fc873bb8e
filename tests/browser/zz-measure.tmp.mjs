import { serveApp, startBrowser, openTablet } from './support.mjs';
const app = await serveApp();
const chromium = await startBrowser();
const { context, page } = await openTablet(chromium.browser, app.url, { width: 768, height: 1024 });
await page.getByRole('button', { name: 'Load the example record' }).tap();
await page.getByRole('status').filter({ hasText: 'Saved on this device' }).waitFor();
for (const route of ['#/', '#/tracker', '#/review', '#/pupils', '#/archive', '#/share', '#/settings']) {
  await page.goto(new URL(route, app.url).href);
  await page.waitForTimeout(700);
  const small = await page.evaluate(() => [...document.querySelectorAll('a, button, input, select, textarea, summary, label.chip')]
    .filter((e) => e.offsetParent !== null)
    .map((e) => { const r = e.getBoundingClientRect(); return { tag: e.tagName, type: e.type || '', text: (e.innerText || e.value || e.getAttribute('aria-label') || '').slice(0, 30), w: Math.round(r.width), h: Math.round(r.height) }; })
    .filter((x) => (x.w < 44 || x.h < 44) && !(x.type === 'checkbox' || x.type === 'radio')));
  const seen = new Set();
  console.log(route, small.filter((x) => { const k = x.tag + x.type + x.h; if (seen.has(k)) return false; seen.add(k); return true; }).map((x) => `${x.tag}${x.type ? ':' + x.type : ''} "${x.text}" ${x.w}x${x.h}`).join(' | '));
}
await context.close(); await chromium.close(); await app.close();
