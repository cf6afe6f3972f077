//! The size of the topology's box, kept by a `ResizeObserver`: the drawing's width follows it,
//! and the packet canvas must cover exactly the SVG, whose height also changes when the page
//! around it does (an embed's narration growing), not only when the window is resized.

use super::packets::Placement;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The content box of `node` in CSS pixels, once it has been laid out (`None` before, and in
/// server-side renders).
#[hook]
pub fn use_box_size(node: NodeRef) -> Option<Placement> {
    // `_eq`: a resize that leaves the box as it was re-renders nothing.
    let size = use_state_eq(|| None::<Placement>);
    {
        let size = size.clone();
        use_effect_with(node, move |node| {
            let observed = node.cast::<web_sys::Element>().and_then(|el| {
                let on_resize =
                    Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                        let Ok(entry) = entries.get(0).dyn_into::<web_sys::ResizeObserverEntry>()
                        else {
                            return;
                        };
                        let rect = entry.content_rect();
                        let next = Placement {
                            w: rect.width(),
                            h: rect.height(),
                        };
                        if next.w > 0.0 {
                            size.set(Some(next));
                        }
                    });
                let observer =
                    web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
                observer.observe(&el);
                Some((observer, on_resize))
            });
            move || {
                if let Some((observer, on_resize)) = observed {
                    observer.disconnect();
                    drop(on_resize);
                }
            }
        });
    }
    *size
}
