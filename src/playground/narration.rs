//! The current step's sentence, read out by screen readers as the cursor moves.

use crate::run_data::SharedRun;
use hopscope_sim::SimTime;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    pub run: SharedRun,
    pub step: Option<usize>,
    /// Whether the cursor is past `Run::events_until` (hop detail was cut for size).
    pub beyond_log: bool,
}

#[component]
pub fn Narration(props: &NarrationProps) -> Html {
    let run = &props.run.run;
    let step = props.step.and_then(|i| run.steps.get(i).map(|s| (i, s)));
    let (at, text) = match step {
        Some((i, s)) => (Some(format!("Step {} · {}", i + 1, s.at)), s.text.clone()),
        None if run.steps.is_empty() => (
            None,
            "This run has no narrated steps: press play to watch it.".to_string(),
        ),
        None => (
            None,
            "Press play, or step forward to the first event.".to_string(),
        ),
    };
    let cut = props.beyond_log.then(|| {
        let until = run.events_until.unwrap_or(SimTime::ZERO);
        html! {
            <p class="narration-note">
                { format!("Hop detail was cut at {until} to keep this run small; the charts and results still cover the whole run.") }
            </p>
        }
    });
    html! {
        <div class="narration" data-testid="narration" aria-live="polite">
            <span class="narration-at">{ at.unwrap_or_default() }</span>
            <p class="narration-text">{ text }</p>
            <div>{ for cut }</div>
        </div>
    }
}
