//! The load balancer's parameters and presets. The foundation's names (`algorithm`, `backends`,
//! `weights`, `requests`, `rate`, `service`, `service_ms`, `capacity`, `queue`, `link_ms`) are
//! fixed: the same in `--set`, the URL and the form.

use super::algo::ALGORITHMS;
use super::config::parse_faults;
use crate::block::Preset;
use crate::params::{ParamError, ParamKind, ParamSpec, Params};

pub const MAX_BACKENDS: i64 = 128;

const fn ms(
    key: &'static str,
    label: &'static str,
    help: &'static str,
    min: f64,
    max: f64,
    default: &'static str,
) -> ParamSpec {
    ParamSpec::new(
        key,
        label,
        "ms",
        help,
        ParamKind::Float { min, max },
        default,
    )
}

const fn int(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    help: &'static str,
    min: i64,
    max: i64,
    default: &'static str,
) -> ParamSpec {
    ParamSpec::new(key, label, unit, help, ParamKind::Int { min, max }, default)
}

const PER_BACKEND: ParamKind = ParamKind::List {
    min: 0.0,
    max: 1000.0,
    min_len: 1,
    max_len: MAX_BACKENDS as usize,
    integer: false,
};

pub static SPECS: &[ParamSpec] = &[
    ParamSpec::new("algorithm", "Algorithm", "", "How the balancer picks a backend for each request.", ParamKind::Choice(ALGORITHMS), "round_robin"),
    int("backends", "Backends", "", "Number of backend servers.", 1, MAX_BACKENDS, "3"),
    ParamSpec::new("weights", "Weights", "", "Weight per backend, comma-separated (one value applies to all); 0 drains a backend.", PER_BACKEND, "1,1,1"),
    ParamSpec::new("speeds", "Speeds", "×", "Service speed per backend (2 = twice as fast; one value applies to all).", ParamKind::List { min: 0.01, max: 100.0, min_len: 1, max_len: MAX_BACKENDS as usize, integer: false }, "1"),
    int("requests", "Requests", "", "How many requests the clients send in all.", 1, 1_000_000, "200"),
    ParamSpec::new("rate", "Arrival rate", "req/s", "Mean arrivals per second.", ParamKind::Float { min: 0.01, max: 1_000_000.0 }, "50"),
    ParamSpec::new("arrivals", "Arrivals", "", "poisson: exponential gaps; bursty: on/off periods (same mean rate, all of it during on periods).", ParamKind::Choice(&["poisson", "bursty"]), "poisson"),
    ms("burst_on_ms", "Burst on", "Mean length of an on period (exponential).", 0.01, 3_600_000.0, "300"),
    ms("burst_off_ms", "Burst off", "Mean length of an off period (exponential).", 0.0, 3_600_000.0, "900"),
    ParamSpec::new("service", "Service time", "", "Distribution of the work a request needs.", ParamKind::Choice(&["exp", "lognormal", "const"]), "exp"),
    ms("service_ms", "Mean service time", "Mean of the service-time distribution at speed 1.", 0.001, 600_000.0, "40"),
    ParamSpec::new("service_sigma", "Log-normal σ", "", "Shape of the log-normal service time (σ of ln X); larger means a heavier tail.", ParamKind::Float { min: 0.05, max: 3.0 }, "1"),
    int("capacity", "Capacity", "concurrent", "Requests a backend serves at once.", 1, 10_000, "2"),
    ParamSpec::new("capacities", "Capacities", "", "Capacity per backend, overriding Capacity (empty: all equal).", ParamKind::List { min: 1.0, max: 10_000.0, min_len: 0, max_len: MAX_BACKENDS as usize, integer: true }, ""),
    int("queue", "Queue", "requests", "Requests a backend (or, with Queue at = lb, the balancer) may queue beyond capacity; more are rejected.", 0, 1_000_000, "4"),
    ParamSpec::new("queue_at", "Queue at", "", "backend: the balancer forwards at once and backends queue; lb: requests wait at the balancer until a backend slot is free (HAProxy maxconn).", ParamKind::Choice(&["backend", "lb"]), "backend"),
    ms("link_ms", "Link latency", "One-way latency of every hop (0 allowed: hops are then instantaneous).", 0.0, 60_000.0, "5"),
    int("clients", "Clients", "", "Size of the client population; each request comes from one of them at random.", 1, 65_536, "50"),
    ParamSpec::new("nat_share", "Behind one NAT", "", "Share of clients that reach the balancer from one shared address (an office NAT).", ParamKind::Float { min: 0.0, max: 1.0 }, "0"),
    ParamSpec::new("faults", "Failure schedule", "", "Comma-separated events ACTION:BACKEND@TIME, e.g. down:2@1s, up:2@3s, slow:1x5@500ms.", ParamKind::Text { max_len: 2_000 }, ""),
    ParamSpec::new("health", "Health checks", "", "active: the balancer probes every backend (HAProxy check); off: it only learns from failed requests.", ParamKind::Choice(&["active", "off"]), "active"),
    ms("hc_interval_ms", "Check interval", "Time between two checks of a backend (HAProxy inter).", 1.0, 3_600_000.0, "2000"),
    ms("hc_timeout_ms", "Check timeout", "A check with no answer after this long fails (HAProxy timeout check).", 0.1, 3_600_000.0, "1000"),
    int("hc_rise", "Rise", "checks", "Consecutive successful checks to mark a down backend up.", 1, 100, "2"),
    int("hc_fall", "Fall", "checks", "Consecutive failed checks to mark an up backend down.", 1, 100, "3"),
    int("eject_after", "Eject after", "errors", "Passive outlier ejection after this many consecutive errors (Envoy consecutive_5xx); 0 = off.", 0, 1_000, "0"),
    ms("eject_ms", "Ejection time", "Base ejection time; the n-th ejection of a backend lasts n times this.", 1.0, 3_600_000.0, "30000"),
    ms("timeout_ms", "Request timeout", "The balancer gives up on a backend that has not answered after this long.", 0.1, 3_600_000.0, "1000"),
    int("retries", "Retries", "", "Extra attempts on another pick after a timeout or 503.", 0, 10, "1"),
    ParamSpec::new("retry_budget", "Retry budget", "%", "Retries allowed as a share of requests so far (plus 10), as Finagle's RetryBudget.", ParamKind::Float { min: 0.0, max: 1000.0 }, "20"),
    ParamSpec::new("sticky", "Sticky sessions", "", "cookie: the balancer pins each client to the backend of its first request; source_ip: pins each address.", ParamKind::Choice(&["none", "cookie", "source_ip"]), "none"),
    ParamSpec::new("tls", "TLS", "", "off; terminate: handshakes end at the balancer; passthrough: the balancer forwards TCP and backends do the handshakes.", ParamKind::Choice(&["off", "terminate", "passthrough"]), "off"),
    ParamSpec::new("tls_version", "TLS version", "", "1.2: a full handshake takes 2 round trips; 1.3: one. Resumption takes one in both.", ParamKind::Choice(&["1.3", "1.2"]), "1.3"),
    ParamSpec::new("tls_resume", "Resumed sessions", "", "Share of requests whose TLS session is resumed instead of a full handshake.", ParamKind::Float { min: 0.0, max: 1.0 }, "0.5"),
    ms("tls_full_ms", "Full handshake CPU", "CPU time of a full handshake (key exchange and signature).", 0.0, 10_000.0, "1.5"),
    ms("tls_resume_ms", "Resumed handshake CPU", "CPU time of a resumed handshake.", 0.0, 10_000.0, "0.15"),
    int("lb_cores", "Balancer cores", "", "CPU cores of the balancer (they run TLS handshakes when it terminates TLS).", 1, 256, "2"),
    int("vnodes", "Virtual nodes", "per weight", "Points each backend puts on the consistent-hash ring per unit of weight (ring_hash).", 1, 10_000, "100"),
    int("maglev_table", "Maglev table", "entries", "Size of the Maglev lookup table; must be prime (65537 in the paper).", 3, 1_000_003, "65537"),
    ms("ewma_tau_ms", "EWMA decay τ", "Time constant of the peak-EWMA latency estimate (Finagle's decayTime).", 1.0, 3_600_000.0, "10000"),
];

