//! Mode `write`: reads and writes through one cache node in front of a database, under one of
//! five write policies, with versions that make staleness and loss countable.
//!
//! Every key starts at version 0 in the database; each write creates the key's next version. A
//! read is **stale** when the version it returns is older than the newest version whose write had
//! already been acknowledged to a client when the answer left the cache or the database.
//!
//! - `cache_aside` (lazy loading): a read miss comes back to the client, which reads the
//!   database and then `set`s the value into the cache; a write goes to the database and then,
//!   with `invalidate=on`, deletes the cached copy. A read racing a write can still `set` an old
//!   value after the delete — the classic race (Nishtala et al., "Scaling Memcache at Facebook",
//!   NSDI 2013, §3.2.1), counted as `stale_sets`.
//! - `read_through`: the cache loads misses itself; writes as cache-aside.
//! - `write_through`: a write goes to the cache, which writes the database and, once it has
//!   answered, stores the new version and acknowledges.
//! - `write_back` (write-behind): the cache stores the write as *dirty* and acknowledges at once;
//!   a dirty entry is written to the database `flush_ms` after its first unsaved write (later
//!   writes coalesce), or when it is evicted. A crash loses every dirty entry: `lost_writes`.
//! - `write_around`: writes go straight to the database and never touch the cache; a cached copy
//!   stays until its TTL.
//!
//! The cache node answers after `cache_ms`, the database after `db_ms`; every hop takes `link_ms`.

mod node;
mod paths;
mod report;

use crate::cache::config::{Config, WritePolicy};
use crate::cache::keys::Names;
use crate::cache::narration;
use crate::cache::policy::build;
use crate::cache::policy::ttl::Expiring;
use crate::cache::policy::Key;
use crate::cache::scenario::{chart_points, expected_end, record_insides, Arrivals, EVENT_CAP};
use crate::cache::stats::{Buckets, Level};
use crate::kernel::queue::Scheduler;
use crate::kernel::rng::SimRng;
use crate::kernel::run::{NodeId, Run};
use crate::kernel::stats::{bucket_width, CountSeries};
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::Trace;

const CLIENT: NodeId = 0;
const CACHE: NodeId = 1;
const DB: NodeId = 2;
const STREAM_OPS: u64 = 32;

#[derive(Clone, Copy, Debug)]
enum Ev {
    Send(u32),
    /// Request `i` reaches the cache.
    AtCache(u32),
    /// A read of request `i` reaches the database (`by_cache`: a read-through load).
    DbRead(u32, bool),
    /// A write of `ver` of request `i` reaches the database (`by_cache`: write-through).
    DbWrite(u32, bool),
    /// The database's answer to a load reaches the cache.
    Loaded(u32, u32),
    /// An answer reaches the client: `ver` read (or written), from the cache or not.
    AtClient(u32, u32, bool),
    /// The database acknowledged request `i`'s write to the cache (write-through).
    WriteDone(u32),
    /// A cache-aside `set` of `ver` reaches the cache.
    Set(Key, u32),
    Invalidate(Key),
    /// Write-back: time to flush `key` (if the node has not restarted since `epoch`).
    Flush(Key, u32),
    /// Write-back: a flush of `ver` reaches the database.
    FlushAtDb(Key, u32),
    /// Write-back: the database acknowledged a flush of `ver`.
    Flushed(Key, u32, u32),
    Crash,
}

struct Req {
    key: Key,
    write: bool,
    ver: u32,
    sent: SimTime,
}

#[derive(Default)]
struct Counts {
    reads: u64,
    writes: u64,
    hits: u64,
    misses: u64,
    stale_reads: u64,
    stale_sets: u64,
    db_reads: u64,
    db_writes: u64,
    invalidations: u64,
    evictions: u64,
    expired: u64,
    lost_writes: u64,
    lost_entries: u64,
    flushes: u64,
}

struct World<'a> {
    cfg: &'a Config,
    keys: &'a [Key],
    names: &'a Names,
    sched: Scheduler<Ev>,
    trace: Trace,
    store: Expiring,
    /// Per key: the version the cache holds (meaningful while resident), dirty, a flush queued.
    cached: Vec<u32>,
    dirty: Vec<bool>,
    flush_queued: Vec<bool>,
    dirty_count: u64,
    db_ver: Vec<u32>,
    next_ver: Vec<u32>,
    acked: Vec<u32>,
    epoch: u32,
    reqs: Vec<Req>,
    ops: SimRng,
    arrivals: Arrivals,
    counts: Counts,
    buckets: Buckets,
    stale: CountSeries,
    dirty_level: Level,
    read_lat: Vec<u64>,
    write_lat: Vec<u64>,
    told: u32,
}

/// Moments narrated the first time they happen.
#[derive(Clone, Copy)]
enum First {
    Hit = 0,
    Miss,
    Write,
    Stale,
    StaleSet,
    Invalidate,
    Flush,
    Evict,
    Expire,
}

