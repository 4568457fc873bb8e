// What a tablet downloads to run SEND Log stays within its budget (issue 21, point 3): the
// release build's WebAssembly, JavaScript and CSS, gzipped at level 9, against budget.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { DOWNLOAD_BUDGET_KB, WORKBOOK_READER_BUDGET_KB, transferSize } from './budget.mjs';

const DIST = process.env.SENDLOG_DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url));

test(`the download (wasm + js + css, gzip -9) is within its budget of ${DOWNLOAD_BUDGET_KB} KB`, () => {
  const size = transferSize(DIST);
  const kinds = new Set(size.files.map((f) => f.file.split('.').pop()));
  assert.deepEqual([...kinds].sort(), ['css', 'js', 'wasm'], 'the build has its wasm, js and css');
  const parts = size.files.map((f) => `${f.file} ${(f.gzip / 1024).toFixed(1)} KB`).join(', ');
  console.log(`download: ${size.gzipKB.toFixed(1)} KB of ${DOWNLOAD_BUDGET_KB} KB (${parts})`);
  assert.ok(size.gzipKB <= DOWNLOAD_BUDGET_KB,
    `the download is ${size.gzipKB.toFixed(1)} KB, over its budget of ${DOWNLOAD_BUDGET_KB} KB: `
    + 'measure what grew (BENCHMARKS.md says how), make it smaller, or raise the budget in tests/browser/budget.mjs and say why');
});

test(`the workbook reader, fetched apart from the app, is within its budget of ${WORKBOOK_READER_BUDGET_KB} KB`, () => {
  const size = transferSize(DIST, { reader: true });
  assert.deepEqual(size.files.map((f) => f.file).sort(), ['public/sendlog-xlsx_start.js', 'sendlog-xlsx.js', 'sendlog-xlsx_bg.wasm']);
  console.log(`workbook reader: ${size.gzipKB.toFixed(1)} KB of ${WORKBOOK_READER_BUDGET_KB} KB`);
  assert.ok(size.gzipKB <= WORKBOOK_READER_BUDGET_KB,
    `the workbook reader is ${size.gzipKB.toFixed(1)} KB, over its budget of ${WORKBOOK_READER_BUDGET_KB} KB`);
});
