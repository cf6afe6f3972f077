//! The root: hash routes (so the bundle works from any static host), the page shell, and the
//! first-render mark the browser tests read.

use crate::home::Home;
use crate::not_found::NotFound;
use crate::playground::page::{BlockRef, Playground};
use hopscope_sim::registry;
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Clone, Debug, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    /// Panics on purpose: the tests check the panic panel with it.
    #[at("/debug/panic")]
    DebugPanic,
    #[at("/:id")]
    Block { id: String },
    #[not_found]
    #[at("/404")]
    NotFound,
}

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
    html! {
        <HashRouter>
            <Shell />
        </HashRouter>
    }
}

#[component]
fn Shell() -> Html {
    let route = use_route::<Route>();
    let crumb = match &route {
        Some(Route::Block { id }) => registry::find(id).map(|b| b.title()),
        _ => None,
    };
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
                </div>
            </header>
            <main class="content">
                <Switch<Route> render={switch} />
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
        Route::Block { id } => match registry::find(&id) {
            Some(block) => html! { <BlockPage block={BlockRef(block)} /> },
            None => html! { <NotFound path={format!("#/{id}")} /> },
        },
        Route::NotFound => html! { <NotFound /> },
    }
}

#[derive(Properties, PartialEq)]
struct BlockPageProps {
    block: BlockRef,
}

/// Reads the query once per URL the user opened: the playground is keyed by it, so pasting a
/// different link remounts it, while the app's own `replaceState` writes (which the router does
/// not see) leave it alone.
#[component]
fn BlockPage(props: &BlockPageProps) -> Html {
    let query = use_location()
        .map(|l| l.query_str().to_string())
        .unwrap_or_default();
    let key = format!("{}?{}", props.block.0.id(), query);
    html! { <Playground key={key} block={props.block} query={AttrValue::from(query)} /> }
}

#[component]
fn DebugPanic() -> Html {
    panic!("deliberate panic from #/debug/panic (used by the tests of the panic panel)");
}
