// Starts the engine worker (src/engine/worker.rs): loads its wasm-bindgen glue (no-modules
// target) and its WebAssembly. The page spawns the worker from this file by name.
importScripts('./hopscope-engine.js');
wasm_bindgen({ module_or_path: './hopscope-engine_bg.wasm' });
