//! The clients in mode `stampede`: what each does with the cache's answer under each fix —
//! query the database, wait for a flight in progress, take the lock or retry, refresh early.

use super::{Answer, Ev, Query, World, CACHE, CLIENT, DB};
use crate::cache::config::Fix;
use crate::cache::policy::Key;
use crate::kernel::time::SimDuration;

impl World<'_> {
    pub(super) fn query(&mut self, key: Key, req: Option<u32>, lock: bool) {
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

    pub(super) fn done(&mut self, i: u32) {
        let now = self.now();
        let lat = now.since(self.reqs[i as usize].sent);
        self.latency.observe(now, lat.as_micros());
        self.buckets.latency(now, lat);
        self.latencies.push(lat.as_micros());
    }

    pub(super) fn at_client(&mut self, i: u32, answer: Answer) {
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

    pub(super) fn db_back(&mut self, q: u32) {
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
}
