//! Light and dark themes: the person's choice (auto, light, dark) is remembered in
//! `localStorage` (the only storage the app uses), `auto` follows `prefers-color-scheme`, and a
//! `theme=` flag in the URL (an embed's, see `url_state::embed`) overrides both for that page.
//!
//! The resolved theme is written to `<html data-theme="light|dark">`: the style sheet's colour
//! variables follow it, and components that paint outside CSS (the plotters charts on
//! `<canvas>`) read it with [`use_theme`], which re-renders them when it changes.

use gloo::events::EventListener;
use std::cell::Cell;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The `localStorage` key of the person's choice.
pub const STORAGE_KEY: &str = "hopscope-theme";
/// Dispatched on `window` whenever the resolved theme may have changed.
pub const CHANGED_EVENT: &str = "hopscope-theme-change";
const DARK_QUERY: &str = "(prefers-color-scheme: dark)";

/// What the person (or the URL) asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Choice {
    #[default]
    Auto,
    Light,
    Dark,
}

/// What is painted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl Choice {
    pub const ALL: [Choice; 3] = [Choice::Auto, Choice::Light, Choice::Dark];

    pub fn name(self) -> &'static str {
        match self {
            Choice::Auto => "auto",
            Choice::Light => "light",
            Choice::Dark => "dark",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Choice::Auto => "Auto",
            Choice::Light => "Light",
            Choice::Dark => "Dark",
        }
    }

    pub fn parse(text: &str) -> Option<Choice> {
        Choice::ALL.into_iter().find(|c| c.name() == text.trim())
    }

    /// The theme painted for this choice when the system prefers dark (`system_dark`) or not.
    pub fn resolve(self, system_dark: bool) -> Theme {
        match self {
            Choice::Light => Theme::Light,
            Choice::Dark => Theme::Dark,
            Choice::Auto if system_dark => Theme::Dark,
            Choice::Auto => Theme::Light,
        }
    }
}

impl Theme {
    pub fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// The `theme=` flag of a raw (still %-encoded) hash query, when it names a valid choice (the
/// URL parser reports a bad one in the page's banner; here it is simply not applied).
pub fn url_choice(query: &str) -> Option<Choice> {
    query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .rfind(|(k, _)| *k == "theme")
        .and_then(|(_, v)| Choice::parse(v))
}

thread_local! {
    /// The URL's `theme=` while it applies; cleared once the person picks a theme themselves.
    static URL_OVERRIDE: Cell<Option<Choice>> = const { Cell::new(None) };
}

fn system_dark() -> bool {
    cfg!(target_arch = "wasm32")
        && web_sys::window()
            .and_then(|w| w.match_media(DARK_QUERY).ok().flatten())
            .is_some_and(|m| m.matches())
}

fn storage() -> Option<web_sys::Storage> {
    // Server-side renders (native tests) have no window to ask.
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    web_sys::window()?.local_storage().ok().flatten()
}

/// The remembered choice (auto when none, or when storage is unavailable).
pub fn stored_choice() -> Choice {
    storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|v| Choice::parse(&v))
        .unwrap_or_default()
}

/// The choice in force: the URL's, else the remembered one.
pub fn current_choice() -> Choice {
    URL_OVERRIDE.with(Cell::get).unwrap_or_else(stored_choice)
}

/// The theme painted now.
pub fn current_theme() -> Theme {
    current_choice().resolve(system_dark())
}

/// Remembers the person's own choice (it then wins over a URL flag) and repaints.
pub fn choose(choice: Choice) {
    URL_OVERRIDE.with(|o| o.set(None));
    if let Some(s) = storage() {
        let _ = match choice {
            Choice::Auto => s.remove_item(STORAGE_KEY),
            other => s.set_item(STORAGE_KEY, other.name()),
        };
    }
    apply();
}

