//! The cache node in mode `stampede`: reads, expiry windows, the lock, and `set`s (with the
//! narration of each expiry window once the key is back).

use super::{Answer, Ev, Window, World, CACHE, CLIENT, NARRATED_WINDOWS};
use crate::cache::config::Fix;
use crate::cache::scenario::record_insides;
use crate::kernel::time::SimDuration;

impl World<'_> {
    pub(super) fn note_expired(&mut self) {
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

    pub(super) fn at_cache(&mut self, i: u32) {
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

    pub(super) fn lock_at_cache(&mut self, i: u32) {
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

    pub(super) fn set(&mut self, q: u32, unlock: bool) {
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
