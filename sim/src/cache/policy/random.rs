//! Random replacement: when full, evict a resident key chosen uniformly at random.
//!
//! The RAND baseline of Belady (1966), and what Redis does under `maxmemory-policy
//! allkeys-random` (evict.c picks a random key of the dictionary). The resident keys live in a
//! dense array with a key → position index, so the choice and the removal (swap with the last)
//! are O(1). The choice comes from a seeded `SimRng` stream: the same seed evicts the same keys.

use super::list::NIL;
use super::{Key, ListView, NameFn, Outcome, Policy, PolicyId};
use crate::kernel::rng::SimRng;

pub struct RandomEviction {
    capacity: usize,
    /// Resident keys, in no meaningful order.
    keys: Vec<Key>,
    /// Key id → index in `keys` (NIL when absent).
    pos: Vec<u32>,
    rng: SimRng,
    changed: u32,
}

impl RandomEviction {
    pub fn new(capacity: usize, rng: SimRng) -> Self {
        RandomEviction {
            capacity,
            keys: Vec::with_capacity(capacity.min(1 << 16)),
            pos: Vec::new(),
            rng,
            changed: 0,
        }
    }

    fn position(&self, key: Key) -> Option<usize> {
        match self.pos.get(key as usize) {
            Some(&p) if p != NIL => Some(p as usize),
            _ => None,
        }
    }

    fn take_at(&mut self, i: usize) -> Key {
        let key = self.keys.swap_remove(i);
        self.pos[key as usize] = NIL;
        if let Some(&moved) = self.keys.get(i) {
            self.pos[moved as usize] = i as u32;
        }
        key
    }
}

impl Policy for RandomEviction {
    fn id(&self) -> PolicyId {
        PolicyId::Random
    }
    fn capacity(&self) -> usize {
        self.capacity
    }
    fn len(&self) -> usize {
        self.keys.len()
    }
    fn contains(&self, key: Key) -> bool {
        self.position(key).is_some()
    }

    fn access(&mut self, key: Key) -> Outcome {
        if self.contains(key) {
            return Outcome::HIT;
        }
        let evicted = if self.keys.len() >= self.capacity {
            let i = self.rng.below(self.keys.len() as u64) as usize;
            Some(self.take_at(i))
        } else {
            None
        };
        if key as usize >= self.pos.len() {
            self.pos.resize(key as usize + 1, NIL);
        }
        self.pos[key as usize] = self.keys.len() as u32;
        self.keys.push(key);
        self.changed = 1;
        Outcome::miss(evicted)
    }

    fn remove(&mut self, key: Key) -> bool {
        match self.position(key) {
            Some(i) => {
                self.take_at(i);
                self.changed = 1;
                true
            }
            None => false,
        }
    }

    fn clear(&mut self) {
        for &k in &self.keys {
            self.pos[k as usize] = NIL;
        }
        self.keys.clear();
        self.changed = 1;
    }

    fn resident(&self) -> Vec<Key> {
        self.keys.clone()
    }

    fn list_names(&self) -> &'static [&'static str] {
        &["resident (no order)"]
    }

    fn list(&self, _which: usize, limit: usize, name: NameFn) -> ListView {
        ListView::of(self.keys.iter().map(|&k| name(k)), self.keys.len(), limit)
    }

    fn take_changed(&mut self) -> u32 {
        std::mem::take(&mut self.changed)
    }

    fn explain(&self, key: Key, outcome: Outcome, name: NameFn) -> String {
        match outcome {
            Outcome { hit: true, .. } => {
                format!(
                    "hit: {} is resident; random eviction keeps no order",
                    name(key)
                )
            }
            Outcome {
                evicted: Some(v), ..
            } => format!(
                "miss: random eviction drew {} out of the {} resident keys and replaced it with {}",
                name(v),
                self.capacity,
                name(key)
            ),
            _ => format!(
                "miss: {} takes a free slot ({} of {} used)",
                name(key),
                self.len(),
                self.capacity
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;
    use super::*;

    fn victims(seed: u64) -> Vec<Option<Key>> {
        let mut p = RandomEviction::new(3, SimRng::new(seed, 40));
        (0..12).map(|k| p.access(k % 7).evicted).collect()
    }

    #[test]
    fn same_seed_same_victims_and_only_resident_ones() {
        assert_eq!(victims(5), victims(5));
        assert_ne!(victims(5), victims(6));
        let mut p = RandomEviction::new(3, SimRng::new(5, 40));
        for k in 0..50u32 {
            let before: Vec<Key> = p.keys.clone();
            if let Some(v) = p.access(k % 9).evicted {
                assert!(before.contains(&v));
            }
            assert!(p.len() <= 3 && p.contains(k % 9));
        }
    }

    #[test]
    fn no_eviction_until_full_and_hits_are_hits() {
        let mut p = RandomEviction::new(3, SimRng::new(1, 40));
        assert_eq!(run(&mut p, "abcabc"), "mmmhhh");
        assert!(p.remove(1) && !p.contains(1) && p.contains(0) && p.contains(2));
        assert_eq!(p.access(1), Outcome::miss(None));
    }
}
