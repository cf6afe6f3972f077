//! Least recently used: evict the key whose last access is the oldest.
//!
//! The classic stack algorithm of Mattson, Gecsei, Slutz & Traiger, "Evaluation techniques for
//! storage hierarchies" (IBM Systems Journal 9(2), 1970), kept as memcached and Redis's
//! `allkeys-lru` approximate it: one recency list; a hit moves the key to the front, a miss
//! inserts at the front and, when full, evicts the back.

use super::list::Lists;
use super::{Key, ListView, NameFn, Outcome, Policy, PolicyId};

const RECENCY: u32 = 0;

pub struct Lru {
    capacity: usize,
    lists: Lists,
    changed: u32,
}

impl Lru {
    pub fn new(capacity: usize) -> Self {
        Lru {
            capacity,
            lists: Lists::new(1, capacity + 1),
            changed: 0,
        }
    }
}

impl Policy for Lru {
    fn id(&self) -> PolicyId {
        PolicyId::Lru
    }
    fn capacity(&self) -> usize {
        self.capacity
    }
    fn len(&self) -> usize {
        self.lists.len(RECENCY)
    }
    fn contains(&self, key: Key) -> bool {
        self.lists.find(key).is_some()
    }

    fn access(&mut self, key: Key) -> Outcome {
        if let Some(s) = self.lists.find(key) {
            if self.lists.front(RECENCY) != Some(s) {
                self.lists.move_to_front(s, RECENCY);
                self.changed = 1;
            }
            return Outcome::HIT;
        }
        let evicted = if self.len() >= self.capacity {
            let back = self.lists.back(RECENCY).expect("a full cache has a back");
            Some(self.lists.remove(back))
        } else {
            None
        };
        self.lists.push_front(RECENCY, key);
        self.changed = 1;
        Outcome::miss(evicted)
    }

    fn remove(&mut self, key: Key) -> bool {
        match self.lists.find(key) {
            Some(s) => {
                self.lists.remove(s);
                self.changed = 1;
                true
            }
            None => false,
        }
    }

    fn clear(&mut self) {
        self.lists.clear(1);
        self.changed = 1;
    }

    fn resident(&self) -> Vec<Key> {
        self.lists.iter(RECENCY).collect()
    }

    fn list_names(&self) -> &'static [&'static str] {
        &["recency"]
    }

    fn list(&self, _which: usize, limit: usize, name: NameFn) -> ListView {
        ListView::of(self.lists.iter(RECENCY).map(name), self.len(), limit)
    }

    fn take_changed(&mut self) -> u32 {
        std::mem::take(&mut self.changed)
    }

    fn explain(&self, key: Key, outcome: Outcome, name: NameFn) -> String {
        match outcome {
            Outcome { hit: true, .. } => {
                format!("hit: {} moves to the front of the recency list", name(key))
            }
            Outcome {
                evicted: Some(v), ..
            } => format!(
                "miss: LRU evicts {}, the least recently used, and puts {} at the front",
                name(v),
                name(key)
            ),
            _ => format!(
                "miss: {} goes to the front of the recency list ({} of {} slots used)",
                name(key),
                self.len(),
                self.capacity
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{letters, run};
    use super::*;

    #[test]
    fn hand_worked_sequence() {
        // Capacity 3: a b c fill; a hits (a to front); d evicts b (LRU).
        let mut p = Lru::new(3);
        assert_eq!(run(&mut p, "abca"), "mmmh");
        assert_eq!(letters(&p, 0), "acb");
        assert_eq!(p.access(3), Outcome::miss(Some(1)));
        assert_eq!(letters(&p, 0), "dac");
        // b misses and evicts c; then d, a, b all hit.
        assert_eq!(run(&mut p, "bdab"), "mhhh");
        assert_eq!(letters(&p, 0), "bad");
    }

    #[test]
    fn a_loop_one_larger_than_the_cache_never_hits() {
        let mut p = Lru::new(3);
        assert_eq!(run(&mut p, &"abcd".repeat(5)), "m".repeat(20));
    }

    #[test]
    fn unchanged_list_is_not_reported() {
        let mut p = Lru::new(2);
        p.access(0);
        assert_eq!(p.take_changed(), 1);
        p.access(0);
        assert_eq!(p.take_changed(), 0, "a hit on the front changes nothing");
        assert!(p.remove(0) && !p.remove(0));
        assert_eq!(p.len(), 0);
    }
}
