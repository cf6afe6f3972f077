//! First in, first out: evict the key that entered the cache first, whatever its use since.
//!
//! The replacement rule Belady studied in "A study of replacement algorithms for a virtual-storage
//! computer" (IBM Systems Journal 5(2), 1966) — famous for Belady's anomaly, where a bigger FIFO
//! cache can miss more. One queue: a miss inserts at the front and, when full, evicts the back; a
//! hit changes nothing, which is exactly what sets it apart from LRU.

use super::list::Lists;
use super::{Key, ListView, NameFn, Outcome, Policy, PolicyId};

const QUEUE: u32 = 0;

pub struct Fifo {
    capacity: usize,
    lists: Lists,
    changed: u32,
}

impl Fifo {
    pub fn new(capacity: usize) -> Self {
        Fifo {
            capacity,
            lists: Lists::new(1, capacity + 1),
            changed: 0,
        }
    }
}

impl Policy for Fifo {
    fn id(&self) -> PolicyId {
        PolicyId::Fifo
    }
    fn capacity(&self) -> usize {
        self.capacity
    }
    fn len(&self) -> usize {
        self.lists.len(QUEUE)
    }
    fn contains(&self, key: Key) -> bool {
        self.lists.find(key).is_some()
    }

    fn access(&mut self, key: Key) -> Outcome {
        if self.lists.find(key).is_some() {
            return Outcome::HIT;
        }
        let evicted = if self.len() >= self.capacity {
            let back = self.lists.back(QUEUE).expect("a full cache has a back");
            Some(self.lists.remove(back))
        } else {
            None
        };
        self.lists.push_front(QUEUE, key);
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
        self.lists.iter(QUEUE).collect()
    }

    fn list_names(&self) -> &'static [&'static str] {
        &["queue"]
    }

    fn list(&self, _which: usize, limit: usize, name: NameFn) -> ListView {
        ListView::of(self.lists.iter(QUEUE).map(name), self.len(), limit)
    }

    fn take_changed(&mut self) -> u32 {
        std::mem::take(&mut self.changed)
    }

    fn explain(&self, key: Key, outcome: Outcome, name: NameFn) -> String {
        match outcome {
            Outcome { hit: true, .. } => format!(
                "hit: {} stays where it is — FIFO ignores use, only arrival order counts",
                name(key)
            ),
            Outcome {
                evicted: Some(v), ..
            } => format!(
                "miss: FIFO evicts {}, the oldest arrival, and queues {} at the front",
                name(v),
                name(key)
            ),
            _ => format!(
                "miss: {} joins the queue ({} of {} slots used)",
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
        // Capacity 3: a b c; a hits but does not move; d evicts a (first in), not b.
        let mut p = Fifo::new(3);
        assert_eq!(run(&mut p, "abca"), "mmmh");
        assert_eq!(letters(&p, 0), "cba");
        assert_eq!(p.access(3), Outcome::miss(Some(0)));
        assert_eq!(letters(&p, 0), "dcb");
        // Each re-access comes just after its key was pushed out: all miss.
        assert_eq!(run(&mut p, "abcd"), "mmmm");
        assert_eq!(letters(&p, 0), "dcb");
    }

    #[test]
    fn beladys_anomaly() {
        // Belady, Nelson & Shedler (CACM 1969): 1 2 3 4 1 2 5 1 2 3 4 5 faults 9 times with 3
        // frames and 10 times with 4.
        let seq = "abcdabeabcde";
        let misses = |c| {
            run(&mut Fifo::new(c), seq)
                .chars()
                .filter(|&x| x == 'm')
                .count()
        };
        assert_eq!((misses(3), misses(4)), (9, 10));
    }
}
