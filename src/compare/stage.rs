//! The two runs side by side at one cursor: each side's topology labelled with its value and
//! its narration, and the one controls bar (the children) driving both.
//!
//! On a wide screen the diagrams share a row, then the controls, then the narrations, so equal
//! moments line up; on a phone each side stacks (diagram, narration) and the controls stick to
//! the bottom of the screen (see `static/style.css`, compare mode).

use super::Compared;
use crate::playground::narration::Narration;
use crate::playground::node_state::NodeState;
use crate::playground::topology::Topology;
use crate::run_data::SharedRun;
use hopscope_sim::SimTime;
use std::rc::Rc;
use yew::prelude::*;

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
    html! {
        <section class="panel stage compare-stage" aria-label="Simulation: A and B" data-testid="compare-stage">
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
