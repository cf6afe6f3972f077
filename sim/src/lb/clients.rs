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
    let behind_nat = round_to_u64(cfg.nat_share * f64::from(cfg.clients)) as u32;
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
            loop {
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
        }
    }
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
        (0..cfg.clients)
            .map(|c| {
                picker.map_key(&LoadView {
                    in_flight: outstanding,
                    weights: &cfg.weights,
                    eligible,
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
