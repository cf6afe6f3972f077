//! Least frequently used, with O(1) operations and optional aging.
//!
//! The structure is Shah, Mitra & Matani's "An O(1) algorithm for implementing the LFU cache
//! eviction scheme" (2010): a chain of frequency buckets in ascending count, each holding the
//! keys with that count. A hit moves its key to the next bucket (count + 1), a miss inserts with
//! count 1 and, when full, evicts from the lowest bucket.
//!
//! - **Counts are in-cache**: a key's count starts at 1 when it enters and is forgotten when it
//!   leaves (no history of evicted keys — that is what W-TinyLFU's sketch adds).
//! - **Ties** among the lowest count go to the least recently used: each bucket is a recency
//!   list (front = most recent), and the victim is the back of the lowest bucket.
//! - **Aging** (off by default): every `halve_every` accesses all counts are halved (integer
//!   division, so a count of 1 becomes 0), the classic fix for LFU's weakness that once-hot keys
//!   never leave. Buckets that merge are re-ordered by last access. This pass is O(n log n), run
//!   at most once per `halve_every ≥ capacity` accesses (the parameters require it), so its
//!   amortised cost per access stays O(log n) at worst and O(1) when aging is off.

use super::list::{ListId, Lists, Slot, NIL};
use super::{Key, ListView, NameFn, Outcome, Policy, PolicyId};

pub struct Lfu {
    capacity: usize,
    lists: Lists,
    /// Per bucket (a list id): its count and its neighbours in ascending count.
    count: Vec<u32>,
    lower: Vec<u32>,
    higher: Vec<u32>,
    lowest: u32,
    highest: u32,
    /// Per slot: the access number of the key's last access (for merges when aging).
    stamp: Vec<u64>,
    tick: u64,
    halve_every: u64,
    halvings: u64,
    size: usize,
    last_victim_count: u32,
    changed: u32,
}

impl Lfu {
    pub fn new(capacity: usize, halve_every: u64) -> Self {
        Lfu {
            capacity,
            lists: Lists::new(0, capacity + 1),
            count: Vec::new(),
            lower: Vec::new(),
            higher: Vec::new(),
            lowest: NIL,
            highest: NIL,
            stamp: Vec::with_capacity((capacity + 1).min(1 << 16)),
            tick: 0,
            halve_every,
            halvings: 0,
            size: 0,
            last_victim_count: 0,
            changed: 0,
        }
    }

    /// The count of a resident key.
    pub fn count_of(&self, key: Key) -> Option<u32> {
        self.lists
            .find(key)
            .map(|s| self.count[self.lists.list_of(s) as usize])
    }

    /// How many times the counts were halved.
    pub fn halvings(&self) -> u64 {
        self.halvings
    }

    /// A new bucket with `count`, linked between `below` and `above` (either may be NIL).
    fn new_bucket(&mut self, count: u32, below: u32, above: u32) -> ListId {
        let b = self.lists.add_list();
        let i = b as usize;
        if i >= self.count.len() {
            self.count.resize(i + 1, 0);
            self.lower.resize(i + 1, NIL);
            self.higher.resize(i + 1, NIL);
        }
        self.count[i] = count;
        self.lower[i] = below;
        self.higher[i] = above;
        if below == NIL {
            self.lowest = b;
        } else {
            self.higher[below as usize] = b;
        }
        if above == NIL {
            self.highest = b;
        } else {
            self.lower[above as usize] = b;
        }
        b
    }

    fn drop_if_empty(&mut self, b: ListId) {
        if self.lists.len(b) > 0 {
            return;
        }
        let (lo, hi) = (self.lower[b as usize], self.higher[b as usize]);
        if lo == NIL {
            self.lowest = hi;
        } else {
            self.higher[lo as usize] = hi;
        }
        if hi == NIL {
            self.highest = lo;
        } else {
            self.lower[hi as usize] = lo;
        }
        self.lists.free_list(b);
    }

