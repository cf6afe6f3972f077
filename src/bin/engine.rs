//! The engine's bundle: Trunk builds this binary as the Web Worker bundle (`data-type="worker"`
//! in index.html). In a worker it registers the worker and waits for requests; on the page's
//! main thread (`static/boot.js` instantiates the same file there) it only answers the page's
//! input checks through [`answer`] (`src/engine/checks.rs`).

fn main() {
    #[cfg(target_arch = "wasm32")]
    if web_sys::window().is_none() {
        hopscope_web::engine::worker::register();
    }
}

/// The page's question about its input, answered with the engine's own parsers and checks
/// (bincode in, bincode out; see `hopscope_web::engine::checks`).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn answer(question: &[u8]) -> Vec<u8> {
    hopscope_web::engine::checks::answer_bytes(question)
}
