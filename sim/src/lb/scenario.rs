//! The load-balancer scenario through simulated time.
//!
//! Every request makes the hops client → LB → backend → LB → client, each `link` long. Arrivals
//! are Poisson (exponential gaps, rate λ); each request's service demand is drawn when it is sent
//! (from its own stream, so every algorithm sees the identical workload). A backend serves up to
//! `capacity` requests at once, queues up to `queue` more in FIFO order, and rejects the rest with
//! a 503 that travels back the same way.

use super::algo::{self, LoadView};
use crate::kernel::queue::Scheduler;
use crate::kernel::rng::SimRng;
use crate::kernel::run::{Node, NodeId, Run};
use crate::kernel::stats::{bucket_width, CountSeries, GaugeSeries, Percentiles, QuantileSeries};
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::{Trace, DEFAULT_EVENT_CAP};
use crate::params::Params;
use std::collections::VecDeque;

/// Random streams (see `kernel::rng`): one per purpose.
const STREAM_ARRIVALS: u64 = 1;
const STREAM_SERVICE: u64 = 2;
const STREAM_CLIENTS: u64 = 3;

/// How many requests get a narrated step for their pick.
const NARRATED_PICKS: u64 = 12;

const CLIENTS: NodeId = 0;
const LB: NodeId = 1;
const FIRST_BACKEND: NodeId = 2;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Service {
    Exponential,
    LogNormal { sigma: f64 },
    Constant,
}

/// The scenario's inputs in engine units.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub weights: Vec<f64>,
    pub requests: u64,
    pub rate_per_s: f64,
    pub service: Service,
    pub service_mean_us: f64,
    pub capacity: u32,
    pub queue: u32,
    pub link: SimDuration,
    pub clients: u32,
    pub event_cap: usize,
}

