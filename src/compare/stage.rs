//! The two runs side by side at one cursor: each side's topology labelled with its value and
//! its narration, and the one controls bar (the children) driving both.
//!
//! On a wide screen the diagrams share a row, then the controls, then the narrations, so equal
//! moments line up; a diagram too wide for half the row (DNS's chain) is drawn full width, A
//! above B (`is-stacked`); on a phone each side stacks (diagram, narration) and the controls
//! stick to the bottom of the screen (see `static/style.css`, compare mode).

use super::Compared;
use crate::playground::geometry::too_wide_for_halves;
use crate::playground::narration::Narration;
use crate::playground::node_state::NodeState;
use crate::playground::topology::Topology;
use crate::run_data::SharedRun;
use hopscope_sim::SimTime;
use std::rc::Rc;
use yew::prelude::*;

/// The width of the page's stage on a desktop screen, for choosing halves or A above B (the
/// choice is the layout's, not the window's: resizing never reflows the stage).
const STAGE_ROW_PX: f64 = 1200.0;

#[derive(Properties, PartialEq)]
pub struct CompareStageProps {
    pub pair: Rc<Compared>,
    pub t: SimTime,
    /// The merged step showing (`PairedSteps` maps it to each run's step).
    pub step: Option<usize>,
    /// The controls bar.
    pub children: Html,
    /// The diagrams' boxes have a fixed height (an embed): see `Topology::fit_height`.
    #[prop_or_default]
    pub fit_height: bool,
}

#[component]
pub fn CompareStage(props: &CompareStageProps) -> Html {
    let pair = &props.pair;
    let (step_a, step_b) = pair.steps.at(props.step);
    // The page's stage spans a desktop row of about 1,200 px; an embed keeps its own layout.
    let stacked = !props.fit_height && too_wide_for_halves(&pair.a.layout, STAGE_ROW_PX);
    html! {
        <section class={classes!("panel", "stage", "compare-stage", stacked.then_some("is-stacked"))}
            aria-label="Simulation: A and B" data-testid="compare-stage">
            { side("A", &pair.a, pair, &pair.a_value, step_a, props.t, props.fit_height) }
            { side("B", &pair.b, pair, &pair.b_value, step_b, props.t, props.fit_height) }
            { props.children.clone() }
        </section>
    }
}

fn side(
    tag: &'static str,
    run: &SharedRun,
    pair: &Compared,
    value: &str,
    step: Option<usize>,
    t: SimTime,
    fit_height: bool,
) -> Html {
    let frame = run.frame_at(t);
    let highlight = step.and_then(|i| run.run.steps.get(i)).and_then(|s| s.node);
    let beyond_log = frame.beyond_log;
    let (class, name) = if tag == "A" {
        ("compare-side side-a", "a")
    } else {
        ("compare-side side-b", "b")
    };
    html! {
        <div class={class} data-testid="compare-side" data-side={name}>
            <div class="compare-head">
                { super::badge(tag) }
                <span class="compare-head-key">{ pair.spec.label }</span>
                <code class="compare-head-value" data-testid="compare-value-label" title={value.to_string()}>{ Compared::shown(value) }</code>
            </div>
            <div class="stage-diagram">
                <Topology run={run.clone()} frame={frame} highlight={highlight} {fit_height} />
            </div>
            <Narration run={run.clone()} step={step} beyond_log={beyond_log} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CompareNodesProps {
    pub pair: Rc<Compared>,
    pub t: SimTime,
    pub step: Option<usize>,
}

/// What is inside the nodes of each run at the cursor (cache lines, records), side by side.
#[component]
pub fn CompareNodes(props: &CompareNodesProps) -> Html {
    let pair = &props.pair;
    let (step_a, step_b) = pair.steps.at(props.step);
    let side = |tag: &'static str, run: &SharedRun, step: Option<usize>| {
        let frame = run.frame_at(props.t);
        let highlight = step.and_then(|i| run.run.steps.get(i)).and_then(|s| s.node);
        html! { <NodeState run={run.clone()} frame={frame} highlight={highlight} tag={tag} /> }
    };
    html! {
        <div class="compare-state">
            { side("A", &pair.a, step_a) }
            { side("B", &pair.b, step_b) }
        </div>
    }
}
