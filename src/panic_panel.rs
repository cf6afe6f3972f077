//! A panic's message for the crash panel (`static/crash.js`, which builds the panel with plain
//! DOM calls: after a panic Yew cannot render anything any more).
//!
//! Only builds that keep panic messages run this hook (`trunk serve`'s debug build). The release
//! bundle is built with `panic = "immediate-abort"` (scripts/env.sh): its panics are traps that
//! run no hook, and `crash.js` shows the panel from the trap's `RuntimeError` alone.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// Shows the crash panel with `message` (set by `static/crash.js`).
    #[wasm_bindgen(js_name = hopscopeCrashed, catch)]
    fn crashed(message: &str) -> Result<(), JsValue>;
}

/// Installs the hook; call once at start.
pub fn install() {
    // Through Yew, which otherwise replaces any hook with its own when the app first renders.
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = match (info.payload_as_str(), info.location()) {
            (Some(text), Some(at)) => format!("panicked at {at}:\n{text}"),
            (Some(text), None) => format!("panicked: {text}"),
            (None, _) => info.to_string(),
        };
        web_sys::console::error_1(&format!("Hopscope crashed: {message}").into());
        let _ = crashed(&message);
    }));
}
