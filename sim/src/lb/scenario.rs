//! The load-balancer scenario: sets up the world, runs it to the last reply, and assembles the
//! run (nodes, series, result with the queueing-theory check where it applies).

use super::algo;
use super::clients::ip_text;
use super::config::{Arrivals, Config, Service, Sticky, Tls};
use super::narration::{algorithm_name, Narrator};
use super::stats::Stats;
use super::theory::mmc_response;
use super::world::{backend_node, bk, Backend, Ev, World, CLIENTS, LB};
use crate::kernel::progress;
use crate::kernel::queue::Scheduler;
use crate::kernel::rng::SimRng;
use crate::kernel::run::{Node, Run};
use crate::kernel::slots::Slots;
use crate::kernel::stats::bucket_width;
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::Trace;
use std::collections::{BTreeMap, VecDeque};

/// Random streams (see `kernel::rng`): one per purpose, so the traffic is identical whatever
/// the algorithm.
const STREAM_ARRIVALS: u64 = 1;
const STREAM_SERVICE: u64 = 2;
const STREAM_CLIENTS: u64 = 3;
const STREAM_PICKER: u64 = 4;
const STREAM_TLS: u64 = 5;

/// The queueing model the run can be checked against, when its assumptions hold.
fn theory(cfg: &Config) -> Option<(String, f64)> {
    let plain = matches!(cfg.arrivals, Arrivals::Poisson)
        && cfg.service == Service::Exponential
        && cfg.faults.is_empty()
        && cfg.tls.mode == Tls::Off
        && cfg.sticky == Sticky::None
        && cfg.speeds.windows(2).all(|w| w[0] == w[1])
        && cfg.weights.iter().all(|w| *w > 0.0);
    if !plain {
        return None;
    }
    let mu = cfg.speeds[0] / cfg.service_mean_us;
    let lambda = cfg.rate_per_s / 1e6;
    let hops = 4.0 * cfg.link.as_micros() as f64;
    if cfg.queue_at_lb {
        let c: u32 = cfg.capacities.iter().sum();
        let w = mmc_response(c, lambda, mu)?;
        return Some((
            format!("M/M/{c}: one shared queue, {c} servers (Erlang C)"),
            w + hops,
        ));
    }
    if cfg.algorithm == "random" && cfg.capacities.windows(2).all(|w| w[0] == w[1]) {
        let n = cfg.capacities.len() as f64;
        let c = cfg.capacities[0];
        let w = mmc_response(c, lambda / n, mu)?;
        let model = if c == 1 {
            "M/M/1 per backend (random split of a Poisson stream)".to_string()
        } else {
            format!("M/M/{c} per backend (random split of a Poisson stream)")
        };
        return Some((model, w + hops));
    }
    None
}

pub fn simulate(cfg: &Config, seed: u64) -> Run {
    let n = cfg.weights.len();
    let expected = SimDuration::from_micros_f64(
        cfg.requests as f64 / cfg.rate_per_s * 1e6
            + cfg.service_mean_us
            + 4.0 * cfg.link.as_micros() as f64,
    );
    let width = bucket_width(expected, 300);
    let picker = algo::build(
        &cfg.algorithm,
        &cfg.weights,
        &cfg.algo,
        SimRng::new(seed, STREAM_PICKER),
    );
    let skip_when_none = picker.idle_when_none_eligible();
    let mut sched = Scheduler::new();
    let (lane_hops, lane_sends, lane_checks) = (sched.lane(), sched.lane(), sched.lane());
    let lane_timeouts = sched.timer_lane();
    let mut w = World {
        cfg,
        sched,
        lane_hops,
        lane_sends,
        lane_timeouts,
        lane_checks,
        trace: if cfg.summary_only {
            Trace::counting(cfg.event_cap)
        } else {
            Trace::new(cfg.event_cap)
        },
        picker,
        rng_arrivals: SimRng::new(seed, STREAM_ARRIVALS),
        rng_service: SimRng::new(seed, STREAM_SERVICE),
        rng_clients: SimRng::new(seed, STREAM_CLIENTS),
        rng_tls: SimRng::new(seed, STREAM_TLS),
        reqs: Slots::new(),
        tried: Slots::new(),
        behind_nat: super::clients::behind_nat(cfg),
        backends: (0..n)
            .map(|_| Backend {
                alive: true,
                epoch: 0,
                slow: 1.0,
                busy: 0,
                queue: VecDeque::new(),
                marked_up: true,
                check_seq: 0,
                check_pending: false,
                check_sent: SimTime::ZERO,
                ok_streak: 0,
                fail_streak: 0,
                errors_in_a_row: 0,
                ejected: false,
                ejections: 0,
                dead_since: None,
                sent_while_dead: 0,
            })
            .collect(),
        outstanding: vec![0; n],
        eligible: cfg.weights.iter().map(|w| *w > 0.0).collect(),
        n_eligible: cfg.weights.iter().filter(|w| **w > 0.0).count(),
        // No request is outstanding yet: pickable is eligible.
        pickable: cfg.weights.iter().map(|w| *w > 0.0).collect(),
        n_pickable: cfg.weights.iter().filter(|w| **w > 0.0).count(),
        skip_when_none,
        lb_queue: VecDeque::new(),
        lb_cpu_busy: 0,
        lb_cpu_queue: VecDeque::new(),
        pins: BTreeMap::new(),
        mask: Vec::with_capacity(n),
        burst_on_until: SimTime::ZERO,
        retries_used: 0,
        stats: Stats::new(
            n,
            cfg.requests,
            width,
            cfg.tls.mode == Tls::Terminate,
            !cfg.summary_only,
        ),
        say: Narrator::default(),
    };
    if let Arrivals::Bursty { on_us, .. } = cfg.arrivals {
        w.burst_on_until =
            SimTime::ZERO + SimDuration::from_micros_f64(w.rng_arrivals.exponential(on_us));
    }
    w.sched.at(SimTime::ZERO, Ev::Send(0));
    for (i, f) in cfg.faults.iter().enumerate() {
        w.sched.at(f.at, Ev::Fault(i as u32));
    }
    if let Some(hc) = cfg.health {
        // Checks are spread over the interval, as HAProxy's spread-checks does.
        for b in 0..n {
            w.sched.at(
                SimTime(hc.interval.as_micros() * b as u64 / n as u64),
                Ev::Check(bk(b)),
            );
        }
    }
    let mut handled = 0u64;
    while let Some((_, ev)) = w.sched.pop() {
        w.handle(ev);
        if w.stats.completed == cfg.requests {
            break;
        }
        handled += 1;
        if handled.is_multiple_of(progress::EVERY) {
            progress::report(w.stats.completed, cfg.requests);
        }
    }
    finish(w)
}

