//! Mode `eviction`: one client, one cache node per policy, one database.
//!
//! Every access goes from the client to each cache node (with `policy=all`, six nodes see the
//! identical stream); a hit answers at once, a miss asks the database and then answers. The
//! policy decides at the moment the request reaches the node, so the hit/miss sequence is
//! exactly the pure policy's on the access sequence (the unit tests' hand-worked answers hold for
//! `keys=` runs). Hops and table rows are recorded while the log has room; the counters and
//! series always cover the whole run.

use super::config::Config;
use super::keys::Names;
use super::narration;
use super::policy::ttl::Expiring;
use super::policy::{build, Key, Outcome, PolicyId};
use super::scenario::{
    assemble, expected_end, node, pct, ratio, record_insides, Arrivals, EVENT_CAP,
};
use super::stats::{Buckets, Level};
use super::workload::{Shape, Workload};
use crate::kernel::queue::{Lane, Scheduler};
use crate::kernel::run::{NodeId, Run};
use crate::kernel::stats::bucket_width;
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::Trace;
use serde_json::json;
use std::collections::BTreeMap;

const CLIENT: NodeId = 0;
/// Narrated accesses: at most this many steps with one policy, of which the first
/// `FIRST_STEPS` accesses one by one and then each kind of decision `PER_CASE` times.
const NARRATED: u32 = 40;
const FIRST_STEPS: u32 = 10;
const PER_CASE: u32 = 3;
/// With every policy at once: the first access and the first accesses they disagree on.
const NARRATED_ALL: u32 = 10;
/// Per-access outcomes are reported for runs up to this many accesses.
const OUTCOME_LIMIT: usize = 10_000;

#[derive(Clone, Copy, Debug)]
enum Ev {
    Send(u32),
    AtCache(u8, u32),
    /// The node answers: a hit goes back to the client, a miss to the database.
    Leave(u8, u32, bool),
    DbAnswer(u8, u32),
    Back(u8, u32),
    Crash,
}

#[derive(Default)]
struct Counts {
    hits: u64,
    misses: u64,
    evictions: u64,
    expired: u64,
    lost_in_crash: u64,
    outcomes: String,
    evicted: Vec<Key>,
}

struct Cache {
    policy: PolicyId,
    node: NodeId,
    store: Expiring,
    counts: Counts,
    buckets: Buckets,
    p: Option<Level>,
}

struct World<'a> {
    cfg: &'a Config,
    keys: &'a [Key],
    names: &'a Names,
    sched: Scheduler<Ev>,
    lanes: [Lane; 5],
    trace: Trace,
    caches: Vec<Cache>,
    db: NodeId,
    arrivals: Arrivals,
    pending: Vec<(bool, String)>,
    told: u32,
    cases: BTreeMap<&'static str, u32>,
    detail: bool,
    milestones: Vec<u32>,
    scan: Option<(u32, u32)>,
    phases: Option<(u32, u32)>,
}

