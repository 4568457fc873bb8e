// Draws the app's icons (public/icons/*.png) from its logo with headless Chromium. Run it again
// after changing the logo: node scripts/icons.mjs (after ./scripts/setup, which installs the tools).
import { chromium } from '../tests/browser/node_modules/playwright-core/index.mjs';
import { fileURLToPath } from 'node:url';

const out = fileURLToPath(new URL('../public/icons/', import.meta.url));
// The logo: three lines of a list and a dot, on the app's blue. `inset` is the share of the
// square left around it (maskable icons keep their content in the middle 80%).
const logo = (size, { inset, rounded }) => `
  <svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 64 64">
    <rect width="64" height="64" rx="${rounded ? 12 : 0}" fill="#1d4e89"/>
    <g transform="translate(${32 * inset} ${32 * inset}) scale(${1 - inset})">
      <path d="M18 20h28M18 32h28M18 44h16" stroke="#fff" stroke-width="5" stroke-linecap="round"/>
      <circle cx="46" cy="44" r="5" fill="#f2c14e"/>
    </g>
  </svg>`;
const icons = [
  ['icon-192.png', 192, { inset: 0, rounded: true }],
  ['icon-512.png', 512, { inset: 0, rounded: true }],
  ['maskable-512.png', 512, { inset: 0.2, rounded: false }],
  ['apple-touch-icon.png', 180, { inset: 0.08, rounded: false }],
];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const [name, size, shape] of icons) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<body style="margin:0">${logo(size, shape)}</body>`);
  await page.screenshot({ path: out + name, omitBackground: shape.rounded });
  await page.close();
}
await browser.close();
console.log(`icons written to ${out}`);
