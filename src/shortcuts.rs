//! Keyboard shortcuts of the playground: Space plays or pauses, ← and → step by narrated step,
//! Home and End go to the first and last step, `[` and `]` slow down and speed up, `?` shows
//! them all (`help`). They never fire while a person types in a field or menu, and leave Space
//! and Enter to a focused button or link.

mod help;

pub use help::ShortcutsHelp;

use crate::playback::PlaybackAction;
use gloo::events::{EventListener, EventListenerOptions};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};
use yew::prelude::*;

/// What a key asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Shortcut {
    Playback(PlaybackAction),
    /// Show the list of shortcuts.
    Help,
}

/// Every shortcut as (keys, what it does), for the help dialog and the buttons' titles.
pub const KEYS: [(&str, &str); 7] = [
    ("Space", "Play or pause"),
    ("→", "Step forward to the next narrated step"),
    ("←", "Step back"),
    ("Home", "First step"),
    ("End", "Last step"),
    ("[ / ]", "Slower / faster"),
    ("?", "Show these shortcuts"),
];

/// The shortcut a key asks for, if any (pure, so the mapping is tested natively).
pub fn action_for(key: &str, modified: bool) -> Option<PlaybackAction> {
    match shortcut_for(key, modified)? {
        Shortcut::Playback(a) => Some(a),
        Shortcut::Help => None,
    }
}

pub fn shortcut_for(key: &str, modified: bool) -> Option<Shortcut> {
    if modified {
        return None;
    }
    let action = match key {
        " " | "k" => PlaybackAction::TogglePlay,
        "ArrowRight" | "l" => PlaybackAction::StepForward,
        "ArrowLeft" | "j" => PlaybackAction::StepBack,
        "Home" => PlaybackAction::First,
        "End" => PlaybackAction::Last,
        "[" => PlaybackAction::Slower,
        "]" => PlaybackAction::Faster,
        "?" => return Some(Shortcut::Help),
        _ => return None,
    };
    Some(Shortcut::Playback(action))
}

/// Where the key was pressed, as far as shortcuts care.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// A text field, a menu, a slider, anything editable: every key is the field's.
    Field,
    /// A button, a link or a summary: Space and Enter are the control's, the rest are ours.
    Control,
    Elsewhere,
}

/// Whether `shortcut` may fire for a key pressed on `target`.
pub fn fires_on(target: Target, key: &str) -> bool {
    match target {
        Target::Field => false,
        Target::Control => !matches!(key, " " | "Enter"),
        Target::Elsewhere => true,
    }
}

fn target_of(e: &KeyboardEvent) -> Target {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return Target::Elsewhere;
    };
    let editable = el
        .dyn_ref::<web_sys::HtmlElement>()
        .is_some_and(|h| h.is_content_editable());
    match el.tag_name().as_str() {
        "INPUT" | "SELECT" | "TEXTAREA" => Target::Field,
        _ if editable => Target::Field,
        "BUTTON" | "A" | "SUMMARY" => Target::Control,
        _ => Target::Elsewhere,
    }
}

/// Listens for the shortcuts on the window while mounted; `on_help` gets `?`. Keys are ignored
/// while `paused` is set (the help dialog is open).
#[hook]
fn use_shortcuts(
    on_action: Callback<PlaybackAction>,
    on_help: Callback<()>,
    paused: Rc<Cell<bool>>,
) {
    use_effect_with((on_action, on_help), move |(on_action, on_help)| {
        let (on_action, on_help) = (on_action.clone(), on_help.clone());
        let listener = web_sys::window().map(|w| {
            EventListener::new_with_options(
                &w,
                "keydown",
                EventListenerOptions::enable_prevent_default(),
                move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    let key = e.key();
                    if paused.get() || !fires_on(target_of(e), &key) || e.repeat() && key == " " {
                        return;
                    }
                    match shortcut_for(&key, e.ctrl_key() || e.meta_key() || e.alt_key()) {
                        Some(Shortcut::Playback(action)) => {
                            e.prevent_default();
                            on_action.emit(action);
                        }
                        Some(Shortcut::Help) => {
                            e.prevent_default();
                            on_help.emit(());
                        }
                        None => {}
                    }
                },
            )
        });
        move || drop(listener)
    });
}

/// The playback shortcuts without the help dialog (for views that show no playground chrome).
#[hook]
pub fn use_playback_shortcuts(on_action: Callback<PlaybackAction>) {
    let paused = use_memo((), |_| Rc::new(Cell::new(false)));
    use_shortcuts(on_action, Callback::noop(), (*paused).clone());
}

#[derive(Properties, PartialEq)]
pub struct KeyboardShortcutsProps {
    pub on_action: Callback<PlaybackAction>,
}

