//! A FIFO lane of cancellable timers for the scheduler: a cancelled timer gives its event's
//! memory back at once and keeps only its (time, sequence) key, packed into one word.
//!
//! Most timers never fire (a request timeout is cancelled when the reply arrives first), yet the
//! kernel counts a cancelled timer as processed when its time comes, exactly as it counted the
//! stale event it used to pop and ignore: `kernel_events` stays the same number. So the keys of
//! all pending timers are kept, in order, as deltas from the previous key (usually 4 bytes
//! instead of a 32-byte scheduler entry), and the events only for the span of ids from the
//! earliest live timer to the newest one (a few in-flight requests, not every request of the
//! run).

use super::slots::Slots;

/// The handle of a timer, to cancel it ([`Timer::NONE`] for a timer that cannot be cancelled).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timer(pub(crate) u64);

impl Timer {
    /// No timer: cancelling it does nothing.
    pub const NONE: Timer = Timer(u64::MAX);
}

impl Default for Timer {
    fn default() -> Self {
        Timer::NONE
    }
}

/// The key of no timer: later than any real one.
const NONE: u128 = u128::MAX;
/// A packed delta that does not fit one word: the absolute time and sequence follow, as four
/// words (high half first).
const WIDE: u32 = u32::MAX;
/// A delta packs as `Δtime << SEQ_BITS | Δsequence` when Δtime < [`MAX_DT`] (4.19 s) and
/// Δsequence < 2^[`SEQ_BITS`] (never [`WIDE`]).
const SEQ_BITS: u32 = 10;
const MAX_DT: u64 = (1 << (32 - SEQ_BITS)) - 1;

pub(crate) struct Timers<E> {
    /// The key of the earliest pending timer (id `front_id`), [`NONE`] when none is pending.
    front: u128,
    /// The key of the newest timer.
    back: u128,
    /// The keys after the front, each as a packed delta from the previous one, or [`WIDE`]
    /// followed by the absolute time and sequence.
    rest: Slots<u32>,
    front_id: u64,
    /// The events by timer id, from the earliest live one to the newest (`None` when
    /// cancelled; cancelled ids at the front leave at once).
    live: Slots<Option<E>>,
}

impl<E> Timers<E> {
    pub(crate) fn new() -> Self {
        Timers {
            front: NONE,
            back: NONE,
            rest: Slots::new(),
            front_id: 0,
            live: Slots::new(),
        }
    }

    /// The earliest pending key ([`NONE`] if none).
    pub(crate) fn front(&self) -> u128 {
        self.front
    }

    /// The time of the newest timer (a new one must not be earlier).
    pub(crate) fn back_time(&self) -> Option<u64> {
        if self.front == NONE {
            None
        } else {
            Some((self.back >> 64) as u64)
        }
    }

    /// Pending timers, cancelled ones included (they are still counted when their time comes).
    pub(crate) fn len(&self) -> usize {
        (self.live.back() - self.front_id) as usize
    }

    /// Adds a timer with `key`, not earlier than the newest one.
    #[inline]
    pub(crate) fn push(&mut self, key: u128, event: E) -> Timer {
        if self.front == NONE {
            self.front = key;
        } else {
            debug_assert!(key > self.back);
            let (t, s) = ((key >> 64) as u64, key as u64);
            let (dt, ds) = (t - (self.back >> 64) as u64, s - self.back as u64);
            if dt < MAX_DT && ds < 1 << SEQ_BITS {
                self.rest.push((dt << SEQ_BITS | ds) as u32);
            } else {
                self.push_wide(t, s);
            }
        }
        self.back = key;
        Timer(self.live.push(Some(event)))
    }

    #[cold]
    #[inline(never)]
    fn push_wide(&mut self, t: u64, s: u64) {
        self.rest.push(WIDE);
        for word in [t >> 32, t, s >> 32, s] {
            self.rest.push(word as u32);
        }
    }

    /// Cancels `timer` if it is still pending and live; its key stays until its time.
    pub(crate) fn cancel(&mut self, timer: Timer) {
        if self.live.contains(timer.0) {
            *self.live.get_mut(timer.0) = None;
            self.drop_dead();
        }
    }

    /// Drops cancelled events at the front of `live`.
    #[inline]
    fn drop_dead(&mut self) {
        while let Some(None) = self.live.first() {
            self.live.pop_front();
        }
    }

    /// Takes the earliest timer: its key and its event, `None` if it was cancelled.
    pub(crate) fn pop(&mut self) -> (u128, Option<E>) {
        let key = self.front;
        debug_assert!(key != NONE, "pop from an empty timer lane");
        let event = if self.live.front() == self.front_id && !self.live.is_empty() {
            let event = self.live.take_front().flatten();
            self.drop_dead();
            event
        } else {
            None
        };
        self.front_id += 1;
        self.front = match self.rest.take_front() {
            None => NONE,
            Some(WIDE) => {
                let mut word = || u64::from(self.rest.take_front().unwrap_or_default());
                let t = word() << 32 | word();
                let s = word() << 32 | word();
                u128::from(t) << 64 | u128::from(s)
            }
            Some(d) => {
                let t = (key >> 64) as u64 + u64::from(d >> SEQ_BITS);
                let s = key as u64 + u64::from(d & ((1 << SEQ_BITS) - 1));
                u128::from(t) << 64 | u128::from(s)
            }
        };
        (key, event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(t: u64, s: u64) -> u128 {
        u128::from(t) << 64 | u128::from(s)
    }

    #[test]
    fn keys_survive_packing_including_wide_gaps() {
        let mut q = Timers::new();
        let keys = [
            key(5, 1),
            key(5, 9),
            key(5 + MAX_DT - 1, 9 + 1023),
            key(5 + 2 * MAX_DT, 9 + 1023 + 1),
            key(u64::from(u32::MAX) + 100, 2000),
            key(u64::from(u32::MAX) + 100, 2000 + (1 << 40)),
            key(u64::MAX - 1, u64::MAX - 1),
        ];
        let timers: Vec<Timer> = keys.iter().map(|&k| q.push(k, k)).collect();
        q.cancel(timers[1]);
        q.cancel(timers[3]);
        q.cancel(timers[5]);
        assert_eq!(q.len(), 7);
        assert_eq!(q.rest.len(), 2 + 4 * 5, "two packed deltas, four wide ones");
        let popped: Vec<_> = (0..7).map(|_| q.pop()).collect();
        let cancelled = [1, 3, 5];
        let want: Vec<_> = (0..7)
            .map(|i| (keys[i], (!cancelled.contains(&i)).then_some(keys[i])))
            .collect();
        assert_eq!(popped, want);
        assert_eq!(q.len(), 0);
        assert_eq!(q.front(), NONE);
    }

    #[test]
    fn cancelled_events_are_freed_while_their_keys_wait() {
        let mut q = Timers::new();
        let mut t = Vec::new();
        for i in 0..100 {
            t.push(q.push(key(10 + i, i), i));
            if i < 99 {
                q.cancel(t[i as usize]);
            }
        }
        assert_eq!(q.live.len(), 1, "only the live timer's event is kept");
        assert!(q.live.ring_len() <= 64, "and its ring stays small");
        assert_eq!(q.len(), 100);
        // Cancelling twice, or a timer already popped, changes nothing.
        q.cancel(t[3]);
        for i in 0..99 {
            assert_eq!(q.pop(), (key(10 + i, i), None));
        }
        assert_eq!(q.pop(), (key(109, 99), Some(99)));
        q.cancel(t[99]);
        assert_eq!(q.len(), 0);
    }
}
