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
    fn check(&self, p: &Params) -> Result<(), ParamError> {
        params::check(p)
    }
}

impl Block for LoadBalancer {
    fn simulate(&self, p: &Params, seed: u64) -> Run {
        scenario::simulate(&config::Config::from_params(p), seed)
    }
}
