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
//! Results by mode (see `docs/run-format.md`):
//! - `eviction`: `hits`, `misses`, `evictions`, `hit_ratio`, `policy` (one policy), and always
//!   `policies` — one entry per policy with those plus `expired`, `db_reads`, `latency_us`, the
//!   final `lists`, and for runs up to 10,000 accesses `outcomes` (`h`/`m` per access) and
//!   `evicted_keys`.
//! - `write`: `reads`, `writes`, `hits`, `misses`, `hit_ratio`, `stale_reads`, `stale_sets`,
//!   `db_reads`, `db_writes`, `flushes`, `lost_writes` (dirty write-back entries lost in a
//!   crash), `read_latency_us`, `write_latency_us`.
//! - `cluster`: `hits`, `misses`, `hit_ratio`, `moved_keys` (sum over membership changes),
//!   `changes` (each with `moved_keys` and what the other scheme would have moved), `per_node`,
//!   `hot_key`.
//! - `stampede`: `db_queries`, `db_queries_per_expiry`, `peak_db_load`, `coalesced`,
//!   `lock_retries`, `early_refreshes`, `latency_us`.
//! - `mrc`: `sizes`, `points` (policy, size, hits, misses, hit_ratio); its series' points are
//!   `[cache size, hit ratio %]`.

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
    fn check(&self, p: &Params) -> Result<(), ParamError> {
        Config::from_params(p).map(|_| ())
    }
}

impl Block for Cache {
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