fn finish(mut w: World) -> Run {
    let cfg = w.cfg;
    let end = w.sched.now();
    let latency = w.stats.latency_summary();
    let backends = &w.backends;
    w.stats.close_detections(|b| backends[b].sent_while_dead);
    let st = &w.stats;
    let extra = [
        (st.failed, "timed out"),
        (st.retried, "retried"),
        (st.sessions_broken, "sessions broken"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!(", {n} {what}"))
    .collect::<String>();
    let summary =
        format!(
        "All {} requests are done at {end}: {} served, {} rejected{extra}. Latency p50 {}, p99 {}.",
        cfg.requests, st.served, st.dropped, SimDuration(latency.p50), SimDuration(latency.p99)
    );
    w.say.summary(&mut w.trace, end, summary);

    let theory = theory(cfg);
    let mut nodes = vec![
        Node {
            id: CLIENTS,
            name: "clients".into(),
            label: "clients".into(),
            role: "client".into(),
            col: 0,
            row: 0,
            detail: if cfg.nat_share > 0.0 {
                format!(
                    "{} clients, {:.0}% behind NAT {}",
                    cfg.clients,
                    cfg.nat_share * 100.0,
                    ip_text(super::clients::NAT_IP)
                )
            } else {
                format!("{} clients from 10.0.0.1", cfg.clients)
            },
        },
        Node {
            id: LB,
            name: "lb".into(),
            label: "load balancer".into(),
            role: "lb".into(),
            col: 1,
            row: 0,
            detail: algorithm_name(&cfg.algorithm).into(),
        },
    ];
    for b in 0..cfg.weights.len() {
        let speed = if cfg.speeds[b] == 1.0 {
            String::new()
        } else {
            format!(", speed {}×", cfg.speeds[b])
        };
        nodes.push(Node {
            id: backend_node(b),
            name: format!("backend-{}", b + 1),
            label: format!("backend {}", b + 1),
            role: "backend".into(),
            col: 2,
            row: b as u32,
            detail: format!(
                "capacity {}, weight {}{speed}",
                cfg.capacities[b], cfg.weights[b]
            ),
        });
    }
    let kernel_events = w.sched.processed();
    let stats = w.stats;
    let result = serde_json::json!({
        "assignments": stats.assignments,
        "served": stats.served,
        "failed": stats.failed,
        "retried": stats.retried,
        "dropped": stats.dropped,
        "latency_us": latency,
        "per_backend": stats.per_backend,
        "detection": stats.detections,
        "moved_keys": stats.moved,
        "sessions_broken": stats.sessions_broken,
        "theory": theory.as_ref().map(|(model, mean)| serde_json::json!({
            "model": model,
            "mean_us": mean,
            "simulated_mean_us": latency.mean,
            "error_pct": (latency.mean - mean) / mean * 100.0,
        })),
        "kernel_events": kernel_events,
    });
    let series = stats.series(end, theory.map(|(_, m)| m / 1e3));
    let (events, events_until, steps) = w.trace.finish();
    Run {
        scenario: String::new(),
        seed: 0,
        params: Default::default(),
        duration: end,
        nodes,
        events,
        events_until,
        steps,
        series,
        result,
    }
}
