//! Hooks on the browser window's size: redraw canvases when it changes.

use gloo::events::EventListener;
use yew::prelude::*;

/// A number that changes whenever the window is resized (or the device-pixel ratio changes
/// with it, e.g. on zoom), for effects that must redraw.
#[hook]
pub fn use_resize_epoch() -> u32 {
    let epoch = use_state(|| 0_u32);
    {
        let epoch = epoch.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "resize", move |_| {
                    epoch.set((*epoch).wrapping_add(1));
                })
            });
            move || drop(listener)
        });
    }
    *epoch
}
