//! The load balancer's parameters and presets (names fixed by the foundation issue: the same in
//! `--set`, the URL and the form).

use crate::block::Preset;
use crate::params::{ParamError, ParamKind, ParamSpec, Params};

pub const MAX_BACKENDS: i64 = 32;

pub static SPECS: &[ParamSpec] = &[
    ParamSpec {
        key: "algorithm",
        label: "Algorithm",
        unit: "",
        help: "How the balancer picks a backend for each request.",
        kind: ParamKind::Choice(&["round_robin"]),
        default: "round_robin",
    },
    ParamSpec {
        key: "backends",
        label: "Backends",
        unit: "",
        help: "Number of backend servers.",
        kind: ParamKind::Int { min: 1, max: MAX_BACKENDS },
        default: "3",
    },
    ParamSpec {
        key: "weights",
        label: "Weights",
        unit: "",
        help: "One weight per backend, comma-separated; 0 drains a backend (round robin skips it).",
        kind: ParamKind::FloatList { min: 0.0, max: 1000.0, max_len: MAX_BACKENDS as usize },
        default: "1,1,1",
    },
    ParamSpec {
        key: "requests",
        label: "Requests",
        unit: "",
        help: "How many requests the clients send in all.",
        kind: ParamKind::Int { min: 1, max: 1_000_000 },
        default: "200",
    },
    ParamSpec {
        key: "rate",
        label: "Arrival rate",
        unit: "req/s",
        help: "Mean arrivals per second (Poisson: exponential gaps between requests).",
        kind: ParamKind::Float { min: 0.01, max: 1_000_000.0 },
        default: "50",
    },
    ParamSpec {
        key: "service",
        label: "Service time",
        unit: "",
        help: "Distribution of the time a backend spends on a request.",
        kind: ParamKind::Choice(&["exp", "lognormal", "const"]),
        default: "exp",
    },
    ParamSpec {
        key: "service_ms",
        label: "Mean service time",
        unit: "ms",
        help: "Mean of the service-time distribution.",
        kind: ParamKind::Float { min: 0.001, max: 600_000.0 },
        default: "40",
    },
    ParamSpec {
        key: "service_sigma",
        label: "Log-normal σ",
        unit: "",
        help: "Shape of the log-normal service time (σ of ln X); larger means a heavier tail.",
        kind: ParamKind::Float { min: 0.05, max: 3.0 },
        default: "1",
    },
    ParamSpec {
        key: "capacity",
        label: "Capacity",
        unit: "concurrent",
        help: "Requests a backend serves at once.",
        kind: ParamKind::Int { min: 1, max: 10_000 },
        default: "2",
    },
    ParamSpec {
        key: "queue",
        label: "Queue",
        unit: "requests",
        help: "Requests a backend may queue beyond its capacity; more are rejected (0 rejects at once).",
        kind: ParamKind::Int { min: 0, max: 1_000_000 },
        default: "4",
    },
    ParamSpec {
        key: "link_ms",
        label: "Link latency",
        unit: "ms",
        help: "One-way latency of every hop (0 allowed: hops are then instantaneous).",
        kind: ParamKind::Float { min: 0.0, max: 60_000.0 },
        default: "5",
    },
    ParamSpec {
        key: "clients",
        label: "Clients",
        unit: "IPs",
        help: "Size of the client population; each request comes from one of them at random.",
        kind: ParamKind::Int { min: 1, max: 65_536 },
        default: "50",
    },
];

pub static PRESETS: &[Preset] = &[
    Preset {
        id: "healthy",
        title: "Healthy",
        story: "Load well under capacity: requests rarely wait and nothing is dropped.",
        values: &[],
    },
    Preset {
        id: "overloaded",
        title: "Overloaded",
        story: "Arrivals exceed what 6 slots can serve: queues fill, latency climbs, backends reject.",
        values: &[("rate", "180"), ("requests", "600")],
    },
    Preset {
        id: "no_queue",
        title: "No queue",
        story: "With no queue a busy backend rejects at once, even while another backend is idle.",
        values: &[("queue", "0"), ("rate", "80"), ("capacity", "1")],
    },
    Preset {
        id: "heavy_tail",
        title: "Heavy tail",
        story: "Log-normal service times: most requests are quick, a few are very slow and block their backend.",
        values: &[("service", "lognormal"), ("service_sigma", "1.5"), ("rate", "90"), ("requests", "500")],
    },
    Preset {
        id: "drained",
        title: "Drained backend",
        story: "Backend 2 has weight 0: round robin skips it, and the other two carry all the load.",
        values: &[("weights", "1,0,1"), ("rate", "70")],
    },
    Preset {
        id: "big",
        title: "100,000 requests",
        story: "A big run: the hop log keeps the first part; charts and figures cover everything.",
        values: &[("requests", "100000"), ("rate", "2000"), ("backends", "8"), ("weights", "1,1,1,1,1,1,1,1"), ("capacity", "16"), ("queue", "64"), ("service_ms", "50")],
    },
];

/// Rules across parameters.
pub fn check(p: &Params) -> Result<(), ParamError> {
    let backends = p.int("backends") as usize;
    let weights = p.list("weights");
    let text = || {
        weights
            .iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    if weights.len() != backends {
        return Err(ParamError::new(
            "weights",
            text(),
            format!(
                "{backends} weight{} (one per backend), got {}",
                if backends == 1 { "" } else { "s" },
                weights.len()
            ),
        ));
    }
    if weights.iter().all(|w| *w == 0.0) {
        return Err(ParamError::new(
            "weights",
            text(),
            "at least one weight above 0 (weight 0 drains a backend)",
        ));
    }
    Ok(())
}
