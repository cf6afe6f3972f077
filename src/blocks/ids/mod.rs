//! The unique-ID block's own panels (issue 6): the bit anatomy of the ID the run had issued by
//! the cursor, a box that decodes any pasted ID, and live mode (real IDs from the browser's
//! clock). The generic playground shows the run; these show what an ID *is*.

mod anatomy;
pub(crate) mod decode_box;
pub(crate) mod issued;
mod live;

use super::ExtrasProps;
use crate::run_data::SharedRun;
use anatomy::Anatomy;
use decode_box::DecodeBox;
use hopscope_sim::SimTime;
use live::LiveIds;
use std::rc::Rc;
use yew::prelude::*;

/// Recent IDs listed beside the anatomy, newest first.
const RECENT: usize = 6;

/// The block's panels (`blocks::PANELS`).
pub fn panel(props: ExtrasProps) -> Html {
    html! {
        <>
            <AtCursor run={props.run} t={props.t} />
            <DecodeBox />
            <LiveIds />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct AtCursorProps {
    run: SharedRun,
    t: SimTime,
}

/// The anatomy of the latest ID issued by the cursor (or of the run's first ID before any), and
/// the few before it, any of which can be picked.
#[component]
fn AtCursor(props: &AtCursorProps) -> Html {
    let run = &props.run.run;
    // A picked ID (by its hop's index) holds until the cursor moves or the run changes.
    let picked = use_state_eq(|| None::<usize>);
    {
        let picked = picked.clone();
        use_effect_with((props.run.clone(), props.t), move |_| picked.set(None));
    }
    let recent: Vec<issued::Issued> = issued::issued_by(run, props.t).take(RECENT).collect();
    let latest = recent.first().copied();
    let before_any = latest.is_none();
    let chosen = picked
        .and_then(|e| recent.iter().find(|i| i.event == e).copied())
        .or(latest)
        .or_else(|| issued::first_issued(run));
    let key = chosen.map(|c| c.event);
    let decoded = use_memo((props.run.clone(), key), |(run, _)| {
        chosen.and_then(|c| issued::describe(&run.run, c.text).map(Rc::new))
    });

    let who = |from: u32| {
        run.nodes
            .get(from as usize)
            .map_or_else(String::new, |n| n.label.clone())
    };
    let caption = match chosen {
        None => "This run issued no IDs.".to_string(),
        Some(c) if before_any => format!(
            "No ID issued yet at {}: this is the run's first, sent by {} at {}.",
            props.t,
            who(c.from),
            c.at
        ),
        Some(c) => format!(
            "Issued by {} and sent to the database at {}{}.",
            who(c.from),
            c.at,
            if Some(c) == latest {
                ": the latest by the cursor"
            } else {
                ""
            }
        ),
    };
    let duplicate = chosen.is_some_and(|c| issued::is_duplicate(run, c.text));
    let chip = |i: &issued::Issued| {
        let on = Some(i.event) == key;
        let pick = {
            let (picked, event) = (picked.clone(), i.event);
            Callback::from(move |_: MouseEvent| picked.set(Some(event)))
        };
        html! {
            <li key={i.event}>
                <button type="button" class={classes!("recent-id", on.then_some("is-active"))} aria-pressed={on.to_string()}
                    data-testid="recent-id" title={format!("{} at {}", who(i.from), i.at)} onclick={pick}>
                    <code>{ i.text.to_string() }</code>
                    <span class="recent-who">{ who(i.from) }</span>
                </button>
            </li>
        }
    };

    html! {
        <section class="panel ids-cursor" data-testid="ids-cursor" aria-label="Bit anatomy at the cursor">
            <h2>{ "Bit anatomy" }<span class="muted">{ format!(" of the ID at {}", props.t) }</span></h2>
            <div class="ids-body">
                <p class="ids-caption" data-testid="ids-caption">
                    { caption }
                    if duplicate { <span class="ids-dup">{ " The database saw this ID more than once: a duplicate." }</span> }
                </p>
                if let Some(d) = (*decoded).clone() { <Anatomy decoded={d} /> }
                if recent.len() > 1 {
                    <div class="recent">
                        <span class="muted">{ "Recent, newest first:" }</span>
                        <ol class="recent-list">{ for recent.iter().map(chip) }</ol>
                    </div>
                }
            </div>
        </section>
    }
}
