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

use super::config::{Config, WritePolicy};
use super::keys::Names;
use super::narration;
use super::policy::build;
use super::policy::ttl::Expiring;
use super::policy::Key;
use super::scenario::{
    assemble, expected_end, node, pct, ratio, record_insides, Arrivals, EVENT_CAP,
};
use super::stats::{Buckets, Level};
use crate::kernel::queue::Scheduler;
use crate::kernel::rng::SimRng;
use crate::kernel::run::{NodeId, Run, Series};
use crate::kernel::stats::{bucket_width, CountSeries, Percentiles};
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::Trace;
use serde_json::json;

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

    fn note_expired(&mut self) {
        let now = self.now();
        let expired = self.store.just_expired().to_vec();
        for x in expired {
            self.counts.expired += 1;
            if self.dirty[x as usize] {
                // An expiring dirty entry is written back first, as on eviction.
                self.write_back_now(x);
            }
            if self.trace.recording() {
                self.trace.remove(now, CACHE, self.name(x), "expired (TTL)");
            }
            if self.first(First::Expire) {
                let t = self.cfg.ttl.unwrap_or_default();
                self.say(CACHE, format!("{} expires: it was written {t} ago, so the next read of it misses and loads a fresh copy.", self.name(x)));
            }
        }
    }

    /// Stores `ver` of `key` in the cache now; handles evictions.
    fn store_value(&mut self, key: Key, ver: u32, dirty: bool) {
        let now = self.now();
        let out = self.store.put(key, now);
        self.note_expired();
        if let Some(v) = out.evicted {
            self.counts.evictions += 1;
            if self.dirty[v as usize] {
                self.write_back_now(v);
            }
            if self.trace.recording() {
                self.trace.remove(now, CACHE, self.name(v), "evicted");
            }
            if self.first(First::Evict) {
                let why = self
                    .store
                    .policy()
                    .explain(key, out, &|x| self.names.name(x));
                self.say(
                    CACHE,
                    format!("The cache is full: storing {} — {why}.", self.name(key)),
                );
            }
        }
        if self.store.contains(key) {
            self.cached[key as usize] = ver;
            self.set_dirty(key, dirty);
            self.record_entry(key);
        }
        record_insides(
            &mut self.trace,
            now,
            CACHE,
            &mut self.store,
            self.names,
            false,
        );
    }

    fn set_dirty(&mut self, key: Key, dirty: bool) {
        let k = key as usize;
        if self.dirty[k] != dirty {
            self.dirty[k] = dirty;
            if dirty {
                self.dirty_count += 1;
            } else {
                self.dirty_count -= 1;
            }
            let now = self.now();
            self.dirty_level.set(now, self.dirty_count as f64);
            self.trace
                .gauge(now, CACHE, "dirty entries", self.dirty_count as f64);
        }
    }

    fn record_entry(&mut self, key: Key) {
        if self.trace.recording() {
            let now = self.now();
            let k = key as usize;
            let value = if self.dirty[k] {
                format!("v{} (dirty)", self.cached[k])
            } else {
                format!("v{}", self.cached[k])
            };
            let expires = self.store.expires_at(key);
            self.trace.entry(now, CACHE, self.name(key), value, expires);
        }
    }

    fn at_cache(&mut self, i: u32) {
        let now = self.now();
        let Req {
            key, write, ver, ..
        } = self.reqs[i as usize];
        let k = self.name(key);
        if write {
            match self.cfg.write_policy {
                WritePolicy::WriteBack => {
                    self.store_value(key, ver, true);
                    let epoch = self.epoch;
                    if !self.flush_queued[key as usize] {
                        self.flush_queued[key as usize] = true;
                        self.sched.at(now + self.cfg.flush, Ev::Flush(key, epoch));
                    }
                    if self.first(First::Write) {
                        self.say(CACHE, format!("write {k} v{ver}: write-back stores it in the cache as dirty and acknowledges at once; the database gets it within {}.", self.cfg.flush));
                    }
                    self.hop(
                        CACHE,
                        CLIENT,
                        i,
                        || format!("ok v{ver}"),
                        SimDuration::ZERO,
                        Ev::AtClient(i, ver, true),
                    );
                }
                _ => {
                    // Write-through: the database first, then the cache, then the client.
                    self.hop(
                        CACHE,
                        DB,
                        i,
                        || format!("write {k} v{ver}"),
                        self.cfg.db_time,
                        Ev::DbWrite(i, true),
                    );
                }
            }
            return;
        }
        let hit = self.store.get(key, now);
        self.note_expired();
        self.buckets.access(now, hit);
        if hit {
            self.counts.hits += 1;
            let v = self.cached[key as usize];
            self.check_stale(i, key, v, CACHE);
            if self.first(First::Hit) {
                self.say(
                    CACHE,
                    format!(
                        "get {k} — hit: the cache holds v{v} and answers without the database."
                    ),
                );
            }
            record_insides(
                &mut self.trace,
                now,
                CACHE,
                &mut self.store,
                self.names,
                false,
            );
            self.hop(
                CACHE,
                CLIENT,
                i,
                || format!("{k} v{v}"),
                SimDuration::ZERO,
                Ev::AtClient(i, v, true),
            );
            return;
        }
        self.counts.misses += 1;
        if self.cfg.write_policy.cache_loads() {
            if self.first(First::Miss) {
                self.say(
                    CACHE,
                    format!(
                        "get {k} — miss: with {} the cache itself loads it from the database.",
                        self.cfg.write_policy.title()
                    ),
                );
            }
            self.hop(
                CACHE,
                DB,
                i,
                || format!("read {k}"),
                self.cfg.db_time,
                Ev::DbRead(i, true),
            );
        } else {
            if self.first(First::Miss) {
                self.say(CACHE, format!("get {k} — miss: with cache-aside the client must read the database and put the value in the cache itself."));
            }
            self.hop(
                CACHE,
                CLIENT,
                i,
                || format!("miss {k}"),
                SimDuration::ZERO,
                Ev::AtClient(i, u32::MAX, true),
            );
        }
    }

    fn check_stale(&mut self, i: u32, key: Key, ver: u32, at: NodeId) {
        let newest = self.acked[key as usize];
        if ver < newest {
            self.counts.stale_reads += 1;
            let now = self.now();
            self.stale.add(now);
            if self.first(First::Stale) {
                let where_ = if at == CACHE {
                    "the cache"
                } else {
                    "the database"
                };
                self.say(at, format!(
                    "Stale read: request {} gets {} v{ver} from {where_}, but v{newest} was already acknowledged to a writer.",
                    i + 1,
                    self.name(key)
                ));
            }
        }
    }

    fn db_read(&mut self, i: u32, by_cache: bool) {
        let key = self.reqs[i as usize].key;
        let v = self.db_ver[key as usize];
        let now = self.now();
        self.counts.db_reads += 1;
        self.buckets.db(now);
        let k = self.name(key);
        if by_cache {
            self.hop(
                DB,
                CACHE,
                i,
                || format!("{k} v{v}"),
                SimDuration::ZERO,
                Ev::Loaded(i, v),
            );
        } else {
            self.check_stale(i, key, v, DB);
            self.hop(
                DB,
                CLIENT,
                i,
                || format!("{k} v{v}"),
                SimDuration::ZERO,
                Ev::AtClient(i, v, false),
            );
        }
    }

    fn apply_db(&mut self, key: Key, ver: u32) {
        let now = self.now();
        self.counts.db_writes += 1;
        self.buckets.db(now);
        let d = &mut self.db_ver[key as usize];
        *d = (*d).max(ver);
    }

    fn db_write(&mut self, i: u32, by_cache: bool) {
        let Req { key, ver, .. } = self.reqs[i as usize];
        self.apply_db(key, ver);
        if by_cache {
            self.hop(
                DB,
                CACHE,
                i,
                || format!("ok v{ver}"),
                SimDuration::ZERO,
                Ev::WriteDone(i),
            );
        } else {
            self.hop(
                DB,
                CLIENT,
                i,
                || format!("ok v{ver}"),
                SimDuration::ZERO,
                Ev::AtClient(i, ver, false),
            );
        }
    }

    fn loaded(&mut self, i: u32, ver: u32) {
        let key = self.reqs[i as usize].key;
        // A newer version may have been written into the cache meanwhile (write-through/back).
        let keep_newer = self.store.contains(key) && self.cached[key as usize] > ver;
        let v = if keep_newer {
            self.cached[key as usize]
        } else {
            ver
        };
        if !keep_newer {
            if ver < self.acked[key as usize] {
                self.counts.stale_sets += 1;
            }
            self.store_value(key, ver, false);
        }
        self.check_stale(i, key, v, CACHE);
        let k = self.name(key);
        self.hop(
            CACHE,
            CLIENT,
            i,
            || format!("{k} v{v}"),
            SimDuration::ZERO,
            Ev::AtClient(i, v, true),
        );
    }

    fn write_done(&mut self, i: u32) {
        let Req { key, ver, .. } = self.reqs[i as usize];
        if !(self.store.contains(key) && self.cached[key as usize] > ver) {
            self.store_value(key, ver, false);
        }
        if self.first(First::Write) {
            let k = self.name(key);
            self.say(CACHE, format!("write {k} v{ver}: write-through saved it in the database, then in the cache, and only now acknowledges."));
        }
        self.hop(
            CACHE,
            CLIENT,
            i,
            || format!("ok v{ver}"),
            SimDuration::ZERO,
            Ev::AtClient(i, ver, true),
        );
    }

    fn at_client(&mut self, i: u32, ver: u32, from_cache: bool) {
        let now = self.now();
        let Req {
            key, write, sent, ..
        } = self.reqs[i as usize];
        let k = self.name(key);
        if ver == u32::MAX {
            // A cache-aside miss: now read the database.
            self.hop(
                CLIENT,
                DB,
                i,
                || format!("read {k}"),
                self.cfg.db_time,
                Ev::DbRead(i, false),
            );
            return;
        }
        let latency = now.since(sent);
        self.buckets.latency(now, latency);
        if write {
            self.write_lat.push(latency.as_micros());
            let a = &mut self.acked[key as usize];
            *a = (*a).max(ver);
            let policy = self.cfg.write_policy;
            let deletes = self.cfg.invalidate
                && matches!(policy, WritePolicy::CacheAside | WritePolicy::ReadThrough);
            if self.first(First::Write) {
                let after = if deletes {
                    "then deletes the cached copy so the next read loads v".to_string()
                        + &ver.to_string()
                } else if policy == WritePolicy::WriteAround {
                    "and leaves the cache alone: a cached copy stays until its TTL".to_string()
                } else {
                    "and does not touch the cache: a cached copy stays until its TTL".to_string()
                };
                self.say(
                    CLIENT,
                    format!(
                        "write {k} v{ver}: the database has it; {} {after}.",
                        policy.title()
                    ),
                );
            }
            if deletes {
                self.hop(
                    CLIENT,
                    CACHE,
                    i,
                    || format!("delete {k}"),
                    self.cfg.cache_time,
                    Ev::Invalidate(key),
                );
            }
            return;
        }
        self.read_lat.push(latency.as_micros());
        if self.cfg.write_policy == WritePolicy::CacheAside && !from_cache {
            self.hop(
                CLIENT,
                CACHE,
                i,
                || format!("set {k} v{ver}"),
                self.cfg.cache_time,
                Ev::Set(key, ver),
            );
        }
    }

    fn set(&mut self, key: Key, ver: u32) {
        if ver < self.acked[key as usize] {
            self.counts.stale_sets += 1;
            if self.first(First::StaleSet) {
                let k = self.name(key);
                let newest = self.acked[key as usize];
                self.say(CACHE, format!("Race: a reader sets {k} v{ver} — read from the database before v{newest} was written — after that write's delete; the old value now sits in the cache until its TTL or the next write."));
            }
        }
        if self.store.contains(key) && self.cached[key as usize] >= ver {
            return;
        }
        self.store_value(key, ver, false);
    }

    fn invalidate(&mut self, key: Key) {
        let now = self.now();
        self.store.expire(now);
        self.note_expired();
        if self.store.remove(key) {
            self.counts.invalidations += 1;
            if self.trace.recording() {
                self.trace
                    .remove(now, CACHE, self.name(key), "invalidated by a write");
            }
            if self.first(First::Invalidate) {
                self.say(
                    CACHE,
                    format!(
                        "delete {}: the write invalidates the cached copy.",
                        self.name(key)
                    ),
                );
            }
            record_insides(
                &mut self.trace,
                now,
                CACHE,
                &mut self.store,
                self.names,
                false,
            );
        }
    }

    /// Write-back: send `key`'s dirty version to the database now (a flush or an eviction).
    fn write_back_now(&mut self, key: Key) {
        let ver = self.cached[key as usize];
        self.counts.flushes += 1;
        self.set_dirty(key, false);
        let k = self.name(key);
        if self.first(First::Flush) {
            self.say(CACHE, format!("The cache writes {k} v{ver} back to the database: until now the only copy was in the cache."));
        }
        self.hop(
            CACHE,
            DB,
            0,
            || format!("write {k} v{ver}"),
            self.cfg.db_time,
            Ev::FlushAtDb(key, ver),
        );
    }

    fn flush(&mut self, key: Key, epoch: u32) {
        if epoch != self.epoch {
            return;
        }
        self.flush_queued[key as usize] = false;
        if self.dirty[key as usize] && self.store.contains(key) {
            let ver = self.cached[key as usize];
            self.counts.flushes += 1;
            let k = self.name(key);
            if self.first(First::Flush) {
                self.say(CACHE, format!("Flush: {} after the first unsaved write, the cache writes {k} v{ver} to the database (later writes were coalesced into it).", self.cfg.flush));
            }
            // It stays dirty until the database acknowledges.
            self.hop(
                CACHE,
                DB,
                0,
                || format!("write {k} v{ver}"),
                self.cfg.db_time,
                Ev::FlushAtDb(key, ver),
            );
        }
    }

    fn crash(&mut self) {
        let now = self.now();
        let resident = self.store.policy().resident();
        let lost_dirty = resident.iter().filter(|&&x| self.dirty[x as usize]).count() as u64;
        for &x in &resident {
            if self.trace.recording() {
                let why = if self.dirty[x as usize] {
                    "node crashed: unsaved write lost"
                } else {
                    "node crashed"
                };
                self.trace.remove(now, CACHE, self.name(x), why);
            }
            self.set_dirty(x, false);
            self.flush_queued[x as usize] = false;
        }
        self.counts.lost_writes += lost_dirty;
        self.counts.lost_entries += resident.len() as u64;
        self.epoch += 1;
        self.store.clear();
        record_insides(
            &mut self.trace,
            now,
            CACHE,
            &mut self.store,
            self.names,
            true,
        );
        let what = if self.cfg.write_policy == WritePolicy::WriteBack {
            format!(" {lost_dirty} of them were dirty: those acknowledged writes never reached the database and are lost.")
        } else {
            " The database has every write, so nothing is lost; the cache just has to warm up again.".to_string()
        };
        self.say(
            CACHE,
            format!(
                "The cache node crashes and restarts empty: {} entries are gone.{what}",
                resident.len()
            ),
        );
    }
}

