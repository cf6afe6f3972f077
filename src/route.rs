//! Hash routes (`#/`, `#/lb`, `#/debug/panic`): the bundle works from any static host, since
//! the server only ever sees `/`. A small router of our own rather than yew-router: the app
//! needs three routes and a `hashchange` listener, and the playground writes its state into the
//! hash with `replaceState`, which no router should react to.

use gloo::events::EventListener;
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    /// Panics on purpose: the tests check the panic panel with it.
    DebugPanic,
    /// `#/<id>`: a block's playground (if the registry has it).
    Block(String),
    /// Any other path, as typed.
    NotFound(String),
}

impl Route {
    /// The route of a URL hash (`#/lb?seed=1` → `Block("lb")`); the query is the page's own.
    pub fn parse(hash: &str) -> Route {
        let path = hash.strip_prefix('#').unwrap_or(hash);
        let path = path.split(['?', '#']).next().unwrap_or("");
        let trimmed = path.trim_matches('/');
        match trimmed {
            "" => Route::Home,
            "debug/panic" => Route::DebugPanic,
            id if !id.contains('/') => Route::Block(id.to_string()),
            _ => Route::NotFound(path.to_string()),
        }
    }
}

/// The route of the page's address now.
pub fn current() -> Route {
    Route::parse(
        &web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default(),
    )
}

/// The current route, updated on every `hashchange` (links, the address bar, back/forward).
#[hook]
pub fn use_route() -> Route {
    let route = use_state_eq(current);
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .map(|w| EventListener::new(&w, "hashchange", move |_| route.set(current())));
            move || drop(listener)
        });
    }
    (*route).clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_map_to_routes() {
        let cases = [
            ("", Route::Home),
            ("#", Route::Home),
            ("#/", Route::Home),
            ("#/?x=1", Route::Home),
            ("#/lb", Route::Block("lb".into())),
            ("#/lb/", Route::Block("lb".into())),
            ("#/lb?seed=1&t=5", Route::Block("lb".into())),
            ("#/debug/panic", Route::DebugPanic),
            ("#/a/b", Route::NotFound("/a/b".into())),
            ("#lb", Route::Block("lb".into())),
        ];
        for (hash, want) in cases {
            assert_eq!(Route::parse(hash), want, "{hash:?}");
        }
    }
}
