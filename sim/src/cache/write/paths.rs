//! The request paths of mode `write`: reads (hits, misses, loads by the cache or the client),
//! writes (to the database, through the cache, or into it), and what the client does with
//! each answer.

use super::{Ev, First, Req, World, CACHE, CLIENT, DB};
use crate::cache::config::WritePolicy;
use crate::cache::policy::Key;
use crate::cache::scenario::record_insides;
use crate::kernel::run::NodeId;
use crate::kernel::time::SimDuration;

impl World<'_> {
    pub(super) fn at_cache(&mut self, i: u32) {
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

    pub(super) fn check_stale(&mut self, i: u32, key: Key, ver: u32, at: NodeId) {
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

    pub(super) fn db_read(&mut self, i: u32, by_cache: bool) {
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

    pub(super) fn apply_db(&mut self, key: Key, ver: u32) {
        let now = self.now();
        self.counts.db_writes += 1;
        self.buckets.db(now);
        let d = &mut self.db_ver[key as usize];
        *d = (*d).max(ver);
    }

    pub(super) fn db_write(&mut self, i: u32, by_cache: bool) {
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

    pub(super) fn loaded(&mut self, i: u32, ver: u32) {
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

    pub(super) fn write_done(&mut self, i: u32) {
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

    pub(super) fn at_client(&mut self, i: u32, ver: u32, from_cache: bool) {
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

    pub(super) fn set(&mut self, key: Key, ver: u32) {
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
}
