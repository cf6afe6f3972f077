//! Time to live on top of any policy: an entry expires a fixed time after it was written.
//!
//! This is Caffeine's `expireAfterWrite`: entries sit in a *write-order* queue; because every
//! entry lives the same `ttl`, the queue is also expiry order, so each maintenance pass removes
//! expired entries from the old end in O(1) each (BoundedLocalCache `expireAfterWriteEntries`).
//! A pass runs before every operation, so an expired entry is never served (as Caffeine's read
//! path also checks `hasExpired`), and the space it held is free for the next miss. A read hit
//! does not extend the entry's life; a write (a miss's load, a write-through update) restarts it.
//!
//! Expired entries leave the policy through [`Policy::remove`]: they are not evictions, and ARC
//! keeps no ghost for them.

use super::list::Lists;
use super::{Key, Outcome, Policy};
use crate::kernel::time::{SimDuration, SimTime};

pub struct Expiring {
    inner: Box<dyn Policy>,
    ttl: Option<SimDuration>,
    /// Write order: front = newest write, back = next to expire.
    order: Lists,
    written: Vec<SimTime>,
    expired: Vec<Key>,
    expired_total: u64,
    /// The gauge values last recorded for this cache's node, so unchanged numbers are not
    /// logged again (view bookkeeping, kept here because it lives exactly as long as the cache).
    gauges_seen: Vec<f64>,
}

impl Expiring {
    /// `ttl` of `None` (or zero) means entries never expire.
    pub fn new(inner: Box<dyn Policy>, ttl: Option<SimDuration>) -> Self {
        let ttl = ttl.filter(|d| d.as_micros() > 0);
        Expiring {
            inner,
            ttl,
            order: Lists::new(1, 0),
            written: Vec::new(),
            expired: Vec::new(),
            expired_total: 0,
            gauges_seen: Vec::new(),
        }
    }

    pub fn policy(&self) -> &dyn Policy {
        self.inner.as_ref()
    }

    pub fn policy_mut(&mut self) -> &mut dyn Policy {
        self.inner.as_mut()
    }

    /// Split borrow for recording: the policy and the last recorded gauge values.
    pub fn policy_and_gauges(&mut self) -> (&dyn Policy, &mut Vec<f64>) {
        (self.inner.as_ref(), &mut self.gauges_seen)
    }

    pub fn ttl(&self) -> Option<SimDuration> {
        self.ttl
    }

    /// When `key` expires (if it is resident and there is a TTL).
    pub fn expires_at(&self, key: Key) -> Option<SimTime> {
        let ttl = self.ttl?;
        let s = self.order.find(key)?;
        Some(self.written[s as usize] + ttl)
    }

    /// Keys the last operation expired, oldest first.
    pub fn just_expired(&self) -> &[Key] {
        &self.expired
    }

    pub fn expired_total(&self) -> u64 {
        self.expired_total
    }

    /// Removes every entry whose time is up at `now` (the maintenance pass).
    pub fn expire(&mut self, now: SimTime) {
        self.expired.clear();
        let Some(ttl) = self.ttl else {
            return;
        };
        while let Some(s) = self.order.back(0) {
            if self.written[s as usize] + ttl > now {
                break;
            }
            let key = self.order.remove(s);
            self.inner.remove(key);
            self.expired.push(key);
            self.expired_total += 1;
        }
    }

    /// (Re)starts `key`'s life at `now` (it must be resident).
    pub fn touch_write(&mut self, key: Key, now: SimTime) {
        if self.ttl.is_none() {
            return;
        }
        let s = match self.order.find(key) {
            Some(s) => {
                self.order.move_to_front(s, 0);
                s
            }
            None => self.order.push_front(0, key),
        };
        let i = s as usize;
        if i >= self.written.len() {
            self.written.resize(i + 1, SimTime::ZERO);
        }
        self.written[i] = now;
    }

    /// A read of `key` at `now`: expire what is due, then ask the policy; a miss loads the key,
    /// which counts as its write.
    pub fn access(&mut self, key: Key, now: SimTime) -> Outcome {
        self.expire(now);
        let out = self.inner.access(key);
        if self.ttl.is_some() {
            if let Some(v) = out.evicted {
                self.forget(v);
            }
            if !out.hit && self.inner.contains(key) {
                self.touch_write(key, now);
            }
        }
        out
    }

