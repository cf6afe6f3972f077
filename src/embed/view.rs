//! The compact view an `<iframe>` shows: the topology, the transport bar and the narration
//! (charts when asked), filling the frame, with no site chrome and no form: only a slim bar with
//! the block's name and a link to the same scenario on the full page. Built from the playground's own views, so an embed
//! shows exactly what the page shows.

use crate::chart::panel::Charts;
use crate::compare::charts::CompareCharts;
use crate::compare::stage::CompareStage;
use crate::compare::Compared;
use crate::playback::{Playback, PlaybackAction};
use crate::playground::controls::Controls;
use crate::playground::narration::Narration;
use crate::playground::topology::Topology;
use crate::playground::url_banner::UrlBanner;
use crate::run_data::SharedRun;
use crate::url_state::embed::{EmbedFlags, Panel};
use hopscope_sim::view::Frame;
use hopscope_sim::{NodeId, ParamError};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EmbedViewProps {
    pub flags: EmbedFlags,
    pub run: SharedRun,
    pub frame: Rc<Frame>,
    pub playback: Playback,
    /// Compare mode's pair, when the link asked for one.
    pub pair: Option<Rc<Compared>>,
    pub highlight: Option<NodeId>,
    pub on_action: Callback<PlaybackAction>,
    pub errors: Rc<Vec<ParamError>>,
    /// The same view's hash on the full page (no embed flags).
    pub hash: AttrValue,
}

#[component]
pub fn EmbedView(props: &EmbedViewProps) -> Html {
    let p = &props.playback;
    let panels = props.flags.panels;
    let show = |panel: Panel| panels.has(panel);
    let controls = show(Panel::Controls).then(|| {
        html! {
            <Controls t={p.t} duration={p.timeline.duration} step={p.step} steps={p.timeline.step_times.len()}
                playing={p.playing} speed={p.speed} can_step_back={p.can_step_back()}
                can_step_forward={p.can_step_forward()} on_action={props.on_action.clone()} />
        }
    });
    let stage = match &props.pair {
        // Compare mode's stage shows both sides, each with its narration, around the controls.
        Some(pair) => html! {
            <div class="embed-diagram embed-compare">
                <CompareStage pair={pair.clone()} t={p.t} step={p.step} fit_height={true}>{ controls.clone().unwrap_or_default() }</CompareStage>
            </div>
        },
        None => html! {
            <>
                if show(Panel::Topology) {
                    <div class="embed-diagram stage-diagram">
                        <Topology run={props.run.clone()} frame={props.frame.clone()} highlight={props.highlight} fit_height={true} />
                    </div>
                }
                { controls.clone().unwrap_or_default() }
                if show(Panel::Narration) {
                    <Narration run={props.run.clone()} step={p.step} beyond_log={props.frame.beyond_log} />
                }
            </>
        },
    };
    let charts = show(Panel::Charts).then(|| match &props.pair {
        Some(pair) => html! { <CompareCharts pair={pair.clone()} t={p.t} /> },
        None => html! { <Charts run={props.run.clone()} t={p.t} /> },
    });
    let href = crate::browser::url_with_hash(&props.hash);
    let scenario = &props.run.run.scenario;
    let title =
        crate::engine::catalog::find_spec(scenario).map_or(scenario.as_str(), |b| b.title());
    html! {
        <div class={classes!("embed", charts.is_some().then_some("has-charts"))} data-testid="embed"
            data-scenario={props.run.run.scenario.clone()} data-panels={panels.to_string()}>
            <UrlBanner errors={props.errors.clone()} />
            <div class="embed-bar">
                <span class="embed-title">{ title }<span class="muted">{ " · Hopscope" }</span></span>
                <span class="embed-actions">
                    // The same keys as the full page (with focus in the frame), and their help.
                    <crate::shortcuts::KeyboardShortcuts on_action={props.on_action.clone()} />
                    <a class="embed-open" data-testid="embed-open" href={href} target="_blank" rel="noopener"
                        title="This scenario on the full Hopscope page, with its parameters and results">
                        { "Open in Hopscope ↗" }
                    </a>
                </span>
            </div>
            <div class="embed-body">
                <section class="embed-stage" aria-label="Simulation">{ stage }</section>
                if let Some(charts) = charts {
                    <section class="embed-charts" aria-label="Charts">{ charts }</section>
                }
            </div>
        </div>
    }
}