/// Parameter groups for the form (the rest go under "More").
pub static GROUPS: &[(&str, &[&str])] = &[
    (
        "Balancer",
        &[
            "algorithm",
            "backends",
            "weights",
            "speeds",
            "capacity",
            "capacities",
            "queue",
            "queue_at",
        ],
    ),
    (
        "Traffic",
        &[
            "requests",
            "rate",
            "arrivals",
            "burst_on_ms",
            "burst_off_ms",
            "service",
            "service_ms",
            "service_sigma",
            "link_ms",
            "clients",
            "nat_share",
        ],
    ),
    (
        "Failures",
        &[
            "faults",
            "health",
            "hc_interval_ms",
            "hc_timeout_ms",
            "hc_rise",
            "hc_fall",
            "eject_after",
            "eject_ms",
            "timeout_ms",
            "retries",
            "retry_budget",
        ],
    ),
    (
        "Sessions and TLS",
        &[
            "sticky",
            "tls",
            "tls_version",
            "tls_resume",
            "tls_full_ms",
            "tls_resume_ms",
            "lb_cores",
        ],
    ),
    (
        "Algorithm tuning",
        &["vnodes", "maglev_table", "ewma_tau_ms"],
    ),
];

pub static PRESETS: &[Preset] = &[
    Preset { id: "healthy", title: "Healthy", story: "Load well under capacity: requests rarely wait and nothing is dropped.", values: &[] },
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
        id: "slow_server",
        title: "One slow server",
        story: "Backend 3 runs at a quarter speed: round robin keeps feeding it; try least_connections or peak_ewma.",
        values: &[("speeds", "1,1,0.25"), ("rate", "70"), ("requests", "600"), ("queue", "20")],
    },
    Preset {
        id: "least_conn_vs_slow",
        title: "Least connections vs a slow server",
        story: "The same slow backend, but least connections sends it only what it can finish.",
        values: &[("algorithm", "least_connections"), ("speeds", "1,1,0.25"), ("rate", "70"), ("requests", "600"), ("queue", "20")],
    },
    Preset {
        id: "weighted",
        title: "Weighted 5:1:1",
        story: "nginx's smooth weighted round robin interleaves the heavy backend: a a b a c a a.",
        values: &[("algorithm", "weighted_round_robin"), ("weights", "5,1,1"), ("speeds", "5,1,1"), ("rate", "120"), ("requests", "400")],
    },
    Preset {
        id: "backend_dies",
        title: "A backend dies",
        story: "Backend 2 crashes at 1 s: requests to it time out until health checks mark it down; retries rescue most.",
        values: &[("faults", "down:2@1s,up:2@6s"), ("requests", "400"), ("rate", "60"), ("hc_interval_ms", "500"), ("hc_timeout_ms", "250"), ("timeout_ms", "300")],
    },
    Preset {
        id: "outlier_ejection",
        title: "Passive ejection",
        story: "No active checks: the balancer ejects backend 2 after 3 consecutive errors instead.",
        values: &[("faults", "down:2@1s"), ("health", "off"), ("eject_after", "3"), ("eject_ms", "2000"), ("requests", "400"), ("rate", "60"), ("timeout_ms", "300")],
    },
    Preset {
        id: "ring_hash_failover",
        title: "Consistent hashing on failure",
        story: "With a hash ring only the dead backend's clients move; the others keep their backend (see moved_keys).",
        values: &[("algorithm", "ring_hash"), ("backends", "5"), ("weights", "1"), ("faults", "down:3@1s"), ("clients", "400"), ("requests", "500"), ("rate", "100"), ("hc_interval_ms", "300"), ("hc_timeout_ms", "150"), ("timeout_ms", "200")],
    },
    Preset {
        id: "sticky_nat",
        title: "Sticky sessions behind a NAT",
        story: "Source-IP affinity pins the 40% of clients behind one office NAT to a single backend.",
        values: &[("sticky", "source_ip"), ("nat_share", "0.4"), ("backends", "4"), ("weights", "1"), ("rate", "90"), ("requests", "600"), ("queue", "30")],
    },
    Preset {
        id: "tls_terminate",
        title: "TLS at the balancer",
        story: "The balancer terminates TLS: handshakes cost it CPU and the client round trips; backends only serve requests.",
        values: &[("tls", "terminate"), ("tls_version", "1.2"), ("requests", "300")],
    },
    Preset {
        id: "tls_passthrough",
        title: "TLS passthrough",
        story: "The balancer forwards TCP: every handshake crosses it to a backend and takes backend CPU and slots.",
        values: &[("tls", "passthrough"), ("tls_version", "1.2"), ("requests", "300")],
    },
    Preset {
        id: "bursty",
        title: "Bursty traffic",
        story: "The same mean rate in on/off bursts: queues build during bursts and drain between them.",
        values: &[("arrivals", "bursty"), ("rate", "60"), ("requests", "600"), ("queue", "10")],
    },
    Preset {
        id: "mmc_shared_queue",
        title: "One shared queue (M/M/c)",
        story: "Requests wait at the balancer for any free slot: the simulated mean matches Erlang C's formula.",
        values: &[("queue_at", "lb"), ("queue", "100000"), ("capacity", "1"), ("rate", "70"), ("service_ms", "35"), ("requests", "20000"), ("health", "off"), ("timeout_ms", "3600000")],
    },
    Preset {
        id: "big",
        title: "100,000 requests",
        story: "A big run: the hop log keeps the first part; charts and figures cover everything.",
        values: &[("requests", "100000"), ("rate", "2000"), ("backends", "8"), ("weights", "1"), ("capacity", "16"), ("queue", "64"), ("service_ms", "50")],
    },
];

