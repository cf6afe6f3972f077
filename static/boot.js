// Starts Hopscope: loads the page's wasm-bindgen module and its WebAssembly. A file of its own
// (not Trunk's inline loader) so the Content-Security-Policy in index.html allows no inline
// script at all.
//
// The engine's bundle (the worker's file, src/bin/engine.rs) is instantiated here on the main
// thread too, before the page starts: the page asks it, synchronously, for the blocks'
// descriptions (src/engine/catalog.rs) and to check what a person types (a block's cross-field
// rules, zone files, traces, pasted IDs; src/engine/checks.rs), so the page's own bundle does
// not carry those a second time. The worker itself is
// started later by the page, from engine-loader.js.
import init from './hopscope-web.js';
import { crashOn } from './crash.js';

const here = (file) => new URL(file, import.meta.url);

// The engine's glue is built for workers (wasm-bindgen's no-modules target): a classic script
// that defines the global `wasm_bindgen`.
function startEngine() {
    return new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = here('./hopscope-engine.js');
        script.onload = resolve;
        script.onerror = () => reject(new Error('hopscope-engine.js did not load'));
        document.head.append(script);
    })
        .then(() => wasm_bindgen({ module_or_path: here('./hopscope-engine_bg.wasm') }))
        .then(() => {
            globalThis.hopscopeEngine = { answer: wasm_bindgen.answer };
        });
}

// Both downloads start at once; the page starts once the engine can answer it. Without the
// engine the page still starts, with no block to show, and says why (`unavailable` in
// src/engine/catalog.rs).
const page = fetch(here('./hopscope-web_bg.wasm'));
await startEngine().catch((e) => {
    console.error('Hopscope: the engine could not start:', e);
    globalThis.hopscopeEngine = { failed: String(e?.message ?? e) };
});
try {
    await init({ module_or_path: page });
} catch (e) {
    // A trap while the app first renders (a panic in the release build, see crash.js).
    console.error('Hopscope crashed while starting:', e);
    crashOn(e);
}
