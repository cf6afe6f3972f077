//! Keyboard shortcuts of the playground: Space plays or pauses, ← and → step by narrated step.
//! They stay out of the way of form fields and buttons, which keep their own keys.

use crate::playback::PlaybackAction;
use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};
use yew::prelude::*;

/// The action a key asks for, if any (pure, so the mapping is tested natively).
pub fn action_for(key: &str, modified: bool) -> Option<PlaybackAction> {
    if modified {
        return None;
    }
    match key {
        " " | "k" => Some(PlaybackAction::TogglePlay),
        "ArrowRight" | "l" => Some(PlaybackAction::StepForward),
        "ArrowLeft" | "j" => Some(PlaybackAction::StepBack),
        _ => None,
    }
}

#[hook]
pub fn use_playback_shortcuts(on_action: Callback<PlaybackAction>) {
    use_effect_with(on_action, |on_action| {
        let on_action = on_action.clone();
        let listener = web_sys::window().map(|w| {
            EventListener::new_with_options(
                &w,
                "keydown",
                EventListenerOptions::enable_prevent_default(),
                move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    let in_control = e
                        .target()
                        .and_then(|t| t.dyn_into::<Element>().ok())
                        .is_some_and(|el| {
                            matches!(
                                el.tag_name().as_str(),
                                "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON" | "A"
                            )
                        });
                    if in_control || e.repeat() && e.key() == " " {
                        return;
                    }
                    if let Some(action) =
                        action_for(&e.key(), e.ctrl_key() || e.meta_key() || e.alt_key())
                    {
                        e.prevent_default();
                        on_action.emit(action);
                    }
                },
            )
        });
        move || drop(listener)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_actions() {
        assert_eq!(action_for(" ", false), Some(PlaybackAction::TogglePlay));
        assert_eq!(
            action_for("ArrowRight", false),
            Some(PlaybackAction::StepForward)
        );
        assert_eq!(
            action_for("ArrowLeft", false),
            Some(PlaybackAction::StepBack)
        );
        assert_eq!(
            action_for("ArrowLeft", true),
            None,
            "browser shortcuts stay the browser's"
        );
        assert_eq!(action_for("x", false), None);
    }
}
