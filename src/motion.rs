//! `prefers-reduced-motion`: with it set, packets jump hop to hop instead of gliding (the style
//! sheet turns CSS transitions off on its own). The topology asks [`use_reduced_motion`].

use gloo::events::EventListener;
use yew::prelude::*;

const QUERY: &str = "(prefers-reduced-motion: reduce)";

/// Where a packet is drawn along its link: where it really is, or — with reduced motion — at
/// its sender for the whole flight, so it moves only when it arrives and the next hop leaves
/// from the receiver.
pub fn shown_progress(progress: f64, reduced: bool) -> f64 {
    if reduced {
        0.0
    } else {
        progress
    }
}

fn prefers_reduced() -> bool {
    // Server-side renders (native tests) have no window to ask.
    cfg!(target_arch = "wasm32")
        && web_sys::window()
            .and_then(|w| w.match_media(QUERY).ok().flatten())
            .is_some_and(|m| m.matches())
}

/// Whether the person asked for reduced motion; follows changes of the setting.
#[hook]
pub fn use_reduced_motion() -> bool {
    let reduced = use_state(prefers_reduced);
    {
        let reduced = reduced.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .and_then(|w| w.match_media(QUERY).ok().flatten())
                .map(|mql| {
                    EventListener::new(&mql, "change", move |_| reduced.set(prefers_reduced()))
                });
            move || drop(listener)
        });
    }
    *reduced
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduced_motion_holds_a_packet_at_its_sender() {
        for p in [0.0, 0.3, 0.99] {
            assert_eq!(shown_progress(p, true), 0.0);
            assert_eq!(shown_progress(p, false), p);
        }
    }
}
