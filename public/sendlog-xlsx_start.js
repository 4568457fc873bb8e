// Starts the workbook worker (src/bin/xlsx.rs, built by trunk beside index.html); the page
// starts this script as the worker (src/ui/workbook.rs). Addresses are relative to this file,
// so the app works at any path.
importScripts('../sendlog-xlsx.js');
wasm_bindgen({ module_or_path: '../sendlog-xlsx_bg.wasm' });
