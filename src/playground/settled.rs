//! `use_settled`: false on a view's first render in the browser, true from a task later, so a
//! big page mounts in two tasks — what a person looks at first (the diagram, the controls, the
//! narration), then the rest (the form, the charts, the results) — instead of one long one.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// Whether the view's second part may render. Always true outside the browser (server-side
/// renders and native tests render the whole page at once).
#[hook]
pub fn use_settled() -> bool {
    let settled = use_state_eq(|| !cfg!(target_arch = "wasm32"));
    {
        let settled = settled.clone();
        use_effect_with((), move |_| {
            let pending = (!*settled).then(|| Timeout::new(0, move || settled.set(true)));
            // Unmounted first: the timer is dropped, and with it the update.
            move || drop(pending)
        });
    }
    *settled
}
