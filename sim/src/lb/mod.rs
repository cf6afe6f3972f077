//! The load-balancer block: a client population, one load balancer, N backends.
//!
//! The algorithm (`picker`) is kept apart from the scenario (`scenario`) that drives it through
//! simulated time and records hops, steps and series.

pub mod algo;
mod clients;
pub mod config;
mod narration;
mod params;
mod scenario;
mod stats;
pub mod theory;
mod world;

use crate::block::{Block, BlockSpec, Preset};
use crate::kernel::run::Run;
use crate::params::{ParamError, ParamSpec, Params};

pub struct LoadBalancer;

impl BlockSpec for LoadBalancer {
    fn id(&self) -> &'static str {
        "lb"
    }
    fn title(&self) -> &'static str {
        "Load balancer"
    }
    fn summary(&self) -> &'static str {
        "Spread requests over backends and watch queues, drops and tail latency."
    }
    fn params(&self) -> &'static [ParamSpec] {
        params::SPECS
    }
    fn presets(&self) -> &'static [Preset] {
        params::PRESETS
    }
    fn param_groups(&self) -> &'static [(&'static str, &'static [&'static str])] {
        params::GROUPS
    }
}

impl Block for LoadBalancer {
    fn check(&self, p: &Params) -> Result<(), ParamError> {
        params::check(p)
    }

    fn simulate(&self, p: &Params, seed: u64) -> Run {
        scenario::simulate(&config::Config::from_params(p), seed)
    }

    /// Counts the event log instead of keeping it, and skips narration and chart series: the
    /// same summary (result, `events_until`, duration) as a full run.
    fn simulate_summary(&self, p: &Params, seed: u64) -> Run {
        let cfg = config::Config {
            summary_only: true,
            ..config::Config::from_params(p)
        };
        scenario::simulate(&cfg, seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block::{run_scenario, run_scenario_summary};

    /// A summary-only run (the CLI's `--summary`) gives exactly the summary of a full run, for
    /// every preset and every algorithm, with a log cut short so that `events_until` is set.
    #[test]
    fn a_summary_only_run_has_the_full_runs_summary() {
        let mut cases: Vec<Vec<(String, String)>> = params::PRESETS
            .iter()
            .map(|p| {
                p.values
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect()
            })
            .collect();
        for a in algo::ALGORITHMS {
            cases.push(vec![
                ("algorithm".into(), a.to_string()),
                ("sticky".into(), "cookie".into()),
                ("requests".into(), "3000".into()),
                ("faults".into(), "down:2@5s".into()),
                ("health".into(), "active".into()),
            ]);
        }
        // Past the event cap (200,000): the log is cut, and the summary says when.
        cases.push(vec![
            ("requests".into(), "40000".into()),
            ("rate".into(), "4000".into()),
        ]);
        let mut cut = 0;
        for sets in &cases {
            let full = run_scenario(&LoadBalancer, sets, 7).expect("valid");
            let lean = run_scenario_summary(&LoadBalancer, sets, 7).expect("valid");
            assert_eq!(lean.summary_json(), full.summary_json(), "{sets:?}");
            assert!(
                !full.events.is_empty() && !full.series.is_empty(),
                "{sets:?}"
            );
            assert!(lean.events.is_empty() && lean.steps.is_empty() && lean.series.is_empty());
            cut += usize::from(lean.events_until.is_some());
        }
        assert!(cut >= 1, "some case outgrows the event cap");
    }
}
