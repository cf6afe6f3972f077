//! The home page: the map of building blocks, each card either a link to its playground or
//! visibly "coming soon" with no page behind it.

use crate::catalog::{Entry, ENTRIES};
use yew::prelude::*;

#[component]
pub fn Home() -> Html {
    let ready = ENTRIES.iter().filter(|e| e.is_ready()).count();
    // Which blocks are built is the engine's to say (`engine::catalog`): without it, none is
    // "coming soon", all are unavailable (the shell says why).
    let down = crate::engine::catalog::unavailable().is_some();
    html! {
        <div class="home" data-testid="home">
            <section class="hero">
                <h1>{ "The building blocks of distributed systems, hop by hop." }</h1>
                <p class="lede">
                    { "Pick a block, step through a scenario one message at a time, change its parameters and break it on purpose. \
                       Every run is deterministic: the same link always shows the same run." }
                </p>
            </section>
            <div class="section-head">
                <h2>{ "Building blocks" }</h2>
                if !down {
                    <span class="muted">{ format!("{ready} of {} ready", ENTRIES.len()) }</span>
                }
            </div>
            <ul class="card-grid">
                { for ENTRIES.iter().map(|e| html! { <BlockCard key={e.slug} entry={*e} {down} /> }) }
            </ul>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct BlockCardProps {
    entry: Entry,
    /// The engine could not start.
    down: bool,
}

#[component]
fn BlockCard(props: &BlockCardProps) -> Html {
    let e = &props.entry;
    match e.block() {
        Some(block) => html! {
            <li class="block-card is-ready" data-testid="block-card" data-block={e.slug} data-status="ready">
                <a class="block-card-link" href={format!("#/{}", block.id())}>
                    <span class="block-card-title">{ e.title }</span>
                    <span class="block-card-text">{ e.sentence }</span>
                    <span class="badge badge-ready">{ "Open playground" }<span aria-hidden="true">{ " →" }</span></span>
                </a>
            </li>
        },
        None => html! {
            <li class="block-card is-coming" data-testid="block-card" data-block={e.slug}
                data-status={if props.down { "unavailable" } else { "coming" }} aria-disabled="true">
                <span class="block-card-title">{ e.title }</span>
                <span class="block-card-text">{ e.sentence }</span>
                <span class="badge badge-coming">{ if props.down { "Unavailable" } else { "Coming soon" } }</span>
            </li>
        },
    }
}
