//! The cache node's own bookkeeping in mode `write`: storing versions (with evictions and
//! expiry), dirty entries and their flushes, invalidations, and a crash.

use super::{Ev, First, World, CACHE, DB};
use crate::cache::config::WritePolicy;
use crate::cache::policy::Key;
use crate::cache::scenario::record_insides;

impl World<'_> {
    pub(super) fn note_expired(&mut self) {
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
    pub(super) fn store_value(&mut self, key: Key, ver: u32, dirty: bool) {
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

    pub(super) fn set_dirty(&mut self, key: Key, dirty: bool) {
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

    pub(super) fn record_entry(&mut self, key: Key) {
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

    pub(super) fn invalidate(&mut self, key: Key) {
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
    pub(super) fn write_back_now(&mut self, key: Key) {
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

    pub(super) fn flush(&mut self, key: Key, epoch: u32) {
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

    pub(super) fn crash(&mut self) {
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
