//! Backend selection algorithms: small pure types, each tested against its source's behaviour.
//!
//! Every algorithm implements [`Picker`]; the scenario asks it for a backend and, for narrated
//! requests, for the reason in plain words. `build` maps the `algorithm` parameter to one.

mod hash;
mod ip_hash;
mod least_conn;
mod maglev;
mod p2c;
mod peak_ewma;
mod random;
mod ring_hash;
mod round_robin;
mod smooth_wrr;

pub use ip_hash::IpHash;
pub use least_conn::LeastConnections;
pub use maglev::Maglev;
pub use p2c::PowerOfTwo;
pub use peak_ewma::PeakEwma;
pub use random::Random;
pub use ring_hash::RingHash;
pub use round_robin::RoundRobin;
pub use smooth_wrr::SmoothWeightedRoundRobin;

use crate::kernel::rng::SimRng;
use crate::kernel::time::{SimDuration, SimTime};

/// The ids accepted by `--set algorithm=`.
pub const ALGORITHMS: &[&str] = &[
    "round_robin",
    "weighted_round_robin",
    "least_connections",
    "weighted_least_connections",
    "ip_hash",
    "ring_hash",
    "maglev",
    "power_of_two",
    "peak_ewma",
    "random",
];

/// What an algorithm may look at when it picks.
pub struct LoadView<'a> {
    /// Requests each backend holds right now (in service + queued), as the balancer counts them.
    pub in_flight: &'a [u32],
    /// Configured weight per backend.
    pub weights: &'a [f64],
    /// Whether each backend may take new requests: weight above 0 and not marked down.
    pub eligible: &'a [bool],
    /// How many of `eligible` are true (the caller keeps the count, so a pick need not).
    pub eligible_count: usize,
    /// The client's IPv4 address (for hashing algorithms).
    pub client_ip: u32,
    pub now: SimTime,
}

pub trait Picker {
    /// The backend for the next request, or `None` when no backend may take it.
    fn pick(&mut self, view: &LoadView) -> Option<usize>;
    /// Why the last pick chose `chosen`, as one clause of narration (after "because").
    fn explain(&self, chosen: usize, view: &LoadView) -> String;
    /// A response from `backend` took `rtt` (latency-aware algorithms learn from it).
    fn observe(&mut self, _backend: usize, _rtt: SimDuration, _now: SimTime) {}
    /// For hashing algorithms: where the key in `view` maps, without changing any state.
    fn map_key(&mut self, _view: &LoadView) -> Option<usize> {
        None
    }
    /// True if `pick` with no eligible backend answers `None` and changes nothing the picker
    /// will use later, so that the balancer may skip the call when it knows none is eligible
    /// (with a queue at the balancer it asks at every arrival and every release while all
    /// backends are full). False unless an algorithm says so: least connections re-stamps
    /// changed loads at every call, and that order breaks its ties.
    fn idle_when_none_eligible(&self) -> bool {
        false
    }
}

/// Parameters some algorithms need beyond the load view.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Virtual nodes per unit of weight on the consistent-hash ring.
    pub ring_vnodes: u32,
    /// Maglev lookup-table size (a prime).
    pub maglev_table: u64,
    /// Peak-EWMA decay time constant and the estimate before any response is seen.
    pub ewma_tau: SimDuration,
    pub ewma_default_rtt: SimDuration,
}

/// The algorithm named `id` (one of [`ALGORITHMS`]) for backends with these weights.
pub fn build(id: &str, weights: &[f64], opts: &Options, rng: SimRng) -> Box<dyn Picker> {
    match id {
        "weighted_round_robin" => Box::new(SmoothWeightedRoundRobin::new(weights)),
        "least_connections" => Box::new(LeastConnections::new(false)),
        "weighted_least_connections" => Box::new(LeastConnections::new(true)),
        "ip_hash" => Box::new(IpHash::new()),
        "ring_hash" => Box::new(RingHash::new(weights, opts.ring_vnodes)),
        "maglev" => Box::new(Maglev::new(weights.len(), opts.maglev_table)),
        "power_of_two" => Box::new(PowerOfTwo::new(rng)),
        "peak_ewma" => Box::new(PeakEwma::new(
            weights.len(),
            opts.ewma_tau,
            opts.ewma_default_rtt,
            rng,
        )),
        "random" => Box::new(Random::new(rng)),
        _ => Box::new(RoundRobin::new()),
    }
}

/// The `k`-th eligible backend (0-based) of `view`: `k` itself when every backend is eligible.
pub(crate) fn nth_eligible(view: &LoadView, k: usize) -> Option<usize> {
    if view.eligible_count == view.eligible.len() {
        return (k < view.eligible.len()).then_some(k);
    }
    view.eligible
        .iter()
        .enumerate()
        .filter(|(_, e)| **e)
        .nth(k)
        .map(|(i, _)| i)
}

/// "backend 3 holds 2 requests" — the load clause several explanations share.
pub(crate) fn holds(backend: usize, in_flight: u32) -> String {
    match in_flight {
        0 => format!("backend {} is idle", backend + 1),
        1 => format!("backend {} holds 1 request", backend + 1),
        n => format!("backend {} holds {n} requests", backend + 1),
    }
}

/// Test helpers shared by the algorithms' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    pub struct Fixture {
        pub in_flight: Vec<u32>,
        pub weights: Vec<f64>,
        pub eligible: Vec<bool>,
    }

    impl Fixture {
        pub fn new(weights: &[f64]) -> Self {
            Fixture {
                in_flight: vec![0; weights.len()],
                weights: weights.to_vec(),
                eligible: weights.iter().map(|w| *w > 0.0).collect(),
            }
        }
        pub fn view(&self, client_ip: u32) -> LoadView<'_> {
            LoadView {
                in_flight: &self.in_flight,
                weights: &self.weights,
                eligible: &self.eligible,
                eligible_count: self.eligible.iter().filter(|e| **e).count(),
                client_ip,
                now: SimTime::ZERO,
            }
        }
        /// Picks `n` times without load changing; returns 0-based indices.
        pub fn picks(&self, p: &mut dyn Picker, n: usize) -> Vec<Option<usize>> {
            (0..n).map(|_| p.pick(&self.view(0))).collect()
        }
    }
}