    /// The bucket for `count` just above `below` (NIL: the bottom), created if missing.
    fn bucket_above(&mut self, below: u32, count: u32) -> ListId {
        let next = if below == NIL {
            self.lowest
        } else {
            self.higher[below as usize]
        };
        if next != NIL && self.count[next as usize] == count {
            next
        } else {
            self.new_bucket(count, below, next)
        }
    }

    fn set_stamp(&mut self, s: Slot) {
        let i = s as usize;
        if i >= self.stamp.len() {
            self.stamp.resize(i + 1, 0);
        }
        self.stamp[i] = self.tick;
    }

    /// Halves every count, merging buckets by last access.
    fn halve(&mut self) {
        let mut all: Vec<(u32, u64, Key)> = Vec::with_capacity(self.len());
        let mut b = self.lowest;
        while b != NIL {
            let c = self.count[b as usize] / 2;
            let mut at = self.lists.front(b);
            while let Some(s) = at {
                all.push((c, self.stamp[s as usize], self.lists.key(s)));
                at = self.lists.toward_back(s);
            }
            b = self.higher[b as usize];
        }
        all.sort_unstable();
        self.lists.clear(0);
        self.lowest = NIL;
        self.highest = NIL;
        for (c, stamp, key) in all {
            let top = if self.highest != NIL && self.count[self.highest as usize] == c {
                self.highest
            } else {
                self.new_bucket(c, self.highest, NIL)
            };
            let s = self.lists.push_front(top, key);
            self.set_stamp(s);
            self.stamp[s as usize] = stamp;
        }
        self.halvings += 1;
    }
}

impl Policy for Lfu {
    fn id(&self) -> PolicyId {
        PolicyId::Lfu
    }
    fn capacity(&self) -> usize {
        self.capacity
    }
    fn len(&self) -> usize {
        self.size
    }
    fn contains(&self, key: Key) -> bool {
        self.lists.find(key).is_some()
    }

    fn access(&mut self, key: Key) -> Outcome {
        self.tick += 1;
        self.changed = 1;
        let outcome = if let Some(s) = self.lists.find(key) {
            let b = self.lists.list_of(s);
            let c = self.count[b as usize].saturating_add(1);
            let up = self.bucket_above(b, c);
            self.lists.move_to_front(s, up);
            self.drop_if_empty(b);
            self.set_stamp(s);
            Outcome::HIT
        } else {
            let evicted = if self.size >= self.capacity {
                let b = self.lowest;
                let victim = self
                    .lists
                    .back(b)
                    .expect("the lowest bucket is never empty");
                self.last_victim_count = self.count[b as usize];
                let v = self.lists.remove(victim);
                self.drop_if_empty(b);
                self.size -= 1;
                Some(v)
            } else {
                None
            };
            // Count 1 sits above a bucket of 0 (after aging) and below everything else.
            let below = if self.lowest != NIL && self.count[self.lowest as usize] == 0 {
                self.lowest
            } else {
                NIL
            };
            let b = self.bucket_above(below, 1);
            let s = self.lists.push_front(b, key);
            self.set_stamp(s);
            self.size += 1;
            Outcome::miss(evicted)
        };
        if self.halve_every > 0 && self.tick.is_multiple_of(self.halve_every) {
            self.halve();
        }
        outcome
    }

    fn remove(&mut self, key: Key) -> bool {
        match self.lists.find(key) {
            Some(s) => {
                let b = self.lists.list_of(s);
                self.lists.remove(s);
                self.drop_if_empty(b);
                self.size -= 1;
                self.changed = 1;
                true
            }
            None => false,
        }
    }

    fn clear(&mut self) {
        self.lists.clear(0);
        self.lowest = NIL;
        self.highest = NIL;
        self.size = 0;
        self.changed = 1;
    }

    fn resident(&self) -> Vec<Key> {
        let mut out = Vec::with_capacity(self.size);
        let mut b = self.highest;
        while b != NIL {
            out.extend(self.lists.iter(b));
            b = self.lower[b as usize];
        }
        out
    }

