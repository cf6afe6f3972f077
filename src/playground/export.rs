//! Taking a run away: the run as JSON and its series as CSV (byte for byte what
//! `hopscope run --json` and `--csv` print for the same scenario and seed), and a link to
//! exactly this view. Each chart has its own PNG, SVG and CSV downloads (`chart::export`).

use crate::browser;
use crate::run_data::SharedRun;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    pub run: SharedRun,
    /// The hash of the current view (`#/lb?seed=…`), for the copied link.
    pub hash: AttrValue,
}

#[derive(Clone, Copy, PartialEq)]
enum Copied {
    Idle,
    Done,
    Failed,
}

#[component]
pub fn Export(props: &ExportProps) -> Html {
    // The run as JSON: a `blob:` URL the engine worker makes once the run is shown.
    let json_url =
        use_context::<crate::playground::computing::EngineStatus>().and_then(|s| s.json_url);
    let copied = use_state(|| Copied::Idle);
    let reset_timer = use_mut_ref(|| None::<Timeout>);
    let on_copy = {
        let copied = copied.clone();
        let hash = props.hash.clone();
        Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            let reset_timer = reset_timer.clone();
            let url = browser::url_with_hash(&hash);
            yew::platform::spawn_local(async move {
                let ok = browser::copy_text(&url).await;
                copied.set(if ok { Copied::Done } else { Copied::Failed });
                let copied = copied.clone();
                *reset_timer.borrow_mut() =
                    Some(Timeout::new(2_000, move || copied.set(Copied::Idle)));
            });
        })
    };
    let run = &props.run.run;
    let file = format!("hopscope-{}-seed-{}.json", run.scenario, run.seed);
    let on_csv = {
        let run = props.run.clone();
        Callback::from(move |_: MouseEvent| {
            let run = &run.run;
            let name = format!("hopscope-{}-seed-{}-series.csv", run.scenario, run.seed);
            crate::download::save_text(&name, "text/csv", &run.series_csv());
        })
    };
    let copy_label = match *copied {
        Copied::Idle => "Copy link",
        Copied::Done => "Link copied",
        Copied::Failed => "Copy failed: use the address bar",
    };
    html! {
        <div class="export">
            <a class="button" data-testid="download-json" href={json_url.clone()} aria-disabled={json_url.is_none().then_some("true")} download={file} title="The whole run as JSON: the same document as `hopscope run --json`">
                { "Download run (JSON)" }
            </a>
            <button type="button" class="button" data-testid="download-csv" onclick={on_csv}
                title="Every series of the run as CSV: the same table as `hopscope run --csv`">
                { "Series (CSV)" }
            </button>
            <button type="button" class={classes!("button", (*copied == Copied::Done).then_some("is-done"))} data-testid="copy-link" onclick={on_copy}>
                { copy_label }
            </button>
            <span class="visually-hidden" aria-live="polite">{ if *copied == Copied::Idle { "" } else { copy_label } }</span>
        </div>
    }
}
