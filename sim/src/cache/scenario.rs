//! What every cache scenario shares: the dispatch by mode, arrivals, nodes, the recording of a
//! policy's insides, and the assembly of the run.

use super::config::{Config, Mode};
use super::keys::Names;
use super::policy::ttl::Expiring;
use super::policy::Key;
use crate::kernel::rng::SimRng;
use crate::kernel::run::{Event, Node, NodeId, Run, Series};
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::Trace;

/// The event log keeps this many events (hops, table rows, lists) before it is cut: enough to
/// step through thousands of accesses, small enough for the page.
pub const EVENT_CAP: usize = 120_000;
/// Items of a list kept per recorded list (the rest are counted in `more`).
pub const LIST_LIMIT: usize = 16;

/// Random stream of the arrival times.
const STREAM_ARRIVALS: u64 = 31;

pub fn simulate(cfg: &Config, seed: u64) -> Run {
    match cfg.mode {
        Mode::Eviction => super::eviction::simulate(cfg, seed),
        Mode::Write => super::write::simulate(cfg, seed),
        Mode::Cluster => super::cluster::simulate(cfg, seed),
        Mode::Stampede => super::stampede::simulate(cfg, seed),
        Mode::Mrc => super::mrc::simulate(cfg, seed),
    }
}

/// Access times: evenly spaced (`i × gap`, rounded) or Poisson with the same mean.
pub struct Arrivals {
    gap_us: f64,
    poisson: bool,
    rng: SimRng,
    i: u64,
    t: f64,
}

impl Arrivals {
    pub fn new(cfg: &Config, seed: u64) -> Self {
        Arrivals {
            gap_us: cfg.gap_us,
            poisson: cfg.poisson,
            rng: SimRng::new(seed, STREAM_ARRIVALS),
            i: 0,
            t: 0.0,
        }
    }

    /// The time of the next access (the first is at 0).
    pub fn next_time(&mut self) -> SimTime {
        let at = if self.poisson {
            let t = self.t;
            self.t += self.rng.exponential(self.gap_us);
            t
        } else {
            self.i as f64 * self.gap_us
        };
        self.i += 1;
        SimTime::from_micros(at.round() as u64)
    }
}

/// How many time buckets a chart of `n` accesses gets: about 20 accesses per bucket so a hit
/// ratio per bucket is not all noise, between 10 and 200 buckets.
pub fn chart_points(n: usize) -> u64 {
    (n as u64 / 20).clamp(10, 200)
}

/// About when the last of `n` accesses ends, for choosing bucket widths.
pub fn expected_end(cfg: &Config, n: usize) -> SimDuration {
    SimDuration::from_micros_f64(n as f64 * cfg.gap_us)
        + cfg.db_time
        + SimDuration(4 * cfg.link.as_micros())
}

pub fn node(
    id: NodeId,
    name: String,
    label: String,
    role: &str,
    col: u32,
    row: u32,
    detail: String,
) -> Node {
    Node {
        id,
        name,
        label,
        role: role.into(),
        col,
        row,
        detail,
    }
}

/// Records the lists of `cache` that changed (all of them with `force`) and its gauges.
pub fn record_insides(
    trace: &mut Trace,
    at: SimTime,
    node: NodeId,
    cache: &mut Expiring,
    names: &Names,
    force: bool,
) {
    let changed = cache.policy_mut().take_changed();
    if !trace.recording() {
        return;
    }
    let name = |k: Key| names.name(k);
    let (p, seen) = cache.policy_and_gauges();
    for (i, list_name) in p.list_names().iter().enumerate() {
        if force || changed & (1 << i) != 0 {
            let view = p.list(i, LIST_LIMIT, &name);
            let marker = (view.more > 0).then(|| format!("{MORE}{}", view.more));
            trace.list(
                at,
                node,
                *list_name,
                view.items.iter().chain(marker.iter()),
                usize::MAX,
            );
        }
    }
    if force || changed != 0 {
        let mut gauges = p.gauges();
        gauges.push(("entries", p.len() as f64));
        if seen.len() != gauges.len() {
            *seen = vec![f64::NAN; gauges.len()];
        }
        for (i, (g, v)) in gauges.into_iter().enumerate() {
            // NaN never equals itself, so the first value is always recorded.
            if force || seen[i] != v {
                trace.gauge(at, node, g, v);
                seen[i] = v;
            }
        }
    }
}

/// `Trace::list` counts left-out items by iterating over them, which costs O(list length) per
/// record; a cache of a million entries would pay that on every access. Instead a list is recorded
/// with its kept items and one marker item carrying the count, and [`assemble`] moves the count
/// into the event's `more` field. The marker starts with a NUL, which no key can contain.
const MORE: char = '\u{0}';

fn settle_more(events: &mut [Event]) {
    for e in events {
        if let Event::List { items, more, .. } = e {
            if let Some(n) = items
                .last()
                .and_then(|l| l.strip_prefix(MORE))
                .and_then(|n| n.parse::<u64>().ok())
            {
                items.pop();
                *more = n;
            }
        }
    }
}

/// Builds the run from a finished trace.
pub fn assemble(
    duration: SimTime,
    nodes: Vec<Node>,
    trace: Trace,
    series: Vec<Series>,
    result: serde_json::Value,
) -> Run {
    let (mut events, events_until, steps) = trace.finish();
    settle_more(&mut events);
    Run {
        scenario: String::new(),
        seed: 0,
        params: Default::default(),
        duration,
        nodes,
        events,
        events_until,
        steps,
        series,
        result,
    }
}

/// "42.1%" with one decimal.
pub fn pct(part: u64, whole: u64) -> String {
    if whole == 0 {
        "0%".into()
    } else {
        format!("{:.1}%", 100.0 * part as f64 / whole as f64)
    }
}

/// `part / whole`, 0 when nothing happened.
pub fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