impl Config {
    pub fn from_params(p: &Params) -> Self {
        let service = match p.text("service") {
            "lognormal" => Service::LogNormal {
                sigma: p.float("service_sigma"),
            },
            "const" => Service::Constant,
            _ => Service::Exponential,
        };
        Config {
            weights: p.list("weights").to_vec(),
            requests: p.int("requests") as u64,
            rate_per_s: p.float("rate"),
            service,
            service_mean_us: p.float("service_ms") * 1e3,
            capacity: p.int("capacity") as u32,
            queue: p.int("queue") as u32,
            link: SimDuration::from_millis_f64(p.float("link_ms")),
            clients: p.int("clients") as u32,
            event_cap: DEFAULT_EVENT_CAP,
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Ev {
    /// A client sends request `req` (and the next arrival is scheduled).
    Send(u32),
    AtLb(u32),
    AtBackend(u32),
    /// A backend finished serving `req`.
    Done(u32),
    /// A response (200 when `ok`, else 503) reaches the balancer / the client.
    ReplyAtLb(u32, bool),
    ReplyAtClient(u32, bool),
}

struct Request {
    sent: SimTime,
    client: u32,
    backend: u32,
    service: SimDuration,
}

struct Backend {
    busy: u32,
    queue: VecDeque<u32>,
    served: u64,
    dropped: u64,
}

/// Client addresses: 10.0.0.1, 10.0.0.2, … (distinct for every member of the population).
pub fn client_ip(i: u32) -> String {
    let n = i + 1;
    format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255)
}

pub fn simulate(cfg: &Config, seed: u64) -> Run {
    let n = cfg.weights.len();
    let mut arrivals = SimRng::new(seed, STREAM_ARRIVALS);
    let mut service_rng = SimRng::new(seed, STREAM_SERVICE);
    let mut client_rng = SimRng::new(seed, STREAM_CLIENTS);
    let eligible: Vec<bool> = cfg.weights.iter().map(|w| *w > 0.0).collect();
    let mut picker = algo::RoundRobin::new();
    use algo::Picker;
    let mut sched: Scheduler<Ev> = Scheduler::new();
    let mut trace = Trace::new(cfg.event_cap);

    let mut reqs: Vec<Request> = Vec::with_capacity(cfg.requests as usize);
    let mut backends: Vec<Backend> = (0..n)
        .map(|_| Backend {
            busy: 0,
            queue: VecDeque::new(),
            served: 0,
            dropped: 0,
        })
        .collect();
    let mut in_flight = vec![0u32; n];
    let mut latencies: Vec<u64> = Vec::with_capacity(cfg.requests as usize);
    let mut assignments: Vec<i64> = Vec::with_capacity(cfg.requests as usize);
    let (mut served, mut dropped, mut unroutable) = (0u64, 0u64, 0u64);

    let expected = SimDuration::from_micros_f64(
        cfg.requests as f64 / cfg.rate_per_s * 1e6
            + cfg.service_mean_us
            + 4.0 * cfg.link.as_micros() as f64,
    );
    let width = bucket_width(expected, 300);
    let mut load_series: Vec<GaugeSeries> = (0..n).map(|_| GaugeSeries::new(width)).collect();
    let mut latency_series = QuantileSeries::new(width, &[50.0, 99.0], 1e-3);
    let mut drop_series = CountSeries::new(width);
    let (mut narrated_queue, mut narrated_drop, mut narrated_reply) = (false, false, false);

    let draw_service = |rng: &mut SimRng| -> SimDuration {
        let us = match cfg.service {
            Service::Exponential => rng.exponential(cfg.service_mean_us),
            Service::LogNormal { sigma } => rng.lognormal(cfg.service_mean_us, sigma),
            Service::Constant => cfg.service_mean_us,
        };
        SimDuration::from_micros_f64(us).max(SimDuration(1))
    };
    let backend_node = |b: u32| FIRST_BACKEND + b;

    sched.at(SimTime::ZERO, Ev::Send(0));
    while let Some((now, ev)) = sched.pop() {
        match ev {
            Ev::Send(r) => {
                let client = client_rng.below(u64::from(cfg.clients)) as u32;
                reqs.push(Request {
                    sent: now,
                    client,
                    backend: u32::MAX,
                    service: draw_service(&mut service_rng),
                });
                trace.hop(now, now + cfg.link, CLIENTS, LB, u64::from(r) + 1, "GET");
                sched.at(now + cfg.link, Ev::AtLb(r));
                if u64::from(r) + 1 < cfg.requests {
                    let gap =
                        SimDuration::from_micros_f64(arrivals.exponential(1e6 / cfg.rate_per_s));
                    sched.at(now + gap, Ev::Send(r + 1));
                }
            }
            Ev::AtLb(r) => {
                let view = LoadView {
                    in_flight: &in_flight,
                    weights: &cfg.weights,
                    eligible: &eligible,
                    client_ip: reqs[r as usize].client,
                    now,
                };
                let Some(b) = picker.pick(&view) else {
                    // Only when every weight is 0, which `check` rejects; kept total anyway.
                    unroutable += 1;
                    assignments.push(-1);
                    trace.drop_msg(now, LB, u64::from(r) + 1, "no backend available");
                    drop_series.add(now);
                    continue;
                };
                if u64::from(r) < NARRATED_PICKS {
                    let why = picker.explain(b, &view);
                    let ip = client_ip(reqs[r as usize].client);
                    trace.step(now, Some(LB), format!("Request {} from {ip} reaches the load balancer; round robin sends it to backend {} because {why}.", r + 1, b + 1));
                }
                reqs[r as usize].backend = b as u32;
                assignments.push(b as i64);
                in_flight[b] += 1;
                trace.hop(
                    now,
                    now + cfg.link,
                    LB,
                    backend_node(b as u32),
                    u64::from(r) + 1,
                    "GET",
                );
                sched.at(now + cfg.link, Ev::AtBackend(r));
            }
            Ev::AtBackend(r) => {
                let b = reqs[r as usize].backend as usize;
                let be = &mut backends[b];
                let node = backend_node(b as u32);
                if be.busy < cfg.capacity {
                    be.busy += 1;
                    trace.gauge(now, node, "busy", f64::from(be.busy));
                    sched.at(now + reqs[r as usize].service, Ev::Done(r));
                } else if (be.queue.len() as u32) < cfg.queue {
                    be.queue.push_back(r);
                    trace.gauge(now, node, "queued", be.queue.len() as f64);
                    if !narrated_queue {
                        narrated_queue = true;
                        trace.step(now, Some(node), format!(
                            "Backend {} already serves {} of {} requests at once, so request {} waits in its queue (position {} of {}).",
                            b + 1, be.busy, cfg.capacity, r + 1, be.queue.len(), cfg.queue
                        ));
                    }
                } else {
                    be.dropped += 1;
                    dropped += 1;
                    in_flight[b] -= 1;
                    drop_series.add(now);
                    trace.drop_msg(now, node, u64::from(r) + 1, "backend full");
                    trace.hop(now, now + cfg.link, node, LB, u64::from(r) + 1, "503");
                    if !narrated_drop {
                        narrated_drop = true;
                        let why = if cfg.queue == 0 {
                            format!(
                                "all {} of its slots are busy and it has no queue",
                                cfg.capacity
                            )
                        } else {
                            format!(
                                "all {} slots are busy and its queue is full ({} of {})",
                                cfg.capacity, cfg.queue, cfg.queue
                            )
                        };
                        trace.step(
                            now,
                            Some(node),
                            format!(
                                "Backend {} rejects request {} with 503: {why}.",
                                b + 1,
                                r + 1
                            ),
                        );
                    }
                    sched.at(now + cfg.link, Ev::ReplyAtLb(r, false));
                }
                load_series[b].set(now, f64::from(in_flight[b]));
            }
            Ev::Done(r) => {
                let b = reqs[r as usize].backend as usize;
                let node = backend_node(b as u32);
                let be = &mut backends[b];
                be.served += 1;
                in_flight[b] -= 1;
                trace.hop(now, now + cfg.link, node, LB, u64::from(r) + 1, "200");
                sched.at(now + cfg.link, Ev::ReplyAtLb(r, true));
                if let Some(next) = be.queue.pop_front() {
                    trace.gauge(now, node, "queued", be.queue.len() as f64);
                    sched.at(now + reqs[next as usize].service, Ev::Done(next));
                } else {
                    be.busy -= 1;
                    trace.gauge(now, node, "busy", f64::from(be.busy));
                }
                load_series[b].set(now, f64::from(in_flight[b]));
            }
            Ev::ReplyAtLb(r, ok) => {
                trace.hop(
                    now,
                    now + cfg.link,
                    LB,
                    CLIENTS,
                    u64::from(r) + 1,
                    if ok { "200" } else { "503" },
                );
                sched.at(now + cfg.link, Ev::ReplyAtClient(r, ok));
            }
            Ev::ReplyAtClient(r, ok) => {
                if ok {
                    let req = &reqs[r as usize];
                    let latency = now.since(req.sent).as_micros();
                    served += 1;
                    latencies.push(latency);
                    latency_series.observe(now, latency);
                    if !narrated_reply {
                        narrated_reply = true;
                        let wait = SimDuration(
                            latency
                                .saturating_sub(4 * cfg.link.as_micros() + req.service.as_micros()),
                        );
                        trace.step(now, Some(CLIENTS), format!(
                            "Request {}'s response reaches {} after {}: four hops of {} each, {} of service at backend {}{}.",
                            r + 1, client_ip(req.client), SimDuration(latency), cfg.link, req.service, req.backend + 1,
                            if wait.0 > 0 { format!(" and {wait} waiting in its queue") } else { String::new() }
                        ));
                    }
                }
            }
        }
    }

    let end = sched.now();
    let latency = Percentiles::of(&mut latencies);
    trace.step(end, None, format!(
        "All {} requests are done at {end}: {served} served, {dropped} rejected{}. Latency p50 {}, p99 {}.",
        cfg.requests,
        if unroutable > 0 { format!(", {unroutable} unroutable") } else { String::new() },
        SimDuration(latency.p50), SimDuration(latency.p99)
    ));

    let mut nodes = vec![
        Node {
            id: CLIENTS,
            name: "clients".into(),
            label: "clients".into(),
            role: "client".into(),
            col: 0,
            row: 0,
            detail: format!("{} IPs from {}", cfg.clients, client_ip(0)),
        },
        Node {
            id: LB,
            name: "lb".into(),
            label: "load balancer".into(),
            role: "lb".into(),
            col: 1,
            row: 0,
            detail: "round robin".into(),
        },
    ];
    for (b, w) in cfg.weights.iter().enumerate() {
        let b = b as u32;
        nodes.push(Node {
            id: backend_node(b),
            name: format!("backend-{}", b + 1),
            label: format!("backend {}", b + 1),
            role: "backend".into(),
            col: 2,
            row: b,
            detail: format!("capacity {}, queue {}, weight {w}", cfg.capacity, cfg.queue),
        });
    }

    let mut series: Vec<_> = load_series
        .into_iter()
        .enumerate()
        .map(|(b, s)| {
            s.finish(
                end,
                "In flight per backend",
                &format!("backend {}", b + 1),
                "requests",
            )
        })
        .collect();
    series.extend(latency_series.finish("Latency", "ms"));
    series.push(drop_series.finish(end, "Drops", "rejected", "requests"));

    let per_backend: Vec<_> = backends
        .iter()
        .map(|b| serde_json::json!({ "served": b.served, "dropped": b.dropped }))
        .collect();
    let result = serde_json::json!({
        "assignments": assignments,
        "served": served,
        "dropped": dropped + unroutable,
        "latency_us": latency,
        "per_backend": per_backend,
        "kernel_events": sched.processed(),
    });
    let (events, events_until, steps) = trace.finish();
    Run {
        scenario: String::new(),
        seed,
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
