//! Compare mode: the form's scenario (A) and the same scenario with one parameter changed (B),
//! run on the same seed and shown side by side under one cursor.
//!
//! Generic over blocks like the rest of the playground: B differs from A in one parameter the
//! person picks from the block's specs, steps are paired by time, charts by title, results by
//! field name. The pure parts (`choice`, `steps`, `pairs`) are tested natively; the views
//! (`bar`, `stage`, `charts`, `table`) only map them to HTML.

pub mod bar;
pub mod charts;
pub mod choice;
pub mod pairs;
pub mod stage;
pub mod steps;
pub mod table;

use crate::engine::hook::use_engine_run;
use crate::playback::Timeline;
use crate::run_data::SharedRun;
use crate::scenario_form::Scenario;
use choice::{scenario_b, value_of, Compare};
use hopscope_sim::{ParamError, ParamSpec};
use std::rc::Rc;
use steps::PairedSteps;
use yew::prelude::*;

/// Both runs of compare mode and the one timeline the cursor moves over.
pub struct Compared {
    pub a: SharedRun,
    pub b: SharedRun,
    /// The parameter they differ in, and its value in each.
    pub spec: &'static ParamSpec,
    pub a_value: String,
    pub b_value: String,
    pub timeline: Rc<Timeline>,
    pub steps: PairedSteps,
}

/// Everything else is derived from the two runs.
impl PartialEq for Compared {
    fn eq(&self, other: &Self) -> bool {
        self.a == other.a && self.b == other.b
    }
}

impl Compared {
    /// A value as a person reads it beside its side's label.
    pub fn shown(value: &str) -> String {
        if value.is_empty() {
            "(empty)".to_string()
        } else {
            value.to_string()
        }
    }
}

/// The little A or B mark beside everything that belongs to one side.
pub fn badge(side: &'static str) -> Html {
    let class = if side == "A" {
        "side-badge side-a"
    } else {
        "side-badge side-b"
    };
    html! { <span class={class}>{ side }</span> }
}

/// What compare mode adds: nothing when off, why B cannot run, or both runs.
pub type CompareRun = Option<Result<Rc<Compared>, ParamError>>;

/// Runs B (in the engine worker) when compare mode is on: again only when A's scenario or the
/// choice changes. Until B's run for the current scenario is in, there is no pair.
#[hook]
pub fn use_compared(scenario: Rc<Scenario>, a: SharedRun, compare: &Compare) -> Rc<CompareRun> {
    let b_scenario = use_memo(
        (scenario.clone(), compare.chosen()),
        |(scenario, chosen)| {
            let (spec, value) = chosen.clone()?;
            Some(scenario_b(scenario, spec, &value).map(|b| (spec, b)))
        },
    );
    let request = match &*b_scenario {
        Some(Ok((_, b))) => Some(b.request()),
        _ => None,
    };
    let b_run = use_engine_run(request);
    use_memo(
        (scenario, a, b_run.ready, b_scenario),
        |(scenario, a, b, b_scenario)| match b_scenario.as_ref() {
            None => None,
            Some(Err(e)) => Some(Err(e.clone())),
            Some(Ok((spec, b_scenario))) => {
                let b = b.clone().filter(|b| b_scenario.produced(&b.run))?;
                let (timeline, steps) = steps::merge(&a.timeline, &b.timeline);
                Some(Ok(Rc::new(Compared {
                    a: a.clone(),
                    spec,
                    a_value: value_of(&scenario.params, spec.key),
                    b_value: value_of(&b_scenario.params, spec.key),
                    b,
                    timeline: Rc::new(timeline),
                    steps,
                })))
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::choice::{default_spec, default_value, scenario_b};
    use crate::scenario_form::Scenario;
    use hopscope_sim::block::run_params;
    use hopscope_sim::{registry, Event, Params, Run, SimTime};

    /// When each client request leaves the clients node.
    fn sends(run: &Run) -> Vec<SimTime> {
        let clients = run
            .nodes
            .iter()
            .find(|n| n.name == "clients")
            .expect("clients")
            .id;
        run.events
            .iter()
            .filter_map(|e| match e {
                Event::Hop { at, from, .. } if *from == clients => Some(*at),
                _ => None,
            })
            .collect()
    }

    /// The premise of compare mode: on the same seed, B receives exactly A's traffic.
    #[test]
    fn the_default_comparison_of_the_load_balancer_sees_the_same_arrivals() {
        let lb = registry::find("lb").expect("lb");
        let a = Scenario {
            block: lb,
            params: Params::defaults(lb.params()).expect("defaults"),
            seed: 7,
        };
        let spec = default_spec(lb.params()).expect("algorithm");
        let b = scenario_b(&a, spec, &default_value(lb, spec, &a.params)).expect("B runs");
        let (run_a, run_b) = (run_params(lb, &a.params, 7), run_params(lb, &b.params, 7));
        assert_ne!(run_a.result, run_b.result, "different algorithms");
        assert!(!sends(&run_a).is_empty());
        assert_eq!(sends(&run_a), sends(&run_b));
    }
}