impl World<'_> {
    fn now(&self) -> SimTime {
        self.sched.now()
    }
    fn name(&self, k: Key) -> String {
        self.names.name(k)
    }
    fn first(&mut self, what: First) -> bool {
        let bit = 1u32 << what as u32;
        let new = self.told & bit == 0;
        self.told |= bit;
        new
    }
    fn say(&mut self, node: NodeId, text: String) {
        let now = self.now();
        self.trace.step(now, Some(node), text);
    }

    /// Records a hop and schedules `ev` when it arrives (after `extra` work at the receiver).
    fn hop(
        &mut self,
        from: NodeId,
        to: NodeId,
        i: u32,
        label: impl FnOnce() -> String,
        extra: SimDuration,
        ev: Ev,
    ) {
        let now = self.now();
        let arrive = now + self.cfg.link;
        if self.trace.recording() {
            self.trace
                .hop(now, arrive, from, to, u64::from(i) + 1, label());
        }
        self.sched.at(arrive + extra, ev);
    }

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Send(i) => self.send(i),
            Ev::AtCache(i) => self.at_cache(i),
            Ev::DbRead(i, by_cache) => self.db_read(i, by_cache),
            Ev::DbWrite(i, by_cache) => self.db_write(i, by_cache),
            Ev::Loaded(i, ver) => self.loaded(i, ver),
            Ev::AtClient(i, ver, from_cache) => self.at_client(i, ver, from_cache),
            Ev::WriteDone(i) => self.write_done(i),
            Ev::Set(key, ver) => self.set(key, ver),
            Ev::Invalidate(key) => self.invalidate(key),
            Ev::Flush(key, epoch) => self.flush(key, epoch),
            Ev::FlushAtDb(key, ver) => {
                self.apply_db(key, ver);
                let epoch = self.epoch;
                let k = self.name(key);
                self.hop(
                    DB,
                    CACHE,
                    0,
                    || format!("saved {k} v{ver}"),
                    SimDuration::ZERO,
                    Ev::Flushed(key, ver, epoch),
                );
            }
            Ev::Flushed(key, ver, epoch) => {
                let k = key as usize;
                if epoch == self.epoch
                    && self.dirty[k]
                    && self.cached[k] == ver
                    && self.store.contains(key)
                {
                    self.set_dirty(key, false);
                    self.record_entry(key);
                }
            }
            Ev::Crash => self.crash(),
        }
    }

    fn send(&mut self, i: u32) {
        let now = self.now();
        let key = self.keys[i as usize];
        let write = self.ops.unit() < self.cfg.write_ratio;
        let ver = if write {
            let v = &mut self.next_ver[key as usize];
            *v += 1;
            *v
        } else {
            0
        };
        self.reqs.push(Req {
            key,
            write,
            ver,
            sent: now,
        });
        let k = self.name(key);
        let policy = self.cfg.write_policy;
        if write {
            self.counts.writes += 1;
            match policy {
                WritePolicy::WriteThrough | WritePolicy::WriteBack => self.hop(
                    CLIENT,
                    CACHE,
                    i,
                    || format!("write {k} v{ver}"),
                    self.cfg.cache_time,
                    Ev::AtCache(i),
                ),
                _ => self.hop(
                    CLIENT,
                    DB,
                    i,
                    || format!("write {k} v{ver}"),
                    self.cfg.db_time,
                    Ev::DbWrite(i, false),
                ),
            }
        } else {
            self.counts.reads += 1;
            self.hop(
                CLIENT,
                CACHE,
                i,
                || format!("get {k}"),
                self.cfg.cache_time,
                Ev::AtCache(i),
            );
        }
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
    let width = bucket_width(expected_end(cfg, n), chart_points(n));
    let policy = cfg.policies[0];
    let mut w = World {
        cfg,
        keys: &stream.keys,
        names: &stream.names,
        sched: Scheduler::new(),
        trace: Trace::new(EVENT_CAP),
        store: Expiring::new(build(policy, cfg.capacity, &cfg.options(seed)), cfg.ttl),
        cached: vec![0; universe],
        dirty: vec![false; universe],
        flush_queued: vec![false; universe],
        dirty_count: 0,
        db_ver: vec![0; universe],
        next_ver: vec![0; universe],
        acked: vec![0; universe],
        epoch: 0,
        reqs: Vec::with_capacity(n),
        ops: SimRng::new(seed, STREAM_OPS),
        arrivals: Arrivals::new(cfg, seed),
        counts: Counts::default(),
        buckets: Buckets::new(width),
        stale: CountSeries::new(width),
        dirty_level: Level::new(width),
        read_lat: Vec::new(),
        write_lat: Vec::new(),
        told: 0,
    };
    w.trace.step(
        SimTime::ZERO,
        Some(CACHE),
        format!(
            "{}: {} accesses ({:.0}% writes) following {}, {}. The cache ({}, {} entries{}) starts empty; the database holds v0 of every key.",
            cfg.write_policy.title(),
            narration::thousands(n as u64),
            cfg.write_ratio * 100.0,
            cfg.workload.describe(),
            narration::pace(cfg),
            policy.title(),
            cfg.capacity,
            cfg.ttl.map_or(String::new(), |t| format!(", TTL {t}")),
        ),
    );
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
    for f in &cfg.faults {
        w.sched.at(f.at, Ev::Crash);
    }
    while let Some((_, ev)) = w.sched.pop() {
        w.handle(ev);
    }
    report::finish(w, n)
}
