//! The DNS block: zones in RFC 1035 master-file format, authoritative servers, a recursive
//! resolver with its cache, and the stub caches of a browser and an operating system, driven hop
//! by hop through simulated time.
//!
//! Algorithms apart from scenarios: `zone` (master-file parser and zone lookup), `server` (the
//! authoritative answer algorithm, RFC 1034 §4.3.2), `cache` (TTLs, ranking, RFC 2308 negative
//! caching), `resolver` (RFC 1034 §5.3.3) and `stub` are pure and unit-tested against the RFCs'
//! own examples; the scenarios (`lookups`, `propagation`) drive them through simulated time and
//! record hops, narrated steps, cache tables and series.
//!
//! Result of a `lookups` run (`mode=lookups`): `lookups` (one per name: `name`, `type`,
//! `client`, `start_us`, `rcode`, `answer` in presentation format with the CNAME chain first,
//! `authority` (the SOA of a negative answer), `served_from` (`browser`, `os`, `resolver`,
//! `authoritative`), `latency_us`, `queries` (each query the recursive resolver sent: `server`,
//! `address`, `qname`, `qtype`, `outcome`, `sent_us`, `rtt_us`), `started_at` (the zone whose
//! servers were asked first), `failure` (why SERVFAIL)); and, for the last lookup, `rcode`,
//! `answer` and `latency_us`; `total_latency_us`, `served_from` counts, `queries_sent`,
//! `timeouts`. A `propagation` run has `populations` (per TTL: when half and all of the
//! resolvers switched, stale answers served, fetches).

pub mod cache;
pub mod config;
pub mod internet;
pub mod label;
mod lookups;
pub mod message;
pub mod name;
pub mod params;
mod propagation;
pub mod record;
pub mod resolver;
pub mod server;
pub mod stub;
mod topology;
pub mod zone;

use crate::block::{Block, BlockSpec, Preset};
use crate::kernel::run::Run;
use crate::kernel::time::SimTime;
use crate::params::{ParamError, ParamSpec, Params};
use config::{Config, Mode};

pub struct Dns;

impl BlockSpec for Dns {
    fn id(&self) -> &'static str {
        "dns"
    }
    fn title(&self) -> &'static str {
        "DNS resolution"
    }
    fn summary(&self) -> &'static str {
        "Follow a name from the browser cache through the resolver to the root, TLD and authoritative servers; TTLs, negative caching, failures and propagation."
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

impl Block for Dns {
    fn check(&self, p: &Params) -> Result<(), ParamError> {
        Config::from_params(p).map(|_| ())
    }

    fn simulate(&self, p: &Params, seed: u64) -> Run {
        match Config::from_params(p) {
            Ok(cfg) => match cfg.mode {
                Mode::Lookups => lookups::simulate(&cfg),
                Mode::Propagation => propagation::simulate(&cfg, seed),
            },
            // `run_scenario` checks first; this keeps `simulate` total for direct callers.
            Err(e) => error_run(e.to_string()),
        }
    }
}

/// An empty run that says what was wrong (never reached through `run_scenario`).
fn error_run(message: String) -> Run {
    Run {
        scenario: String::new(),
        seed: 0,
        params: Default::default(),
        duration: SimTime::ZERO,
        nodes: Vec::new(),
        events: Vec::new(),
        events_until: None,
        steps: Vec::new(),
        series: Vec::new(),
        result: serde_json::json!({ "error": message }),
    }
}
