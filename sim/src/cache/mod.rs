//! The distributed-caching block: eviction policies with their insides visible, write policies
//! and consistency, a sharded cluster, cache stampedes, and the miss-ratio curve.
//!
//! Algorithms apart from scenarios (ARCHITECTURE.md): `policy` holds the eviction policies —
//! LRU, FIFO, random, LFU, ARC (Megiddo & Modha, FAST 2003) and W-TinyLFU (Einziger, Friedman &
//! Manes 2017, as Caffeine implements it), plus TTL expiry on top of any of them — each a pure
//! type over O(1) intrusive lists with its source cited and known-answer tests; `ring` is the
//! sharding; `zipf` and `workload` make the access streams; `mrc` is the chunkable miss-ratio
//! curve. The scenarios (`eviction`, `write`, `cluster`, `stampede`) drive them through
//! simulated time and record hops, table rows, the policies' lists, narrated steps and series.
//!
//! Results differ by mode (`eviction`, `write`, `cluster`, `stampede`, `mrc`); their keys and
//! meaning are documented once, in `docs/run-format.md` ("`cache` — caching").

pub mod cluster;
pub mod config;
pub mod eviction;
pub mod faults;
pub mod keys;
pub mod mrc;
mod narration;
pub mod params;
pub mod policy;
pub mod ring;
mod scenario;
pub mod stampede;
mod stats;
pub mod workload;
pub mod write;
pub mod zipf;

use crate::block::{Block, BlockSpec, Preset};
use crate::kernel::run::Run;
use crate::kernel::time::SimTime;
use crate::params::{ParamError, ParamSpec, Params};
use config::Config;

pub struct Cache;

impl BlockSpec for Cache {
    fn id(&self) -> &'static str {
        "cache"
    }
    fn title(&self) -> &'static str {
        "Distributed caching"
    }
    fn summary(&self) -> &'static str {
        "Watch LRU, FIFO, random, LFU, ARC and W-TinyLFU decide what to evict; write policies, a sharded cluster, stampedes and hit-ratio curves."
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

impl Block for Cache {
    fn check(&self, p: &Params) -> Result<(), ParamError> {
        Config::from_params(p).map(|_| ())
    }

    fn simulate(&self, p: &Params, seed: u64) -> Run {
        match Config::from_params(p) {
            Ok(cfg) => scenario::simulate(&cfg, seed),
            // `run_scenario` checks first; this keeps `simulate` total for direct callers.
            Err(e) => Run {
                scenario: String::new(),
                seed: 0,
                params: Default::default(),
                duration: SimTime::ZERO,
                nodes: Vec::new(),
                events: Vec::new(),
                events_until: None,
                steps: Vec::new(),
                series: Vec::new(),
                result: serde_json::json!({ "error": e.to_string() }),
            },
        }
    }
}
