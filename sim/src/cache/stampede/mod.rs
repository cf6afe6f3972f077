//! Mode `stampede`: hot keys expire under load, and every request that misses recomputes them
//! at once (a *cache stampede* or dog-pile), unless a fix holds the crowd back.
//!
//! The setting is cache-aside (memcached-style): clients read the cache, and on a miss query
//! the database and `set` the result with the TTL. The database runs `db_slots` queries at a time
//! and queues the rest, so a stampede shows as a spike in queries, queue and latency. The cache
//! starts *warm* (every key loaded at t = 0), so all keys first expire together at the TTL.
//!
//! Fixes (`fix=`):
//! - `single_flight` — request coalescing (Go's `singleflight`, Caffeine's loading cache): while a
//!   key is being recomputed, other misses for it wait for that one answer.
//! - `xfetch` — probabilistic early expiration, Vattani, Chierichetti & Lowenstein, "Optimal
//!   Probabilistic Cache Stampede Prevention" (VLDB 2015): each hit recomputes early when
//!   `now − δ·β·ln(U) ≥ expiry`, U uniform in (0, 1], δ the time the last recomputation took,
//!   β = `beta`. Early refreshes run in the background while the hit is served; the paper shows
//!   β = 1 is optimal for exponential-ish arrivals. A true miss (a cold key) is not prevented.
//! - `lock` — the first miss takes a lock in the cache (`add lock:<key>`); the others are told
//!   "locked" and retry the read after `lock_retry_ms`.

mod cache_node;
mod client;
mod report;

use crate::cache::config::{Config, Fix};
use crate::cache::keys::Names;
use crate::cache::narration;
use crate::cache::policy::build;
use crate::cache::policy::ttl::Expiring;
use crate::cache::policy::Key;
use crate::cache::scenario::{expected_end, record_insides, Arrivals, EVENT_CAP};
use crate::cache::stats::Buckets;
use crate::kernel::queue::Scheduler;
use crate::kernel::rng::SimRng;
use crate::kernel::run::{NodeId, Run};
use crate::kernel::stats::{bucket_width, GaugeSeries, QuantileSeries};
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::Trace;
use std::collections::{BTreeMap, VecDeque};

const CLIENT: NodeId = 0;
const CACHE: NodeId = 1;
const DB: NodeId = 2;
const STREAM_XFETCH: u64 = 35;
/// Expiry windows narrated in full.
const NARRATED_WINDOWS: u32 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    Hit,
    Miss,
    Locked,
    LockGranted,
}

#[derive(Clone, Copy, Debug)]
enum Ev {
    Send(u32),
    AtCache(u32),
    LockAtCache(u32),
    AtClient(u32, Answer),
    Retry(u32),
    DbArrive(u32),
    DbDone(u32),
    DbBack(u32),
    /// A `set` of `key` (loaded by query `q`) reaches the cache; `unlock` also frees the lock.
    Set(u32, bool),
}

struct Req {
    key: Key,
    sent: SimTime,
    retries: u32,
}

struct Query {
    key: Key,
    /// The request that ran it (none for an XFetch background refresh).
    req: Option<u32>,
    sent: SimTime,
    lock: bool,
}

/// A key's time without a cached value, from its expiry to the next `set`.
#[derive(Clone, Copy, Default)]
struct Window {
    open: bool,
    since: SimTime,
    misses: u64,
    queries: u64,
    waits: u64,
    retries: u64,
}

#[derive(Default)]
struct Counts {
    requests: u64,
    hits: u64,
    misses: u64,
    db_queries: u64,
    coalesced: u64,
    lock_retries: u64,
    early_refreshes: u64,
    expirations: u64,
    peak_db: u64,
}

struct World<'a> {
    cfg: &'a Config,
    keys: &'a [Key],
    names: &'a Names,
    sched: Scheduler<Ev>,
    trace: Trace,
    store: Expiring,
    arrivals: Arrivals,
    rng: SimRng,
    reqs: Vec<Req>,
    queries: Vec<Query>,
    /// Per key: the time the cached value took to compute, a load in flight (single flight),
    /// requests waiting for it, the lock, its expiry window, loads so far.
    delta: Vec<SimDuration>,
    loading: Vec<bool>,
    waiters: BTreeMap<Key, Vec<u32>>,
    locked: Vec<bool>,
    /// Open expiry windows only (a key with a value has none).
    window: BTreeMap<Key, Window>,
    version: Vec<u32>,
    db_busy: u32,
    db_queue: VecDeque<u32>,
    counts: Counts,
    buckets: Buckets,
    db_level: GaugeSeries,
    latency: QuantileSeries,
    latencies: Vec<u64>,
    windows_told: u32,
}

