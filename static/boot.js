// Starts Hopscope: loads the page's wasm-bindgen module and its WebAssembly. A file of its own
// (not Trunk's inline loader) so the Content-Security-Policy in index.html allows no inline
// script at all. The engine's worker bundle is started later by the page itself.
import init from './hopscope-web.js';

await init({ module_or_path: new URL('./hopscope-web_bg.wasm', import.meta.url) });
