//! The root: hash routes (so the bundle works from any static host), the page shell, and the
//! first-render mark the browser tests read.

use crate::engine::catalog;
use crate::home::Home;
use crate::not_found::NotFound;
use crate::playground::page::{BlockRef, Playground};
use crate::route::{use_route, Route};
use yew::prelude::*;

#[component]
pub fn App() -> Html {
    use_effect_with((), |_| {
        let body = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body());
        if let Some(body) = body {
            if !body.has_attribute("data-first-render") {
                let _ = body.set_attribute(
                    "data-first-render",
                    &format!("{:.1}", crate::browser::now_ms()),
                );
            }
        }
    });
    html! { <Shell /> }
}

#[component]
fn Shell() -> Html {
    let route = use_route();
    let crumb = match &route {
        Route::Block(id) => catalog::find_spec(id).map(|b| b.title()),
        _ => None,
    };
    // An embed (`embed=1`, see `embed::view`) is the playground alone: no header, no footer.
    let embed = crate::url_state::embed::query_is_embed(&crate::browser::hash_query());
    if embed && matches!(route, Route::Block(_)) {
        return html! { <main class="embed-main">{ switch(route) }</main> };
    }
    html! {
        <>
            <header class="topbar">
                <div class="topbar-inner">
                    <a class="wordmark" href="#/" aria-label="Hopscope home">
                        <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
                            <circle cx="7" cy="22" r="4" /><circle cx="25" cy="10" r="4" /><circle cx="16" cy="16" r="3" class="logo-hop" />
                            <path d="M10 20.5 13.5 17.5M18.5 14.5 22 12" />
                        </svg>
                        <span>{ "Hopscope" }</span>
                    </a>
                    if let Some(title) = crumb {
                        <span class="crumb-sep" aria-hidden="true">{ "/" }</span>
                        <span class="crumb">{ title }</span>
                    } else {
                        <span class="tagline">{ "Distributed systems, hop by hop" }</span>
                    }
                    <nav class="topnav"><a href="#/">{ "All blocks" }</a></nav>
                    <crate::theme::ThemeToggle />
                </div>
            </header>
            <main class="content">
                if let Some(why) = catalog::unavailable() {
                    <p class="panel engine-failed" role="alert" data-testid="engine-failed">
                        { format!("The simulation engine is unavailable: {why}. No scenario can run; reload the page to try again.") }
                    </p>
                }
                { switch(route) }
            </main>
            <footer class="footer">
                { "Hopscope runs every scenario in your browser with a deterministic simulator. Same link, same run." }
            </footer>
        </>
    }
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::DebugPanic => html! { <DebugPanic /> },
        Route::Block(id) => match catalog::find_spec(&id) {
            Some(block) => html! { <BlockPage block={BlockRef(block)} /> },
            // The blocks are described by the engine (`engine::catalog`): the shell says why none is.
            None if catalog::unavailable().is_some() => Html::default(),
            None => html! { <NotFound path={format!("#/{id}")} /> },
        },
        Route::NotFound(path) => html! { <NotFound path={format!("#{path}")} /> },
    }
}

#[derive(Properties, PartialEq)]
struct BlockPageProps {
    block: BlockRef,
}

/// Which URL the playground was opened with.
struct Opened {
    block: &'static str,
    /// Counts the user's own navigations (a pasted link, back/forward): each remounts the
    /// playground with the new URL.
    visit: u32,
    query: String,
}

/// Reads the query of the URL the playground is opened with. The app's own `replaceState`
/// writes fire no event and change nothing here; a navigation by the user fires `hashchange`
/// and, when it asks for something else, remounts the playground with it.
#[component]
fn BlockPage(props: &BlockPageProps) -> Html {
    let id = props.block.0.id();
    let opened = use_mut_ref(|| Opened {
        block: id,
        visit: 0,
        query: crate::browser::hash_query(),
    });
    let force_update = use_force_update();
    {
        let opened = opened.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo::events::EventListener::new(&w, "hashchange", move |_| {
                    let mut o = opened.borrow_mut();
                    // A link to another block is the router's to follow: remounting this block
                    // with that block's query would write this block's address over it.
                    if crate::route::current() != crate::route::Route::Block(o.block.to_string()) {
                        return;
                    }
                    let query = crate::browser::hash_query();
                    if query != o.query {
                        o.visit += 1;
                        o.query = query;
                        force_update.force_update();
                    }
                })
            });
            move || drop(listener)
        });
    }
    let mut o = opened.borrow_mut();
    if o.block != id {
        o.block = id;
        o.visit += 1;
        o.query = crate::browser::hash_query();
    }
    let key = format!("{id}#{}", o.visit);
    html! { <Playground key={key} block={props.block} query={AttrValue::from(o.query.clone())} /> }
}

#[component]
fn DebugPanic() -> Html {
    panic!("deliberate panic from #/debug/panic (used by the tests of the panic panel)");
}