/// Lists with one value apply to every backend; otherwise they need one value per backend.
fn check_per_backend(
    p: &Params,
    key: &str,
    backends: usize,
    allow_empty: bool,
) -> Result<(), ParamError> {
    let list = p.list(key);
    let ok = list.len() == backends || list.len() == 1 || (allow_empty && list.is_empty());
    if ok {
        return Ok(());
    }
    let text = list
        .iter()
        .map(|w| w.to_string())
        .collect::<Vec<_>>()
        .join(",");
    Err(ParamError::new(
        key,
        text,
        format!(
            "{backends} values (one per backend) or a single value for all, got {}",
            list.len()
        ),
    ))
}

fn is_prime(n: u64) -> bool {
    n >= 2
        && (2..)
            .take_while(|d| d * d <= n)
            .all(|d| !n.is_multiple_of(d))
}

/// Rules across parameters.
pub fn check(p: &Params) -> Result<(), ParamError> {
    let backends = p.int("backends") as usize;
    check_per_backend(p, "weights", backends, false)?;
    check_per_backend(p, "speeds", backends, false)?;
    check_per_backend(p, "capacities", backends, true)?;
    let weights = p.list("weights");
    if weights.iter().all(|w| *w == 0.0) {
        let text = weights
            .iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .join(",");
        return Err(ParamError::new(
            "weights",
            text,
            "at least one weight above 0 (weight 0 drains a backend)",
        ));
    }
    parse_faults(p.text("faults"), backends)?;
    let m = p.int("maglev_table") as u64;
    if !is_prime(m) {
        return Err(ParamError::new(
            "maglev_table",
            m.to_string(),
            "a prime number (e.g. 251, 65537)",
        ));
    }
    if p.text("tls") == "passthrough" && p.text("sticky") == "cookie" {
        return Err(ParamError::new("sticky", "cookie", "none or source_ip with tls=passthrough: the balancer cannot read cookies inside TLS it does not terminate"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primes() {
        let got: Vec<u64> = (0..30).filter(|n| is_prime(*n)).collect();
        assert_eq!(got, vec![2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
        assert!(is_prime(65_537));
        assert!(!is_prime(65_535));
    }
}
