//! The scheduler's binary min-heap of (key, event), keys unique.
//!
//! `std`'s `BinaryHeap::pop` swaps the last element into the root and then reads the root back
//! as a whole: the read spans several just-written words, which the CPU cannot forward from its
//! store buffer, and that one stall was ≈ 5 % of an `lb` run (perf). Here the root is read before
//! anything is written, and the element that fills the hole stays in registers until it is
//! written once, at the end. Events are `Copy` (every block's are), so moves are plain copies.

/// An entry: the packed (time, sequence) key and the event.
#[derive(Clone, Copy)]
pub(crate) struct Entry<E> {
    pub(crate) key: u128,
    pub(crate) event: E,
}

pub(crate) struct Heap<E> {
    v: Vec<Entry<E>>,
}

impl<E: Copy> Heap<E> {
    pub(crate) fn new() -> Self {
        Heap { v: Vec::new() }
    }

    pub(crate) fn len(&self) -> usize {
        self.v.len()
    }

    /// The smallest key, if any.
    #[inline]
    pub(crate) fn min_key(&self) -> Option<u128> {
        self.v.first().map(|e| e.key)
    }

    #[inline]
    pub(crate) fn push(&mut self, entry: Entry<E>) {
        let mut pos = self.v.len();
        self.v.push(entry);
        while pos > 0 {
            let parent = (pos - 1) / 2;
            if self.v[parent].key < entry.key {
                break;
            }
            self.v[pos] = self.v[parent];
            pos = parent;
        }
        self.v[pos] = entry;
    }

    /// Takes the entry with the smallest key.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<Entry<E>> {
        let last = self.v.pop()?;
        let n = self.v.len();
        if n == 0 {
            return Some(last);
        }
        let top = self.v[0];
        let mut pos = 0;
        loop {
            let mut child = 2 * pos + 1;
            if child >= n {
                break;
            }
            if child + 1 < n && self.v[child + 1].key < self.v[child].key {
                child += 1;
            }
            if last.key < self.v[child].key {
                break;
            }
            self.v[pos] = self.v[child];
            pos = child;
        }
        self.v[pos] = last;
        Some(top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::rng::SimRng;

    /// Random pushes and pops against a sorted reference: always the smallest key.
    #[test]
    fn pops_the_smallest_key() {
        for seed in 0..30 {
            let mut rng = SimRng::new(seed, 79);
            let mut heap = Heap::new();
            let mut model: Vec<u128> = Vec::new();
            let mut next = 0u128;
            for _ in 0..2_000 {
                if rng.below(3) > 0 || model.is_empty() {
                    // Unique keys: a random time, the insertion number below it.
                    let key = u128::from(rng.below(500)) << 64 | next;
                    next += 1;
                    heap.push(Entry { key, event: key });
                    model.push(key);
                } else {
                    model.sort_unstable();
                    let want = model.remove(0);
                    assert_eq!(heap.min_key(), Some(want));
                    let got = heap.pop().expect("not empty");
                    assert_eq!((got.key, got.event), (want, want), "seed {seed}");
                }
                assert_eq!(heap.len(), model.len());
            }
            model.sort_unstable();
            for want in model {
                assert_eq!(heap.pop().map(|e| e.key), Some(want));
            }
            assert!(heap.pop().is_none() && heap.min_key().is_none());
        }
    }
}