pub fn simulate(cfg: &Config, seed: u64) -> Run {
    let stream = cfg.workload.stream(seed);
    let n = stream.keys.len();
    let universe = stream.names.count() as usize;
    let width = bucket_width(expected_end(cfg, n), 200);
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
    finish(w, n)
}

fn finish(mut w: World, n: usize) -> Run {
    let end = w.sched.now();
    let cfg = w.cfg;
    let c = &w.counts;
    let summary = format!(
        "Done: {} reads ({} hits), {} writes; {} stale reads; the database served {} reads and {} writes{}.",
        c.reads,
        pct(c.hits, c.hits + c.misses),
        c.writes,
        c.stale_reads,
        c.db_reads,
        c.db_writes,
        if c.lost_writes > 0 {
            format!("; {} acknowledged writes were lost in the crash", c.lost_writes)
        } else {
            String::new()
        }
    );
    w.trace.step(end, Some(CACHE), summary);
    let read = Percentiles::of(&mut w.read_lat);
    let write = Percentiles::of(&mut w.write_lat);
    let c = &w.counts;
    let result = json!({
        "mode": "write",
        "write_policy": cfg.write_policy.title(),
        "policy": cfg.policies[0].id(),
        "accesses": n,
        "reads": c.reads,
        "writes": c.writes,
        "hits": c.hits,
        "misses": c.misses,
        "evictions": c.evictions,
        "expired": c.expired,
        "hit_ratio": ratio(c.hits, c.hits + c.misses),
        "stale_reads": c.stale_reads,
        "stale_sets": c.stale_sets,
        "invalidations": c.invalidations,
        "db_reads": c.db_reads,
        "db_writes": c.db_writes,
        "flushes": c.flushes,
        "lost_writes": c.lost_writes,
        "lost_entries": c.lost_entries,
        "read_latency_us": read,
        "write_latency_us": write,
        "kernel_events": w.sched.processed(),
    });
    let nodes = vec![
        node(
            CLIENT,
            "client".into(),
            "client".into(),
            "client",
            0,
            0,
            format!("{:.0}% writes", cfg.write_ratio * 100.0),
        ),
        node(
            CACHE,
            "cache".into(),
            "cache".into(),
            "cache",
            1,
            0,
            format!(
                "{}, {} entries, {}",
                cfg.policies[0].title(),
                cfg.capacity,
                cfg.write_policy.title()
            ),
        ),
        node(
            DB,
            "database".into(),
            "database".into(),
            "database",
            2,
            0,
            format!("answers in {}", cfg.db_time),
        ),
    ];
    let name = cfg.write_policy.title();
    let mut series: Vec<Series> = vec![
        w.buckets.hit_ratio(name),
        w.buckets.db_load(name, end),
        w.buckets.mean_latency(name),
        w.stale.finish(end, "Stale reads", name, "reads"),
    ];
    if cfg.write_policy == WritePolicy::WriteBack {
        series.push(w.dirty_level.finish(end, "Dirty entries", name, "entries"));
    }
    assemble(end, nodes, w.trace, series, result)
}