impl World<'_> {
    fn now(&self) -> SimTime {
        self.sched.now()
    }

    fn hop(
        &mut self,
        from: NodeId,
        to: NodeId,
        msg: u64,
        label: impl FnOnce() -> String,
        extra: SimDuration,
        ev: Ev,
    ) {
        let now = self.now();
        let arrive = now + self.cfg.link;
        if self.trace.recording() {
            self.trace.hop(now, arrive, from, to, msg, label());
        }
        self.sched.at(arrive + extra, ev);
    }

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Send(i) => self.send(i),
            Ev::AtCache(i) => self.at_cache(i),
            Ev::LockAtCache(i) => self.lock_at_cache(i),
            Ev::AtClient(i, a) => self.at_client(i, a),
            Ev::Retry(i) => {
                let k = self.names.name(self.reqs[i as usize].key);
                self.hop(
                    CLIENT,
                    CACHE,
                    u64::from(i) + 1,
                    || format!("get {k} (retry)"),
                    self.cfg.cache_time,
                    Ev::AtCache(i),
                );
            }
            Ev::DbArrive(q) => {
                if self.db_busy < self.cfg.db_slots {
                    self.start_query(q);
                } else {
                    self.db_queue.push_back(q);
                }
                self.db_gauge();
            }
            Ev::DbDone(q) => {
                self.db_busy -= 1;
                if let Some(next) = self.db_queue.pop_front() {
                    self.start_query(next);
                }
                self.db_gauge();
                let key = self.queries[q as usize].key;
                let k = self.names.name(key);
                let msg = self.queries[q as usize].req.map_or(0, |r| u64::from(r) + 1);
                self.hop(
                    DB,
                    CLIENT,
                    msg,
                    || format!("{k} computed"),
                    SimDuration::ZERO,
                    Ev::DbBack(q),
                );
            }
            Ev::DbBack(q) => self.db_back(q),
            Ev::Set(q, unlock) => self.set(q, unlock),
        }
    }

    fn db_gauge(&mut self) {
        let now = self.now();
        let load = u64::from(self.db_busy) + self.db_queue.len() as u64;
        self.counts.peak_db = self.counts.peak_db.max(load);
        self.db_level.set(now, load as f64);
        self.trace
            .gauge(now, DB, "queries running", f64::from(self.db_busy));
        self.trace
            .gauge(now, DB, "queries queued", self.db_queue.len() as f64);
    }

    fn start_query(&mut self, q: u32) {
        self.db_busy += 1;
        self.sched.after(self.cfg.db_time, Ev::DbDone(q));
    }

    fn send(&mut self, i: u32) {
        let now = self.now();
        let key = self.keys[i as usize];
        self.reqs.push(Req {
            key,
            sent: now,
            retries: 0,
        });
        self.counts.requests += 1;
        let k = self.names.name(key);
        self.hop(
            CLIENT,
            CACHE,
            u64::from(i) + 1,
            || format!("get {k}"),
            self.cfg.cache_time,
            Ev::AtCache(i),
        );
        if (i as usize) + 1 < self.keys.len() {
            let next = self.arrivals.next_time();
            self.sched.at(next, Ev::Send(i + 1));
        }
    }
}

pub fn simulate(cfg: &Config, seed: u64) -> Run {
    let stream = cfg.workload.stream(seed);
    let n = stream.keys.len();
    let universe = stream.names.count() as usize;
    let width = bucket_width(expected_end(cfg, n), 250);
    let mut store = Expiring::new(
        build(cfg.policies[0], cfg.capacity, &cfg.options(seed)),
        cfg.ttl,
    );
    // Warm start: every key (up to the capacity) loaded at t = 0, as if computed in db_ms.
    let warm = universe.min(cfg.capacity);
    for k in 0..warm as Key {
        store.put(k, SimTime::ZERO);
    }
    let mut w = World {
        cfg,
        keys: &stream.keys,
        names: &stream.names,
        sched: Scheduler::new(),
        trace: Trace::new(EVENT_CAP),
        store,
        arrivals: Arrivals::new(cfg, seed),
        rng: SimRng::new(seed, STREAM_XFETCH),
        reqs: Vec::with_capacity(n),
        queries: Vec::new(),
        delta: vec![cfg.db_time; universe],
        loading: vec![false; universe],
        waiters: BTreeMap::new(),
        locked: vec![false; universe],
        window: BTreeMap::new(),
        version: vec![1; universe],
        db_busy: 0,
        db_queue: VecDeque::new(),
        counts: Counts::default(),
        buckets: Buckets::new(width),
        db_level: GaugeSeries::new(width),
        latency: QuantileSeries::new(width, &[50.0, 99.0], 1e-3),
        latencies: Vec::with_capacity(n),
        windows_told: 0,
    };
    let fix = match cfg.fix {
        Fix::None => "no fix".to_string(),
        Fix::SingleFlight => "single flight (request coalescing)".to_string(),
        Fix::XFetch => format!("XFetch early expiration (β = {})", cfg.beta),
        Fix::Lock => format!("a lock (others retry every {})", cfg.lock_retry),
    };
    w.trace.step(
        SimTime::ZERO,
        Some(CACHE),
        format!(
            "A warm cache holds {} ({}). {} requests arrive, {}; entries live {}; the database takes {} per query and runs {} at a time. Defence: {fix}.",
            if warm == 1 { stream.names.name(0) } else { format!("{warm} keys") },
            cfg.workload.describe(),
            narration::thousands(n as u64),
            narration::pace(cfg),
            cfg.ttl.map_or("forever".to_string(), |t| t.to_string()),
            cfg.db_time,
            cfg.db_slots,
        ),
    );
    if w.trace.recording() {
        for k in 0..warm as Key {
            let expires = w.store.expires_at(k);
            w.trace
                .entry(SimTime::ZERO, CACHE, w.names.name(k), "v1", expires);
        }
    }
    record_insides(
        &mut w.trace,
        SimTime::ZERO,
        CACHE,
        &mut w.store,
        w.names,
        true,
    );
    let first = w.arrivals.next_time();
    w.sched.at(first, Ev::Send(0));
    while let Some((_, ev)) = w.sched.pop() {
        w.handle(ev);
    }
    report::finish(w, n)
}