    fn list_names(&self) -> &'static [&'static str] {
        &["by count"]
    }

    /// Highest count first; within a count the most recent first; the back is the next victim.
    fn list(&self, _which: usize, limit: usize, name: NameFn) -> ListView {
        let mut items = Vec::new();
        let mut total = 0usize;
        let mut b = self.highest;
        while b != NIL {
            let c = self.count[b as usize];
            total += self.lists.len(b);
            for k in self.lists.iter(b) {
                if items.len() >= limit {
                    break;
                }
                items.push(format!("{} ×{c}", name(k)));
            }
            b = self.lower[b as usize];
        }
        let more = (total - items.len()) as u64;
        ListView { items, more }
    }

    fn take_changed(&mut self) -> u32 {
        std::mem::take(&mut self.changed)
    }

    fn explain(&self, key: Key, outcome: Outcome, name: NameFn) -> String {
        let count = self.count_of(key).unwrap_or(0);
        match outcome {
            Outcome { hit: true, .. } => {
                format!("hit: {}'s count rises to {count}", name(key))
            }
            Outcome {
                evicted: Some(v), ..
            } => format!(
                "miss: LFU evicts {}, used {} — the fewest (ties go to the least recently used); {} enters with count 1",
                name(v),
                super::plural(self.last_victim_count as usize, "time", "times"),
                name(key)
            ),
            _ => format!(
                "miss: {} enters with count 1 ({} of {} slots used)",
                name(key),
                self.len(),
                self.capacity
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{k, letters, run};
    use super::*;

    #[test]
    fn evicts_the_least_frequent_and_breaks_ties_by_recency() {
        let mut p = Lfu::new(3, 0);
        // a×3, b×1, c×2; d evicts b (count 1).
        assert_eq!(run(&mut p, "abcaca"), "mmmhhh");
        assert_eq!(letters(&p, 0), "a ×3c ×2b ×1");
        assert_eq!(p.access(k('d')), Outcome::miss(Some(k('b'))));
        // d and e both have count 1 after e arrives: e evicts d, the less recent of the 1s.
        assert_eq!(p.access(k('e')), Outcome::miss(Some(k('d'))));
        assert_eq!(letters(&p, 0), "a ×3c ×2e ×1");
        assert_eq!(p.count_of(k('a')), Some(3));
    }

    #[test]
    fn counts_are_forgotten_on_eviction() {
        let mut p = Lfu::new(1, 0);
        assert_eq!(run(&mut p, "aaab"), "mhhm");
        assert_eq!(p.count_of(k('b')), Some(1));
        assert_eq!(run(&mut p, "a"), "m");
        assert_eq!(p.count_of(k('a')), Some(1));
    }

    #[test]
    fn aging_halves_counts_and_lets_new_keys_win() {
        // Without aging, a once-hot key stays forever.
        let mut stuck = Lfu::new(2, 0);
        run(&mut stuck, "aaaaaa");
        assert_eq!(run(&mut stuck, "bcbcbc"), "mmmmmm");
        // With halving every 4 accesses, a's 6 uses fade: 6 → 3 (tick 4, counts then 4) ...
        let mut aged = Lfu::new(2, 4);
        run(&mut aged, "aaaaaa");
        let got = run(&mut aged, "bcbcbcbcbc");
        assert!(got.ends_with("hh"), "{got}");
        assert!(aged.halvings() >= 3);
    }

    #[test]
    fn halving_merges_buckets_by_recency() {
        let mut p = Lfu::new(3, 0);
        // a:2 (last at 4), b:3 (last at 6), c:1 (last at 3) → halving: a 1, b 1, c 0.
        run(&mut p, "abcabb");
        p.halve();
        assert_eq!(letters(&p, 0), "b ×1a ×1c ×0");
        // A new key enters with 1, above c's 0, and c is the next victim.
        assert_eq!(p.access(k('d')), Outcome::miss(Some(k('c'))));
        assert_eq!(letters(&p, 0), "d ×1b ×1a ×1");
    }
}
