//! Mode `eviction`: one client, one cache node per policy, one database.
//!
//! Every access goes from the client to each cache node (with `policy=all`, six nodes see the
//! identical stream); a hit answers at once, a miss asks the database and then answers. The
//! policy decides at the moment the request reaches the node, so the hit/miss sequence is
//! exactly the pure policy's on the access sequence (the unit tests' hand-worked answers hold for
//! `keys=` runs). Hops and table rows are recorded while the log has room; the counters and
//! series always cover the whole run.

mod narrate;
mod report;

use crate::cache::config::Config;
use crate::cache::keys::Names;
use crate::cache::narration;
use crate::cache::policy::ttl::Expiring;
use crate::cache::policy::{build, Key, PolicyId};
use crate::cache::scenario::{chart_points, expected_end, record_insides, Arrivals, EVENT_CAP};
use crate::cache::stats::{Buckets, Level};
use crate::cache::workload::{Shape, Workload};
use crate::kernel::progress;
use crate::kernel::queue::{Lane, Scheduler};
use crate::kernel::run::{NodeId, Run};
use crate::kernel::stats::bucket_width;
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::Trace;
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
    let width = bucket_width(expected_end(cfg, n), chart_points(n));
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
    let total = w.keys.len() as u64;
    while let Some((_, ev)) = w.sched.pop() {
        if let Ev::Send(i) = ev {
            if u64::from(i).is_multiple_of(progress::EVERY) {
                progress::report(u64::from(i), total);
            }
        }
        w.handle(ev);
    }
    report::finish(w, n)
}
