//! The client population and its traffic: addresses (with an optional shared NAT), Poisson or
//! on/off arrivals, service demands, and which clients a backend change moves.

use super::algo::{LoadView, Picker};
use super::config::{Arrivals, Config, Service};
use crate::kernel::rng::SimRng;
use crate::kernel::time::{round_to_u64, SimDuration, SimTime};

/// The shared NAT address: 203.0.113.10, from TEST-NET-3 (RFC 5737, for documentation).
pub const NAT_IP: u32 = u32::from_be_bytes([203, 0, 113, 10]);

/// Client `i`'s address: the NAT address for the first `nat_share` of the population, else
/// 10.0.0.1, 10.0.0.2, … (distinct, as many /24s as needed).
pub fn ip_of(i: u32, cfg: &Config) -> u32 {
    ip_behind(i, behind_nat(cfg))
}

/// How many clients (the first ones) share the NAT address.
pub fn behind_nat(cfg: &Config) -> u32 {
    round_to_u64(cfg.nat_share * f64::from(cfg.clients)) as u32
}

/// Client `i`'s address when the first `behind_nat` clients share the NAT's.
#[inline]
pub fn ip_behind(i: u32, behind_nat: u32) -> u32 {
    if i < behind_nat {
        NAT_IP
    } else {
        let n = i + 1;
        u32::from_be_bytes([10, (n >> 16) as u8, (n >> 8) as u8, n as u8])
    }
}

pub fn ip_text(ip: u32) -> String {
    let [a, b, c, d] = ip.to_be_bytes();
    format!("{a}.{b}.{c}.{d}")
}

/// Work a request needs at speed 1, in µs (at least 1).
pub fn draw_service(rng: &mut SimRng, cfg: &Config) -> f64 {
    let us = match cfg.service {
        Service::Exponential => rng.exponential(cfg.service_mean_us),
        Service::LogNormal { sigma } => rng.lognormal(cfg.service_mean_us, sigma),
        Service::Constant => cfg.service_mean_us,
    };
    us.max(1.0)
}

/// The time of the next arrival after `now`.
///
/// Poisson: an exponential gap of mean 1/λ. On/off (a Markov-modulated Poisson process):
/// arrivals at rate λ·(on+off)/on during exponential on periods and none during exponential off
/// periods, so the long-run mean rate is still λ; `on_until` is the end of the current on period.
pub fn next_gap(rng: &mut SimRng, cfg: &Config, now: SimTime, on_until: &mut SimTime) -> SimTime {
    match cfg.arrivals {
        Arrivals::Poisson => {
            now + SimDuration::from_micros_f64(rng.exponential(1e6 / cfg.rate_per_s))
        }
        Arrivals::Bursty { on_us, off_us } => {
            let rate_on = cfg.rate_per_s * (on_us + off_us) / on_us;
            let mut from = now;
            for _ in 1..NAIVE_CYCLES {
                let t = from + SimDuration::from_micros_f64(rng.exponential(1e6 / rate_on));
                if t <= *on_until {
                    return t;
                }
                // The on period ended first: skip an off period, start a new on period, and
                // draw afresh (the exponential is memoryless).
                let start = *on_until + SimDuration::from_micros_f64(rng.exponential(off_us));
                *on_until = start + SimDuration::from_micros_f64(rng.exponential(on_us));
                from = start;
            }
            let t = from + SimDuration::from_micros_f64(rng.exponential(1e6 / rate_on));
            if t <= *on_until {
                return t;
            }
            // The on period ending at `*on_until` had none either: skip the quiet ones in bulk.
            skip_quiet_cycles(rng, rate_on / 1e6, on_us, off_us, on_until)
        }
    }
}

/// On periods drawn one by one before `next_gap` skips the quiet ones in bulk. With the presets'
/// parameters an arrival almost never needs more than a few (the bursty preset: a 1.4 % chance
/// per period), so their runs never reach the bulk path; parameters with far fewer than one
/// arrival per on period (a 10 µs burst at 0.01 req/s) would otherwise loop millions of times
/// per arrival.
const NAIVE_CYCLES: u32 = 16;

/// The next arrival of the on/off process, drawn in O(1) from the end of an on period that had
/// none (`*on_until`), exactly as the period-by-period loop would in distribution. Each later
/// on period races its first arrival (rate λ) against its end (rate μ = 1/on): it has an arrival
/// with probability p = λ/(λ+μ), so K ~ Geometric(p) periods pass without one; a period's length
/// given which clock won is Exp(λ+μ) either way (the minimum of two exponentials is independent
/// of which one it was). So the arrival comes after K+1 off periods (Gamma(K+1, off)), K quiet
/// on periods (Gamma(K, 1/(λ+μ))) and Exp(λ+μ) into the next; that period then lasts Exp(on)
/// more (memoryless). `lambda` is per µs.
fn skip_quiet_cycles(
    rng: &mut SimRng,
    lambda: f64,
    on_us: f64,
    off_us: f64,
    on_until: &mut SimTime,
) -> SimTime {
    let mu = 1.0 / on_us;
    let both = lambda + mu;
    let quiet = rng.geometric(lambda / both) as f64;
    let offs = if off_us > 0.0 {
        rng.gamma(quiet + 1.0, off_us)
    } else {
        0.0
    };
    let quiet_ons = if quiet > 0.0 {
        rng.gamma(quiet, 1.0 / both)
    } else {
        0.0
    };
    let into = rng.exponential(1.0 / both);
    let t = *on_until + SimDuration::from_micros_f64(offs + quiet_ons + into);
    *on_until = t + SimDuration::from_micros_f64(rng.exponential(on_us));
    t
}

