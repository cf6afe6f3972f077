//! Records numbered 0, 1, 2, … of which only a window is alive: a ring indexed by the number
//! (`n & mask`), so that the memory holds the records in flight, not every record of a run.
//!
//! Records are added at the back in number order and leave at the front; the ring doubles when
//! the window outgrows it. Looking a record up is a mask and a bounds check.

/// A window `front..back` of numbered records (see the module docs).
pub struct Slots<T> {
    ring: Vec<T>,
    /// `ring.len() - 1`; `ring.len()` is a power of two.
    mask: usize,
    front: u64,
    back: u64,
}

impl<T: Default> Default for Slots<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Default> Slots<T> {
    pub fn new() -> Self {
        Slots {
            ring: (0..64).map(|_| T::default()).collect(),
            mask: 63,
            front: 0,
            back: 0,
        }
    }

    /// The number of the oldest record still here.
    pub fn front(&self) -> u64 {
        self.front
    }

    /// The number the next record gets (records numbered so far).
    pub fn back(&self) -> u64 {
        self.back
    }

    /// Slots allocated (at least [`len`](Self::len)).
    pub fn ring_len(&self) -> usize {
        self.ring.len()
    }

    /// Records in the window.
    pub fn len(&self) -> usize {
        (self.back - self.front) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.front == self.back
    }

    /// Whether record `n` is in the window.
    pub fn contains(&self, n: u64) -> bool {
        (self.front..self.back).contains(&n)
    }

    /// Adds a record; it gets number [`back`](Self::back).
    #[inline]
    pub fn push(&mut self, value: T) -> u64 {
        if self.len() == self.ring.len() {
            self.grow();
        }
        let n = self.back;
        self.ring[n as usize & self.mask] = value;
        self.back += 1;
        n
    }

    /// Record `n` (in the window; checked in debug builds).
    #[inline]
    pub fn get(&self, n: u64) -> &T {
        debug_assert!(self.contains(n), "record {n} is not in the window");
        &self.ring[n as usize & self.mask]
    }

    #[inline]
    pub fn get_mut(&mut self, n: u64) -> &mut T {
        debug_assert!(self.contains(n), "record {n} is not in the window");
        &mut self.ring[n as usize & self.mask]
    }

    /// The oldest record, if any.
    #[inline]
    pub fn first(&self) -> Option<&T> {
        if self.front == self.back {
            None
        } else {
            Some(&self.ring[self.front as usize & self.mask])
        }
    }

    /// Drops the oldest record (its slot is reused).
    #[inline]
    pub fn pop_front(&mut self) {
        if self.front != self.back {
            self.front += 1;
        }
    }

    /// Takes the oldest record out, if any (leaving the default in its slot).
    #[inline]
    pub fn take_front(&mut self) -> Option<T> {
        if self.front == self.back {
            return None;
        }
        let value = std::mem::take(&mut self.ring[self.front as usize & self.mask]);
        self.front += 1;
        Some(value)
    }

    /// Doubles the ring in place (a `realloc`, which the allocator may do without copying):
    /// records whose slot moves under the wider mask are moved.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        let old = self.ring.len();
        self.ring.resize_with(old * 2, T::default);
        self.mask = old * 2 - 1;
        for n in self.front..self.back {
            let (from, to) = (n as usize & (old - 1), n as usize & self.mask);
            if from != to {
                self.ring[to] = std::mem::take(&mut self.ring[from]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against a plain vector: records pushed and dropped in waves keep their numbers and
    /// values through growth and wrap-around, and the ring stays the size of the window.
    #[test]
    fn a_window_of_numbered_records() {
        let mut s: Slots<u64> = Slots::new();
        let mut all = Vec::new();
        let mut widest = 0;
        for wave in 0..50u64 {
            for i in 0..(wave * 7 % 40) {
                let v = wave * 1000 + i;
                assert_eq!(s.push(v) as usize, all.len());
                all.push(v);
            }
            widest = widest.max(s.len());
            for n in s.front()..s.back() {
                assert_eq!(*s.get(n), all[n as usize]);
            }
            if !s.is_empty() {
                let last = s.back() - 1;
                *s.get_mut(last) += 1;
                *all.last_mut().expect("pushed") += 1;
            }
            // Drop about as many as were added, a few more or fewer: the window drifts.
            for _ in 0..(wave * 7 % 40 + wave % 3)
                .saturating_sub(1)
                .min(s.len() as u64)
            {
                assert_eq!(s.first(), Some(&all[s.front() as usize]));
                if wave % 2 == 0 {
                    s.pop_front();
                } else {
                    let front = s.front() as usize;
                    assert_eq!(s.take_front(), Some(all[front]));
                }
            }
        }
        assert_eq!(s.back() as usize, all.len());
        assert!(
            s.ring.len() <= (2 * widest).max(64),
            "a ring of {} for a window of at most {widest}",
            s.ring.len()
        );
        assert!(all.len() > 4 * s.ring.len(), "the ring was reused");
        while !s.is_empty() {
            s.pop_front();
        }
        assert_eq!(s.first(), None);
        assert_eq!(s.take_front(), None);
        assert!(!s.contains(s.back()));
    }
}