    /// A lookup that never admits: expire what is due, then a hit updates the policy (recency,
    /// frequency) and a miss leaves it untouched (the loader will `put` the key later).
    pub fn get(&mut self, key: Key, now: SimTime) -> bool {
        self.expire(now);
        if self.inner.contains(key) {
            self.inner.access(key);
            true
        } else {
            false
        }
    }

    /// Stores `key` at `now` (a load or a write): admits it if absent (evicting when full),
    /// refreshes it if present, and restarts its TTL. `hit` in the outcome: it was present.
    pub fn put(&mut self, key: Key, now: SimTime) -> Outcome {
        self.expire(now);
        let out = self.inner.access(key);
        if let Some(v) = out.evicted {
            self.forget(v);
        }
        if self.inner.contains(key) {
            self.touch_write(key, now);
        }
        out
    }

    fn forget(&mut self, key: Key) {
        if let Some(s) = self.order.find(key) {
            self.order.remove(s);
        }
    }

    /// Drops `key` (an invalidation); true if it was resident.
    pub fn remove(&mut self, key: Key) -> bool {
        self.forget(key);
        self.inner.remove(key)
    }

    /// Drops everything (the node restarted empty).
    pub fn clear(&mut self) {
        self.inner.clear();
        self.order.clear(1);
    }

    pub fn contains(&self, key: Key) -> bool {
        self.inner.contains(key)
    }
}

#[cfg(test)]
mod tests {
    use super::super::lru::Lru;
    use super::super::testing::k;
    use super::*;

    fn at(ms: u64) -> SimTime {
        SimTime(ms * 1_000)
    }

    #[test]
    fn entries_expire_after_write_not_after_read() {
        let mut c = Expiring::new(Box::new(Lru::new(4)), Some(SimDuration::from_millis(100)));
        assert!(!c.access(k('a'), at(0)).hit);
        assert!(
            c.access(k('a'), at(50)).hit,
            "a read does not restart the clock"
        );
        assert_eq!(c.expires_at(k('a')), Some(at(100)));
        assert!(!c.access(k('b'), at(60)).hit);
        // At 100 ms a is due: the pass removes it before the read, which then misses.
        assert!(!c.access(k('a'), at(100)).hit);
        assert_eq!(c.just_expired(), &[k('a')]);
        assert_eq!(c.expires_at(k('a')), Some(at(200)));
        assert!(c.access(k('b'), at(159)).hit);
        assert!(!c.access(k('c'), at(160)).hit);
        assert_eq!(c.just_expired(), &[k('b')]);
        assert_eq!(c.expired_total(), 2);
    }

    #[test]
    fn evicted_entries_leave_the_write_order_too() {
        let mut c = Expiring::new(Box::new(Lru::new(1)), Some(SimDuration::from_millis(10)));
        c.access(k('a'), at(0));
        c.access(k('b'), at(1));
        assert_eq!(c.expires_at(k('a')), None);
        c.access(k('c'), at(20));
        assert_eq!(c.just_expired(), &[k('b')]);
        assert!(c.remove(k('c')) && !c.contains(k('c')));
    }

    #[test]
    fn get_never_admits_and_put_restarts_the_clock() {
        let mut c = Expiring::new(Box::new(Lru::new(2)), Some(SimDuration::from_millis(100)));
        assert!(!c.get(k('a'), at(0)));
        assert!(!c.contains(k('a')));
        assert!(!c.put(k('a'), at(10)).hit);
        assert!(c.get(k('a'), at(20)));
        assert!(c.put(k('a'), at(90)).hit, "an update of a present key");
        assert_eq!(c.expires_at(k('a')), Some(at(190)));
        assert!(c.get(k('a'), at(150)));
    }

    #[test]
    fn no_ttl_means_no_expiry() {
        let mut c = Expiring::new(Box::new(Lru::new(2)), None);
        c.access(k('a'), at(0));
        assert!(c.access(k('a'), at(1_000_000)).hit);
        assert_eq!(c.expires_at(k('a')), None);
    }
}