/// How many clients map to a different backend under `after` than under `before` (for hashing
/// algorithms, whose mapping is a pure function of the key and the eligible set).
pub fn moved_keys(
    picker: &mut dyn Picker,
    cfg: &Config,
    before: &[bool],
    after: &[bool],
    outstanding: &[u32],
    now: SimTime,
) -> u64 {
    // Two passes, so that ring and table algorithms rebuild once per eligible set.
    let mut map = |eligible: &[bool]| -> Vec<Option<usize>> {
        let eligible_count = eligible.iter().filter(|e| **e).count();
        (0..cfg.clients)
            .map(|c| {
                picker.map_key(&LoadView {
                    in_flight: outstanding,
                    weights: &cfg.weights,
                    eligible,
                    eligible_count,
                    client_ip: ip_of(c, cfg),
                    now,
                })
            })
            .collect()
    };
    let a = map(before);
    let b = map(after);
    a.iter().zip(&b).filter(|(x, y)| x != y).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Params;

    fn bursty(rate: &str, on_ms: &str, off_ms: &str) -> Config {
        let sets = [
            ("arrivals", "bursty"),
            ("rate", rate),
            ("burst_on_ms", on_ms),
            ("burst_off_ms", off_ms),
        ];
        Config::from_params(&Params::parse(super::super::params::SPECS, &sets).unwrap())
    }

    /// Gaps from `next_gap` over a run of `n` arrivals, the first on period drawn as a run does.
    fn gaps(
        cfg: &Config,
        n: usize,
        seed: u64,
        gap: impl Fn(&mut SimRng, &Config, SimTime, &mut SimTime) -> SimTime,
    ) -> Vec<f64> {
        let Arrivals::Bursty { on_us, .. } = cfg.arrivals else {
            unreachable!()
        };
        let mut rng = SimRng::new(seed, 0);
        let mut on_until = SimTime::ZERO + SimDuration::from_micros_f64(rng.exponential(on_us));
        let mut now = SimTime::ZERO;
        (0..n)
            .map(|_| {
                let next = gap(&mut rng, cfg, now, &mut on_until);
                let d = (next - now).as_micros() as f64;
                now = next;
                d
            })
            .collect()
    }

    /// The period-by-period loop with no cap: the definition the bulk skip must agree with.
    fn loop_only(rng: &mut SimRng, cfg: &Config, now: SimTime, on_until: &mut SimTime) -> SimTime {
        let Arrivals::Bursty { on_us, off_us } = cfg.arrivals else {
            unreachable!()
        };
        let rate_on = cfg.rate_per_s * (on_us + off_us) / on_us;
        let mut from = now;
        loop {
            let t = from + SimDuration::from_micros_f64(rng.exponential(1e6 / rate_on));
            if t <= *on_until {
                return t;
            }
            let start = *on_until + SimDuration::from_micros_f64(rng.exponential(off_us));
            *on_until = start + SimDuration::from_micros_f64(rng.exponential(on_us));
            from = start;
        }
    }

    fn mean_sd(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let m = xs.iter().sum::<f64>() / n;
        (
            m,
            (xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0)).sqrt(),
        )
    }

    /// An on period has an arrival with probability 5 %, so about 44 % of the gaps take the bulk
    /// skip (16 quiet periods in a row): the gaps' mean and spread match the plain loop's, and
    /// the long-run rate is the configured one.
    #[test]
    fn the_bulk_skip_draws_the_same_gaps_as_the_loop() {
        // λ_on / (λ_on + 1/on) = 5 %: on = 1 ms, λ_on = 52.63/s; off 3 ms → rate 13.158/s.
        let cfg = bursty("13.157894736842104", "1", "3");
        let n = 60_000;
        let (m1, s1) = mean_sd(&gaps(&cfg, n, 11, next_gap));
        let (m2, s2) = mean_sd(&gaps(&cfg, n, 12, loop_only));
        let se = (s1 * s1 / n as f64 + s2 * s2 / n as f64).sqrt();
        assert!(
            (m1 - m2).abs() < 5.0 * se,
            "mean gap {m1} vs the loop's {m2} (se {se})"
        );
        assert!(
            (s1 / s2 - 1.0).abs() < 0.05,
            "gap sd {s1} vs the loop's {s2}"
        );
        let theory = 1e6 / cfg.rate_per_s;
        assert!(
            (m1 - theory).abs() < 5.0 * s1 / (n as f64).sqrt(),
            "mean gap {m1} vs 1/rate {theory}"
        );
    }

    /// A 10 µs burst at 0.1 req/s has one arrival per 10⁶ on periods: each gap is drawn in O(1)
    /// (this took minutes per run before), and with no off time the arrivals are Poisson at the
    /// configured rate (mean gap 10 s, coefficient of variation 1).
    #[test]
    fn sparse_bursts_are_drawn_in_constant_time() {
        let cfg = bursty("0.1", "0.01", "0");
        let n = 40_000;
        let (m, s) = mean_sd(&gaps(&cfg, n, 5, next_gap));
        assert!(
            (m - 1e7).abs() < 5.0 * 1e7 / (n as f64).sqrt(),
            "mean gap {m} µs vs 10 s"
        );
        assert!(
            (s / m - 1.0).abs() < 0.05,
            "coefficient of variation {}",
            s / m
        );
    }
}
