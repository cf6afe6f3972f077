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

use super::config::{Config, Fix};
use super::keys::Names;
use super::narration;
use super::policy::build;
use super::policy::ttl::Expiring;
use super::policy::Key;
use super::scenario::{
    assemble, expected_end, node, pct, ratio, record_insides, Arrivals, EVENT_CAP,
};
use super::stats::Buckets;
use crate::kernel::queue::Scheduler;
use crate::kernel::rng::SimRng;
use crate::kernel::run::{NodeId, Run, Series};
use crate::kernel::stats::{bucket_width, GaugeSeries, Percentiles, QuantileSeries};
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::Trace;
use serde_json::json;
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

    fn note_expired(&mut self) {
        let now = self.now();
        for x in self.store.just_expired().to_vec() {
            self.counts.expirations += 1;
            if self.trace.recording() {
                self.trace
                    .remove(now, CACHE, self.names.name(x), "expired (TTL)");
            }
            self.window.entry(x).or_insert(Window {
                open: true,
                since: now,
                ..Window::default()
            });
        }
    }

    fn at_cache(&mut self, i: u32) {
        let now = self.now();
        let key = self.reqs[i as usize].key;
        let hit = self.store.get(key, now);
        self.note_expired();
        self.buckets.access(now, hit);
        record_insides(
            &mut self.trace,
            now,
            CACHE,
            &mut self.store,
            self.names,
            false,
        );
        let k = self.names.name(key);
        if hit {
            self.counts.hits += 1;
            self.hop(
                CACHE,
                CLIENT,
                u64::from(i) + 1,
                || format!("hit {k}"),
                SimDuration::ZERO,
                Ev::AtClient(i, Answer::Hit),
            );
        } else {
            self.counts.misses += 1;
            let w = self.window.entry(key).or_insert(Window {
                open: true,
                since: now,
                ..Window::default()
            });
            w.misses += 1;
            self.hop(
                CACHE,
                CLIENT,
                u64::from(i) + 1,
                || format!("miss {k}"),
                SimDuration::ZERO,
                Ev::AtClient(i, Answer::Miss),
            );
        }
    }

    fn lock_at_cache(&mut self, i: u32) {
        let key = self.reqs[i as usize].key;
        let k = self.names.name(key);
        let answer = if self.locked[key as usize] {
            Answer::Locked
        } else {
            self.locked[key as usize] = true;
            if self.trace.recording() {
                let now = self.now();
                self.trace.entry(
                    now,
                    CACHE,
                    format!("lock:{k}"),
                    format!("held by request {}", i + 1),
                    None,
                );
            }
            Answer::LockGranted
        };
        let label = if answer == Answer::Locked {
            "locked"
        } else {
            "lock granted"
        };
        self.hop(
            CACHE,
            CLIENT,
            u64::from(i) + 1,
            || format!("{label} {k}"),
            SimDuration::ZERO,
            Ev::AtClient(i, answer),
        );
    }

    fn query(&mut self, key: Key, req: Option<u32>, lock: bool) {
        let now = self.now();
        let q = self.queries.len() as u32;
        self.queries.push(Query {
            key,
            req,
            sent: now,
            lock,
        });
        self.counts.db_queries += 1;
        self.buckets.db(now + self.cfg.link);
        if let Some(w) = self.window.get_mut(&key) {
            w.queries += 1;
        }
        let k = self.names.name(key);
        let msg = req.map_or(0, |r| u64::from(r) + 1);
        let label = if req.is_none() {
            "recompute early"
        } else {
            "query"
        };
        self.hop(
            CLIENT,
            DB,
            msg,
            || format!("{label} {k}"),
            SimDuration::ZERO,
            Ev::DbArrive(q),
        );
    }

    fn done(&mut self, i: u32) {
        let now = self.now();
        let lat = now.since(self.reqs[i as usize].sent);
        self.latency.observe(now, lat.as_micros());
        self.buckets.latency(now, lat);
        self.latencies.push(lat.as_micros());
    }

    fn at_client(&mut self, i: u32, answer: Answer) {
        let now = self.now();
        let key = self.reqs[i as usize].key;
        match answer {
            Answer::Hit => {
                self.done(i);
                if self.cfg.fix == Fix::XFetch && !self.loading[key as usize] {
                    if let Some(expiry) = self.store.expires_at(key) {
                        // XFetch: now − δ·β·ln(U) ≥ expiry, with U in (0, 1].
                        let u = 1.0 - self.rng.unit();
                        let delta = self.delta[key as usize].as_micros() as f64;
                        let early = -delta * self.cfg.beta * libm::log(u);
                        if now.as_micros() as f64 + early >= expiry.as_micros() as f64 {
                            self.counts.early_refreshes += 1;
                            self.loading[key as usize] = true;
                            if self.counts.early_refreshes <= 2 {
                                let k = self.names.name(key);
                                self.trace.step(now, Some(CLIENT), format!(
                                    "XFetch: request {} is served from the cache, but its draw says refresh now — {} before {k} would expire (δ = {}, β = {}). It recomputes in the background; nobody misses.",
                                    i + 1,
                                    expiry.since(now),
                                    self.delta[key as usize],
                                    self.cfg.beta
                                ));
                            }
                            self.query(key, None, false);
                        }
                    }
                }
            }
            Answer::Miss => match self.cfg.fix {
                Fix::SingleFlight if self.loading[key as usize] => {
                    self.counts.coalesced += 1;
                    self.waiters.entry(key).or_default().push(i);
                    if let Some(w) = self.window.get_mut(&key) {
                        w.waits += 1;
                    }
                }
                Fix::SingleFlight => {
                    self.loading[key as usize] = true;
                    self.query(key, Some(i), false);
                }
                Fix::Lock => {
                    let k = self.names.name(key);
                    self.hop(
                        CLIENT,
                        CACHE,
                        u64::from(i) + 1,
                        || format!("lock {k}"),
                        self.cfg.cache_time,
                        Ev::LockAtCache(i),
                    );
                }
                _ => self.query(key, Some(i), false),
            },
            Answer::LockGranted => self.query(key, Some(i), true),
            Answer::Locked => {
                self.counts.lock_retries += 1;
                self.reqs[i as usize].retries += 1;
                if let Some(w) = self.window.get_mut(&key) {
                    w.retries += 1;
                }
                self.sched.at(now + self.cfg.lock_retry, Ev::Retry(i));
            }
        }
    }

    fn db_back(&mut self, q: u32) {
        let now = self.now();
        let Query {
            key,
            req,
            sent,
            lock,
        } = self.queries[q as usize];
        self.delta[key as usize] = now.since(sent);
        if let Some(i) = req {
            self.done(i);
        }
        for w in self.waiters.remove(&key).unwrap_or_default() {
            self.done(w);
        }
        let k = self.names.name(key);
        let label = if lock { "set + unlock" } else { "set" };
        self.hop(
            CLIENT,
            CACHE,
            req.map_or(0, |r| u64::from(r) + 1),
            || format!("{label} {k}"),
            self.cfg.cache_time,
            Ev::Set(q, lock),
        );
    }

    fn set(&mut self, q: u32, unlock: bool) {
        let now = self.now();
        let key = self.queries[q as usize].key;
        let k = self.names.name(key);
        self.loading[key as usize] = false;
        if unlock {
            self.locked[key as usize] = false;
            if self.trace.recording() {
                self.trace
                    .remove(now, CACHE, format!("lock:{k}"), "released");
            }
        }
        let out = self.store.put(key, now);
        self.note_expired();
        if let Some(v) = out.evicted {
            if self.trace.recording() {
                self.trace.remove(now, CACHE, self.names.name(v), "evicted");
            }
        }
        self.version[key as usize] += 1;
        if self.trace.recording() && self.store.contains(key) {
            let expires = self.store.expires_at(key);
            let value = format!(
                "v{} (took {})",
                self.version[key as usize], self.delta[key as usize]
            );
            self.trace.entry(now, CACHE, k.clone(), value, expires);
        }
        record_insides(
            &mut self.trace,
            now,
            CACHE,
            &mut self.store,
            self.names,
            false,
        );
        let w = self.window.remove(&key).unwrap_or_default();
        if w.open && w.misses > 0 && self.windows_told < NARRATED_WINDOWS {
            self.windows_told += 1;
            let text = match self.cfg.fix {
                Fix::SingleFlight => format!(
                    "{k} is back in the cache at {now}, {} after it went missing: {} requests missed, but single flight ran {} database {} and the other {} waited for it.",
                    now.since(w.since), w.misses, w.queries, if w.queries == 1 { "query" } else { "queries" }, w.waits
                ),
                Fix::Lock => format!(
                    "{k} is back in the cache at {now}, {} after it went missing: {} requests missed; the lock let {} through to the database and the rest retried {} times.",
                    now.since(w.since), w.misses, w.queries, w.retries
                ),
                _ => format!(
                    "Stampede: {k} expired at {} and was missing for {}; {} requests missed and each queried the database — {} queries for one value, against a database that runs {} at a time (queue so far up to {}).",
                    w.since, now.since(w.since), w.misses, w.queries, self.cfg.db_slots, self.counts.peak_db
                ),
            };
            self.trace.step(now, Some(CACHE), text);
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
    finish(w, n)
}

fn finish(mut w: World, n: usize) -> Run {
    let end = w.sched.now();
    let cfg = w.cfg;
    let c = &w.counts;
    let per_expiry = if c.expirations == 0 {
        0.0
    } else {
        c.db_queries as f64 / c.expirations as f64
    };
    let per = if c.expirations == 0 {
        "the key never expired".to_string()
    } else {
        format!("{per_expiry:.1} per expiry")
    };
    w.trace.step(end, Some(DB), format!(
        "Done: {} requests, {} hits; the database ran {} queries ({per}), at most {} at once or waiting.",
        narration::thousands(c.requests),
        pct(c.hits, c.hits + c.misses),
        narration::thousands(c.db_queries),
        c.peak_db
    ));
    let max = w.latencies.iter().copied().max().unwrap_or(0);
    let lat = Percentiles::of(&mut w.latencies);
    let c = &w.counts;
    let result = json!({
        "mode": "stampede",
        "fix": match cfg.fix { Fix::None => "none", Fix::SingleFlight => "single_flight", Fix::XFetch => "xfetch", Fix::Lock => "lock" },
        "policy": cfg.policies[0].id(),
        "accesses": n,
        "requests": c.requests,
        "hits": c.hits,
        "misses": c.misses,
        "hit_ratio": ratio(c.hits, c.hits + c.misses),
        "expirations": c.expirations,
        "db_queries": c.db_queries,
        "db_queries_per_expiry": per_expiry,
        "peak_db_load": c.peak_db,
        "coalesced": c.coalesced,
        "lock_retries": c.lock_retries,
        "early_refreshes": c.early_refreshes,
        "latency_us": { "p50": lat.p50, "p95": lat.p95, "p99": lat.p99, "mean": lat.mean, "max": max },
        "kernel_events": w.sched.processed(),
    });
    let nodes = vec![
        node(
            CLIENT,
            "clients".into(),
            "app servers".into(),
            "client",
            0,
            0,
            narration::pace(cfg),
        ),
        node(
            CACHE,
            "cache".into(),
            "cache".into(),
            "cache",
            1,
            0,
            format!(
                "TTL {}",
                cfg.ttl.map_or("none".to_string(), |t| t.to_string())
            ),
        ),
        node(
            DB,
            "database".into(),
            "database".into(),
            "database",
            2,
            0,
            format!("{} per query, {} at a time", cfg.db_time, cfg.db_slots),
        ),
    ];
    let name = match cfg.fix {
        Fix::None => "no fix",
        Fix::SingleFlight => "single flight",
        Fix::XFetch => "XFetch",
        Fix::Lock => "lock",
    };
    let mut series: Vec<Series> = vec![
        w.buckets.db_load(name, end),
        w.db_level
            .finish(end, "Database queries running or queued", name, "queries"),
        w.buckets.hit_ratio(name),
    ];
    series.extend(w.latency.finish("Latency percentiles", "ms"));
    assemble(end, nodes, w.trace, series, result)
}
