//! The size of the topology's box, kept by a `ResizeObserver`: the drawing's width follows it,
//! and the packet canvas must cover exactly the SVG, whose height also changes when the page
//! around it does (an embed's narration growing), not only when the window is resized.
//!
//! A new size reaches the view in a task of its own: the observer reports inside the browser's
//! rendering step, so re-drawing a 100-node topology there made one task of the drawing and the
//! layout and paint after it (50–65 ms under load); deferred, they are two.

use super::packets::Placement;
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
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
            // The latest size, waiting for its task; dropping it (a newer size, the unmount)
            // cancels it.
            let pending: Rc<RefCell<Option<Timeout>>> = Rc::default();
            let waiting = pending.clone();
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
                            let size = size.clone();
                            *waiting.borrow_mut() =
                                Some(Timeout::new(0, move || size.set(Some(next))));
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
                pending.borrow_mut().take();
            }
        });
    }
    *size
}