/// The hook for the embed code (and anything else that knows better than the URL text):
/// forces `choice` for this page without remembering it; `None` returns to the stored choice.
pub fn set_override(choice: Option<Choice>) {
    URL_OVERRIDE.with(|o| o.set(choice));
    apply();
}

/// Writes the resolved theme to `<html>` and tells listeners.
pub fn apply() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let theme = current_theme();
        if root.get_attribute("data-theme").as_deref() != Some(theme.name()) {
            let _ = root.set_attribute("data-theme", theme.name());
        }
        let _ = root.set_attribute("data-theme-choice", current_choice().name());
    }
    if let Ok(event) = web_sys::Event::new(CHANGED_EVENT) {
        let _ = window.dispatch_event(&event);
    }
}

/// Reads the URL's flag, paints, and follows the system setting and later URL changes for the
/// life of the page. Called once, before the first render.
pub fn init() {
    URL_OVERRIDE.with(|o| o.set(url_choice(&crate::browser::hash_query())));
    apply();
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(mql) = window.match_media(DARK_QUERY).ok().flatten() {
        EventListener::new(&mql, "change", |_| apply()).forget();
    }
    EventListener::new(&window, "hashchange", |_| {
        if let Some(choice) = url_choice(&crate::browser::hash_query()) {
            URL_OVERRIDE.with(|o| o.set(Some(choice)));
            apply();
        }
    })
    .forget();
}

/// The theme painted now; the component re-renders when it changes.
#[hook]
pub fn use_theme() -> Theme {
    let theme = use_state(current_theme);
    {
        let theme = theme.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, CHANGED_EVENT, move |_| theme.set(current_theme()))
            });
            move || drop(listener)
        });
    }
    *theme
}

/// The theme menu of the site header.
#[component]
pub fn ThemeToggle() -> Html {
    let choice = use_state(current_choice);
    {
        let choice = choice.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, CHANGED_EVENT, move |_| choice.set(current_choice()))
            });
            move || drop(listener)
        });
    }
    let on_change = Callback::from(|e: Event| {
        let picked = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .and_then(|s| Choice::parse(&s.value()));
        if let Some(c) = picked {
            choose(c);
        }
    });
    html! {
        <label class="theme-toggle" title="Colour theme (Auto follows your system's setting)">
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                <path d="M12 3a9 9 0 1 0 0 18zM12 1.5a10.5 10.5 0 1 1 0 21 10.5 10.5 0 0 1 0-21zm0 1.8a8.7 8.7 0 1 0 0 17.4 8.7 8.7 0 0 0 0-17.4z" />
            </svg>
            <select data-testid="theme" aria-label="Colour theme" onchange={on_change}>
                { for Choice::ALL.iter().map(|c| html! {
                    <option value={c.name()} selected={*c == *choice}>{ c.label() }</option>
                }) }
            </select>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_follows_the_system_and_the_others_do_not() {
        assert_eq!(Choice::Auto.resolve(true), Theme::Dark);
        assert_eq!(Choice::Auto.resolve(false), Theme::Light);
        assert_eq!(Choice::Light.resolve(true), Theme::Light);
        assert_eq!(Choice::Dark.resolve(false), Theme::Dark);
    }

    #[test]
    fn names_round_trip_and_strangers_are_refused() {
        for c in Choice::ALL {
            assert_eq!(Choice::parse(c.name()), Some(c));
        }
        for bad in ["", "Dark", "night", "1"] {
            assert_eq!(Choice::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_url_flag_is_read_from_a_raw_query() {
        assert_eq!(url_choice("seed=1&theme=dark"), Some(Choice::Dark));
        assert_eq!(url_choice("?theme=light&embed=1"), Some(Choice::Light));
        assert_eq!(
            url_choice("theme=dark&theme=auto"),
            Some(Choice::Auto),
            "the last wins"
        );
        assert_eq!(url_choice("theme=blue"), None, "a bad value is not applied");
        assert_eq!(url_choice("themes=dark"), None);
        assert_eq!(url_choice(""), None);
    }
}
