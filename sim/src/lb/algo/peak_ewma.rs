//! Least response time with a peak-EWMA estimate, as Finagle does it (finagle-core,
//! `com.twitter.finagle.loadbalancer.PeakEwma`; Linkerd's proxy uses the same idea through
//! tower's `PeakEwma`): each backend keeps a latency estimate that jumps up to any slower
//! response at once (the peak) and otherwise decays as an exponentially weighted moving average
//! with time constant τ: `w = exp(−Δt/τ)`, `cost = cost·w + rtt·(1−w)`. Reading the estimate also
//! decays it toward zero (Finagle's `get` observes 0), so a backend that stopped answering slowly
//! is tried again. Load = `cost × (outstanding + 1)`, a large penalty when nothing is known yet but
//! requests are outstanding. Selection is by two random choices (P2C), as in Finagle and Linkerd.

use super::p2c::two_choices;
use super::{LoadView, Picker};
use crate::kernel::rng::SimRng;
use crate::kernel::time::{SimDuration, SimTime};

/// Finagle's penalty for a backend with outstanding requests and no estimate (`Long.MaxValue >> 16`).
const PENALTY: f64 = (i64::MAX >> 16) as f64;

#[derive(Clone, Copy, Debug)]
struct Estimate {
    /// Latency estimate in µs.
    cost: f64,
    stamp: SimTime,
}

pub struct PeakEwma {
    tau_us: f64,
    est: Vec<Estimate>,
    rng: SimRng,
    last: Option<(usize, usize, f64, f64)>,
}

impl PeakEwma {
    pub fn new(backends: usize, tau: SimDuration, default_rtt: SimDuration, rng: SimRng) -> Self {
        let start = Estimate {
            cost: default_rtt.as_micros() as f64,
            stamp: SimTime::ZERO,
        };
        PeakEwma {
            tau_us: tau.as_micros().max(1) as f64,
            est: vec![start; backends],
            rng,
            last: None,
        }
    }

    /// Finagle's `observe(rtt)`: peak or decayed average.
    fn update(&mut self, b: usize, rtt_us: f64, now: SimTime) {
        let e = &mut self.est[b];
        let td = now.since(e.stamp).as_micros() as f64;
        let w = libm::exp(-td / self.tau_us);
        e.cost = if rtt_us > e.cost {
            rtt_us
        } else {
            e.cost * w + rtt_us * (1.0 - w)
        };
        e.stamp = now;
    }

    /// Finagle's load: `get()` (which decays toward zero) times outstanding + 1.
    fn load(&mut self, b: usize, outstanding: u32, now: SimTime) -> f64 {
        self.update(b, 0.0, now);
        let cost = self.est[b].cost;
        if cost == 0.0 && outstanding != 0 {
            PENALTY + f64::from(outstanding)
        } else {
            cost * f64::from(outstanding + 1)
        }
    }

    /// The current estimate for `b` in µs (for views and tests).
    pub fn estimate(&self, b: usize) -> f64 {
        self.est[b].cost
    }
}

impl Picker for PeakEwma {
    fn pick(&mut self, view: &LoadView) -> Option<usize> {
        let (a, b) = two_choices(&mut self.rng, view)?;
        let la = self.load(a, view.in_flight[a], view.now);
        let lb = if a == b {
            la
        } else {
            self.load(b, view.in_flight[b], view.now)
        };
        self.last = Some((a, b, la, lb));
        Some(if lb < la { b } else { a })
    }

    fn idle_when_none_eligible(&self) -> bool {
        true
    }

    fn explain(&self, _chosen: usize, _view: &LoadView) -> String {
        let Some((a, b, la, lb)) = self.last else {
            return String::new();
        };
        if a == b {
            return "it is the only eligible backend".into();
        }
        let ms = |b: usize| self.est[b].cost / 1e3;
        format!(
            "of two random choices, backend {} (latency estimate {:.1} ms × in flight+1 = {:.1}) and backend {} ({:.1} ms → {:.1}), it has the lower expected wait",
            a + 1,
            ms(a),
            la / 1e3,
            b + 1,
            ms(b),
            lb / 1e3
        )
    }

    fn observe(&mut self, backend: usize, rtt: SimDuration, now: SimTime) {
        self.update(backend, rtt.as_micros() as f64, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ewma() -> PeakEwma {
        PeakEwma::new(
            2,
            SimDuration::from_millis(10_000),
            SimDuration::from_millis(0),
            SimRng::new(1, 1),
        )
    }

    #[test]
    fn a_slow_response_raises_the_estimate_at_once() {
        let mut p = ewma();
        p.observe(0, SimDuration::from_millis(10), SimTime(1_000_000));
        p.observe(0, SimDuration::from_millis(500), SimTime(1_000_001));
        assert_eq!(p.estimate(0), 500_000.0);
    }

    #[test]
    fn faster_responses_decay_it_with_time_constant_tau() {
        let mut p = ewma();
        p.observe(0, SimDuration::from_millis(100), SimTime(0));
        // One τ later a 0 ms response: w = e^-1, cost = 100 ms × 0.3679.
        p.observe(0, SimDuration(0), SimTime(10_000_000));
        assert!(
            (p.estimate(0) - 100_000.0 * (-1f64).exp()).abs() < 1e-6,
            "{}",
            p.estimate(0)
        );
    }

    #[test]
    fn load_multiplies_by_outstanding_plus_one_and_penalises_the_unknown() {
        let mut p = ewma();
        p.observe(0, SimDuration::from_millis(20), SimTime(0));
        assert_eq!(p.load(0, 2, SimTime(0)), 60_000.0);
        assert_eq!(p.load(1, 1, SimTime(0)), PENALTY + 1.0);
        assert_eq!(p.load(1, 0, SimTime(0)), 0.0);
    }
}
