//! The engine worker's entry point: Trunk builds this binary as the Web Worker bundle
//! (`data-type="worker"` in index.html); it registers the worker and waits for requests.

fn main() {
    #[cfg(target_arch = "wasm32")]
    hopscope_web::engine::worker::register();
}