impl World<'_> {
    fn name(&self, k: Key) -> String {
        self.names.name(k)
    }

    fn hit_latency(&self) -> SimDuration {
        SimDuration(2 * self.cfg.link.as_micros()) + self.cfg.cache_time
    }

    fn miss_latency(&self) -> SimDuration {
        self.hit_latency() + SimDuration(2 * self.cfg.link.as_micros()) + self.cfg.db_time
    }

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Send(i) => self.send(i),
            Ev::AtCache(j, i) => self.at_cache(j as usize, i),
            Ev::Leave(j, i, hit) => {
                let now = self.sched.now();
                let c = self.caches[j as usize].node;
                let key = self.name(self.keys[i as usize]);
                let arrive = now + self.cfg.link;
                if hit {
                    self.trace.hop(
                        now,
                        arrive,
                        c,
                        CLIENT,
                        u64::from(i) + 1,
                        format!("hit {key}"),
                    );
                } else {
                    self.trace.hop(
                        now,
                        arrive,
                        c,
                        self.db,
                        u64::from(i) + 1,
                        format!("read {key}"),
                    );
                    self.sched
                        .at_in(self.lanes[2], arrive + self.cfg.db_time, Ev::DbAnswer(j, i));
                }
            }
            Ev::DbAnswer(j, i) => {
                let now = self.sched.now();
                let c = self.caches[j as usize].node;
                let key = self.name(self.keys[i as usize]);
                self.trace
                    .hop(now, now + self.cfg.link, self.db, c, u64::from(i) + 1, key);
                self.sched
                    .at_in(self.lanes[3], now + self.cfg.link, Ev::Back(j, i));
            }
            Ev::Back(j, i) => {
                let now = self.sched.now();
                let c = self.caches[j as usize].node;
                let key = self.name(self.keys[i as usize]);
                self.trace.hop(
                    now,
                    now + self.cfg.link,
                    c,
                    CLIENT,
                    u64::from(i) + 1,
                    format!("{key} (from the database)"),
                );
            }
            Ev::Crash => self.crash(),
        }
    }

    fn send(&mut self, i: u32) {
        let now = self.sched.now();
        let arrive = now + self.cfg.link;
        if self.trace.recording() {
            let label = format!("get {}", self.name(self.keys[i as usize]));
            for c in 0..self.caches.len() {
                let to = self.caches[c].node;
                self.trace
                    .hop(now, arrive, CLIENT, to, u64::from(i) + 1, label.clone());
            }
        }
        for j in 0..self.caches.len() {
            self.sched
                .at_in(self.lanes[0], arrive, Ev::AtCache(j as u8, i));
        }
        self.narrate_stream(now, i);
        if (i as usize) + 1 < self.keys.len() {
            let next = self.arrivals.next_time();
            self.sched.at_in(self.lanes[4], next, Ev::Send(i + 1));
        }
    }

    /// Steps about the stream itself: scan start and end, a new phase, milestones.
    fn narrate_stream(&mut self, now: SimTime, i: u32) {
        if let Some((start, end)) = self.scan {
            if i == start {
                self.trace.step(
                    now,
                    None,
                    format!(
                        "The scan begins: {} keys that are each used once sweep through the cache.",
                        narration::thousands(u64::from(end - start))
                    ),
                );
            } else if i == end {
                self.trace.step(
                    now,
                    None,
                    "The scan is over: the popular keys are back. Which policy kept them?"
                        .to_string(),
                );
            }
        }
        if let Some((phases, total)) = self.phases {
            if i > 0 {
                let phase = |x: u32| u64::from(x) * u64::from(phases) / u64::from(total);
                if phase(i) != phase(i - 1) {
                    self.trace.step(
                        now,
                        None,
                        format!("The working set moves: phase {} of {phases} draws from a fresh set of keys.", phase(i) + 1),
                    );
                }
            }
        }
        if self.milestones.first() == Some(&i) {
            self.milestones.remove(0);
            let standings = self.standings();
            self.trace.step(
                now,
                None,
                format!(
                    "After {} accesses: {standings}.",
                    narration::thousands(u64::from(i))
                ),
            );
        }
    }

    /// "LRU 41.2%, ARC 48.0%" in policy order.
    fn standings(&self) -> String {
        self.caches
            .iter()
            .map(|c| {
                format!(
                    "{} {} hits",
                    c.policy.title(),
                    pct(c.counts.hits, c.counts.hits + c.counts.misses)
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn at_cache(&mut self, j: usize, i: u32) {
        let now = self.sched.now();
        let key = self.keys[i as usize];
        let (hit_lat, miss_lat) = (self.hit_latency(), self.miss_latency());
        let c = &mut self.caches[j];
        let out = c.store.access(key, now);
        let recording = self.trace.recording();
        for &x in c.store.just_expired() {
            c.counts.expired += 1;
            if recording {
                self.trace
                    .remove(now, c.node, self.names.name(x), "expired (TTL)");
            }
        }
        let answered = now + self.cfg.cache_time;
        if out.hit {
            c.counts.hits += 1;
            c.buckets.access(now, true);
            c.buckets.latency(answered + self.cfg.link, hit_lat);
        } else {
            c.counts.misses += 1;
            c.buckets.access(now, false);
            c.buckets.db(answered + self.cfg.link);
            let sent = SimTime(now.as_micros().saturating_sub(self.cfg.link.as_micros()));
            c.buckets.latency(sent + miss_lat, miss_lat);
            if let Some(v) = out.evicted {
                c.counts.evictions += 1;
                if self.detail {
                    c.counts.evicted.push(v);
                }
                if recording {
                    self.trace
                        .remove(now, c.node, self.names.name(v), "evicted");
                }
            }
            if recording && c.store.contains(key) {
                let expires = c.store.expires_at(key);
                self.trace.entry(
                    now,
                    c.node,
                    self.names.name(key),
                    format!("loaded at {now}"),
                    expires,
                );
            }
        }
        if self.detail {
            c.counts.outcomes.push(if out.hit { 'h' } else { 'm' });
        }
        if let Some(level) = &mut c.p {
            if let Some((_, p)) = c.store.policy().gauges().first() {
                level.set(now, *p);
            }
        }
        let node = c.node;
        let first = c.counts.hits + c.counts.misses == 1;
        record_insides(
            &mut self.trace,
            now,
            node,
            &mut self.caches[j].store,
            self.names,
            first,
        );
        self.narrate_access(j, i, out, now);
        if self.trace.recording() {
            self.sched
                .at_in(self.lanes[1], answered, Ev::Leave(j as u8, i, out.hit));
        }
    }

    /// One policy: the first accesses one by one, then each kind of decision (`Policy::case`) its
    /// first few times. All policies: the first access, then accesses on which they disagree.
    fn narrate_access(&mut self, j: usize, i: u32, out: Outcome, now: SimTime) {
        let k = self.caches.len();
        let limit = if k == 1 { NARRATED } else { NARRATED_ALL };
        if self.told >= limit {
            return;
        }
        let key = self.keys[i as usize];
        let c = &self.caches[j];
        let names = self.names;
        let name = |x: Key| names.name(x);
        if k == 1 {
            let case = c.store.policy().case(out);
            let seen = self.cases.entry(case).or_insert(0);
            if i < FIRST_STEPS || *seen < PER_CASE {
                *seen += 1;
                self.told += 1;
                let why = c.store.policy().explain(key, out, &name);
                self.trace
                    .step(now, Some(c.node), format!("get {} — {why}.", name(key)));
            }
            return;
        }
        let what = match (out.hit, out.evicted) {
            (true, _) => "hit".to_string(),
            (false, Some(v)) => format!("miss, evicts {}", name(v)),
            (false, None) => "miss".to_string(),
        };
        self.pending
            .push((out.hit, format!("{} {what}", c.policy.title())));
        if j + 1 == k {
            let parts = std::mem::take(&mut self.pending);
            let disagree = parts.iter().any(|(h, _)| *h != parts[0].0);
            if i == 0 || disagree {
                self.told += 1;
                let text: Vec<String> = parts.into_iter().map(|(_, t)| t).collect();
                self.trace.step(
                    now,
                    Some(self.caches[0].node),
                    format!("get {} — {}.", name(key), text.join("; ")),
                );
            }
        }
    }

    fn crash(&mut self) {
        let now = self.sched.now();
        let mut lost = 0;
        for j in 0..self.caches.len() {
            let resident = self.caches[j].store.policy().resident();
            lost = resident.len();
            if self.trace.recording() {
                for &x in &resident {
                    self.trace
                        .remove(now, self.caches[j].node, self.names.name(x), "node crashed");
                }
            }
            let c = &mut self.caches[j];
            c.counts.lost_in_crash += resident.len() as u64;
            c.store.clear();
            record_insides(&mut self.trace, now, c.node, &mut c.store, self.names, true);
        }
        self.trace.step(
            now,
            None,
            format!("The cache node crashes and restarts empty: {lost} entries are gone, and every key misses once more."),
        );
    }
}

pub fn simulate(cfg: &Config, seed: u64) -> Run {
    let stream = cfg.workload.stream(seed);
    let n = stream.keys.len();
    let k = cfg.policies.len();
    let width = bucket_width(expected_end(cfg, n), 200);
    let opts = cfg.options(seed);
    let db = (k + 1) as NodeId;
    let caches: Vec<Cache> = cfg
        .policies
        .iter()
        .enumerate()
        .map(|(j, &policy)| Cache {
            policy,
            node: (j + 1) as NodeId,
            store: Expiring::new(build(policy, cfg.capacity, &opts), cfg.ttl),
            counts: Counts::default(),
            buckets: Buckets::new(width),
            p: (policy == PolicyId::Arc).then(|| Level::new(width)),
        })
        .collect();
    let mut sched = Scheduler::new();
    let lanes = [
        sched.lane(),
        sched.lane(),
        sched.lane(),
        sched.lane(),
        sched.lane(),
    ];
    let (scan, phases) = match &cfg.workload {
        Workload::Generated {
            shape: Shape::Scan,
            accesses,
            scan_len,
            ..
        } => (Some((accesses / 2, accesses / 2 + scan_len)), None),
        Workload::Generated {
            shape: Shape::Shifting,
            accesses,
            phases,
            ..
        } if *phases > 1 => (None, Some((*phases, *accesses))),
        _ => (None, None),
    };
    let milestones = if n >= 1_000 {
        [1, 2, 3].iter().map(|q| (n * q / 4) as u32).collect()
    } else {
        Vec::new()
    };
    let mut w = World {
        cfg,
        keys: &stream.keys,
        names: &stream.names,
        sched,
        lanes,
        trace: Trace::new(EVENT_CAP),
        caches,
        db,
        arrivals: Arrivals::new(cfg, seed),
        pending: Vec::new(),
        told: 0,
        cases: BTreeMap::new(),
        detail: n <= OUTCOME_LIMIT,
        milestones,
        scan,
        phases,
    };
    w.trace.step(
        SimTime::ZERO,
        Some(1),
        narration::eviction_intro(cfg, n, w.hit_latency(), w.miss_latency()),
    );
    for j in 0..w.caches.len() {
        let node = w.caches[j].node;
        record_insides(
            &mut w.trace,
            SimTime::ZERO,
            node,
            &mut w.caches[j].store,
            w.names,
            true,
        );
    }
    let first = w.arrivals.next_time();
    w.sched.at(first, Ev::Send(0));
    for f in &cfg.faults {
        w.sched.at(f.at, Ev::Crash);
    }
    while let Some((_, ev)) = w.sched.pop() {
        w.handle(ev);
    }
    finish(w, n)
}

fn finish(mut w: World, n: usize) -> Run {
    let end = w.sched.now();
    let standings = w.standings();
    w.trace.step(
        end,
        None,
        format!(
            "Done: {} accesses — {standings}.",
            narration::thousands(n as u64)
        ),
    );
    let cfg = w.cfg;
    let mut nodes = vec![node(
        CLIENT,
        "client".into(),
        "client".into(),
        "client",
        0,
        0,
        cfg.workload.describe(),
    )];
    for (j, c) in w.caches.iter().enumerate() {
        nodes.push(node(
            c.node,
            format!("cache-{}", c.policy.id()),
            format!("cache ({})", c.policy.title()),
            "cache",
            1,
            j as u32,
            format!(
                "{} entries{}",
                cfg.capacity,
                cfg.ttl.map_or(String::new(), |t| format!(", TTL {t}"))
            ),
        ));
    }
    nodes.push(node(
        w.db,
        "database".into(),
        "database".into(),
        "database",
        2,
        0,
        format!("answers in {}", cfg.db_time),
    ));
    let names = w.names;
    let per_policy: Vec<serde_json::Value> = w
        .caches
        .iter()
        .map(|c| {
            let total = c.counts.hits + c.counts.misses;
            let p = c.store.policy();
            let lists: serde_json::Map<String, serde_json::Value> = p
                .list_names()
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let v = p.list(i, 50, &|x| names.name(x));
                    (l.to_string(), json!({ "items": v.items, "more": v.more }))
                })
                .collect();
            let mean = if total == 0 {
                0.0
            } else {
                (c.counts.hits as f64 * w.hit_latency().as_micros() as f64
                    + c.counts.misses as f64 * w.miss_latency().as_micros() as f64)
                    / total as f64
            };
            let mut v = json!({
                "policy": c.policy.id(),
                "hits": c.counts.hits,
                "misses": c.counts.misses,
                "evictions": c.counts.evictions,
                "expired": c.counts.expired,
                "hit_ratio": ratio(c.counts.hits, total),
                "db_reads": c.counts.misses,
                "latency_us": { "hit": w.hit_latency().as_micros(), "miss": w.miss_latency().as_micros(), "mean": mean },
                "lists": lists,
            });
            if c.counts.lost_in_crash > 0 || !cfg.faults.is_empty() {
                v["lost_in_crash"] = json!(c.counts.lost_in_crash);
            }
            if w.detail {
                v["outcomes"] = json!(c.counts.outcomes);
                v["evicted_keys"] =
                    json!(c.counts.evicted.iter().map(|&x| names.name(x)).collect::<Vec<_>>());
            }
            v
        })
        .collect();
    let mut result = json!({
        "mode": "eviction",
        "workload": cfg.workload.describe(),
        "accesses": n,
        "distinct_keys": names.count(),
        "capacity": cfg.capacity,
        "policies": per_policy,
        "kernel_events": w.sched.processed(),
    });
    if w.caches.len() == 1 {
        let c = &w.caches[0];
        let total = c.counts.hits + c.counts.misses;
        for (key, value) in [
            ("policy", json!(c.policy.id())),
            ("hits", json!(c.counts.hits)),
            ("misses", json!(c.counts.misses)),
            ("evictions", json!(c.counts.evictions)),
            ("hit_ratio", json!(ratio(c.counts.hits, total))),
        ] {
            result[key] = value;
        }
    }
    let mut series = Vec::new();
    for c in &w.caches {
        series.push(c.buckets.hit_ratio(c.policy.title()));
    }
    for c in &w.caches {
        series.push(c.buckets.hit_ratio_so_far(c.policy.title()));
    }
    for c in &w.caches {
        series.push(c.buckets.db_load(c.policy.title(), end));
    }
    for c in &w.caches {
        series.push(c.buckets.mean_latency(c.policy.title()));
    }
    for c in &mut w.caches {
        if let Some(level) = c.p.take() {
            series.push(level.finish(end, "ARC target p", "p (target size of T1)", "entries"));
        }
    }
    assemble(end, nodes, w.trace, series, result)
}