/// The shortcuts and their help: a "Keyboard shortcuts" button and the dialog it (or `?`)
/// opens. Mount one per playground.
#[component]
pub fn KeyboardShortcuts(props: &KeyboardShortcutsProps) -> Html {
    let open = use_state(|| false);
    let paused = use_memo((), |_| Rc::new(Cell::new(false)));
    paused.set(*open);
    let on_help = {
        let open = open.clone();
        use_callback((), move |_: (), _| open.set(true))
    };
    use_shortcuts(props.on_action.clone(), on_help, (*paused).clone());
    let on_open = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(true))
    };
    let on_close = {
        let open = open.clone();
        Callback::from(move |_: ()| open.set(false))
    };
    html! {
        <>
            <button type="button" class="button shortcuts-button" data-testid="shortcuts-button" aria-haspopup="dialog"
                aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onclick={on_open}>
                <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M3 6h18a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1zm1 2v8h16V8zm1.5 1.5h2v2h-2zm3.5 0h2v2H9zm3.5 0h2v2h-2zm3.5 0h2v2h-2zM7 13.5h10v1.5H7z" />
                </svg>
                <span class="shortcuts-label">{ "Shortcuts" }</span>
            </button>
            <ShortcutsHelp open={*open} on_close={on_close} />
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playback::{Playback, Timeline};
    use crate::speed::Speed;
    use hopscope_sim::SimTime;

    #[test]
    fn keys_map_to_actions() {
        let cases = [
            (" ", PlaybackAction::TogglePlay),
            ("ArrowRight", PlaybackAction::StepForward),
            ("ArrowLeft", PlaybackAction::StepBack),
            ("Home", PlaybackAction::First),
            ("End", PlaybackAction::Last),
            ("[", PlaybackAction::Slower),
            ("]", PlaybackAction::Faster),
        ];
        for (key, action) in cases {
            assert_eq!(action_for(key, false), Some(action), "{key:?}");
        }
        assert_eq!(shortcut_for("?", false), Some(Shortcut::Help));
        assert_eq!(
            action_for("?", false),
            None,
            "help is not a playback action"
        );
        assert_eq!(
            action_for("ArrowLeft", true),
            None,
            "browser shortcuts stay the browser's"
        );
        assert_eq!(action_for("x", false), None);
    }

    #[test]
    fn typing_in_a_field_never_fires_and_controls_keep_space_and_enter() {
        for key in [" ", "ArrowLeft", "Home", "[", "?"] {
            assert!(!fires_on(Target::Field, key), "{key:?} in a field");
            assert!(fires_on(Target::Elsewhere, key), "{key:?} on the page");
        }
        assert!(
            !fires_on(Target::Control, " "),
            "Space presses the focused button"
        );
        assert!(!fires_on(Target::Control, "Enter"));
        assert!(
            fires_on(Target::Control, "ArrowRight"),
            "arrows still step from a button"
        );
    }

    fn playback(steps: &[u64], duration: u64) -> Playback {
        Playback::new(std::rc::Rc::new(Timeline {
            duration: SimTime(duration),
            step_times: steps.iter().map(|t| SimTime(*t)).collect(),
            pace: 1000.0,
        }))
    }

    #[test]
    fn home_and_end_go_to_the_first_and_last_step_and_pause() {
        let p = playback(&[10, 20, 20, 50], 100);
        let mid = p
            .apply(PlaybackAction::Seek(SimTime(30)))
            .apply(PlaybackAction::Play);
        assert!(mid.playing);
        let end = mid.apply(PlaybackAction::Last);
        assert_eq!(
            (end.t, end.step, end.playing),
            (SimTime(50), Some(3), false)
        );
        let home = end.apply(PlaybackAction::First);
        assert_eq!(
            (home.t, home.step, home.playing),
            (SimTime(10), Some(0), false)
        );
        // Two steps share t = 20: End on a run ending there still picks the last one.
        let shared = playback(&[5, 20, 20], 30).apply(PlaybackAction::Last);
        assert_eq!((shared.t, shared.step), (SimTime(20), Some(2)));
        let none = playback(&[], 70);
        assert_eq!(none.apply(PlaybackAction::Last).t, SimTime(70));
        assert_eq!(
            none.apply(PlaybackAction::Last)
                .apply(PlaybackAction::First)
                .t,
            SimTime(0)
        );
    }

    #[test]
    fn brackets_walk_the_speed_list_and_stop_at_its_ends() {
        let mut p = playback(&[1], 10);
        assert_eq!(p.speed, Speed::NORMAL);
        p = p.apply(PlaybackAction::Faster);
        assert_eq!(p.speed.to_string(), "2");
        for _ in 0..10 {
            p = p.apply(PlaybackAction::Faster);
        }
        assert_eq!(p.speed.to_string(), "16", "stays at the top");
        for _ in 0..10 {
            p = p.apply(PlaybackAction::Slower);
        }
        assert_eq!(p.speed.to_string(), "0.25", "stays at the bottom");
        assert_eq!(p.apply(PlaybackAction::Faster).speed.to_string(), "0.5");
    }
}
