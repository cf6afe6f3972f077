//! The event queue: a binary heap ordered by (time, insertion sequence).
//!
//! Ties in time are broken by the order in which events were scheduled, so a run never depends on
//! the heap's internal layout. This is the classic discrete-event scheduler (as in SimPy's
//! `Environment` and FoundationDB's simulator), with integer time.

use super::heap::{Entry, Heap};
use super::time::{SimDuration, SimTime};
pub use super::timers::Timer;
use super::timers::Timers;
use std::collections::VecDeque;

/// A scheduled event: `key` is (time, sequence) packed into one integer, `time << 64 | seq`, so
/// ordering two entries is one comparison (this runs several times per event in the heap).
impl<E> Entry<E> {
    fn new(at: SimTime, seq: u64, event: E) -> Self {
        Entry {
            key: key(at, seq),
            event,
        }
    }

    fn at(&self) -> SimTime {
        SimTime((self.key >> 64) as u64)
    }
}

/// A scheduler of block-defined events `E` over virtual time.
///
/// `now` only moves forward: scheduling in the past is a bug in a block and is clamped to `now`
/// in release builds (and asserted in debug builds), so time never runs backwards in a run.
///
/// Besides the heap there are FIFO *lanes* for events scheduled a constant delay ahead (every hop
/// over a link of fixed latency, every timeout of a fixed length): such events arrive in time
/// order by construction, so a queue holds them at O(1) instead of O(log n) — the idea of the
/// timing-wheel papers (Varghese & Lauck, SOSP 1987). The order of events is exactly the same as
/// with the heap alone: everything is popped by (time, sequence).
pub struct Scheduler<E> {
    heap: Heap<E>,
    lanes: Vec<VecDeque<Entry<E>>>,
    /// Lanes of cancellable timers ([`Scheduler::timer_lane`]); timer lane `k` is front
    /// `timer_slots[k]`.
    timers: Vec<Timers<E>>,
    timer_slots: Vec<usize>,
    /// Bit `i` set when front `i` belongs to a timer lane.
    timer_mask: u64,
    /// The (time, sequence) of each lane's front event, [`NONE`] when the lane is empty: `pop`
    /// compares these few words instead of reaching into every lane's buffer. FIFO lanes and
    /// timer lanes share this index space (FIFO lane `j` is front `j`).
    fronts: Vec<u128>,
    /// The smallest of `fronts` and its lane: `pop` compares the heap's top with this one key,
    /// and scans `fronts` again only after it took a lane's front.
    lane_min: u128,
    lane_min_at: usize,
    /// Bit `i` set when lane `i` holds events: the scan visits only those.
    nonempty: u64,
    seq: u64,
    now: SimTime,
    processed: u64,
}

/// A FIFO lane of a [`Scheduler`] (see [`Scheduler::lane`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lane(usize);

/// A lane of cancellable timers of a [`Scheduler`] (see [`Scheduler::timer_lane`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerLane {
    /// Index in `Scheduler::timers`.
    k: usize,
    /// Index in `Scheduler::fronts`.
    slot: usize,
}

/// The front key of an empty lane: later than any real event.
const NONE: u128 = u128::MAX;

/// (time, sequence) as one integer, ordered the same way (one comparison instead of two).
fn key(at: SimTime, seq: u64) -> u128 {
    (u128::from(at.0) << 64) | u128::from(seq)
}

impl<E: Copy> Default for Scheduler<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> Scheduler<E> {
    pub fn new() -> Self {
        Scheduler {
            heap: Heap::new(),
            lanes: Vec::new(),
            timers: Vec::new(),
            timer_slots: Vec::new(),
            timer_mask: 0,
            fronts: Vec::new(),
            lane_min: NONE,
            lane_min_at: 0,
            nonempty: 0,
            seq: 0,
            now: SimTime::ZERO,
            processed: 0,
        }
    }

    /// A new FIFO lane, for events that are always scheduled the same delay after `now`.
    pub fn lane(&mut self) -> Lane {
        assert!(self.fronts.len() < 64, "a scheduler has at most 64 lanes");
        assert!(
            self.timers.is_empty(),
            "FIFO lanes are made before timer lanes"
        );
        self.lanes.push(VecDeque::new());
        self.fronts.push(NONE);
        Lane(self.lanes.len() - 1)
    }

    /// A new lane of cancellable timers, each set the same delay after `now` (a request
    /// timeout). A cancelled timer keeps only its key: it is still counted as processed when its
    /// time comes (as the stale event it replaces would have been), but never delivered.
    pub fn timer_lane(&mut self) -> TimerLane {
        assert!(self.fronts.len() < 64, "a scheduler has at most 64 lanes");
        self.timers.push(Timers::new());
        self.fronts.push(NONE);
        let slot = self.fronts.len() - 1;
        self.timer_slots.push(slot);
        self.timer_mask |= 1 << slot;
        TimerLane {
            k: self.timers.len() - 1,
            slot,
        }
    }

    /// Sets a timer: `event` at `at` through `lane`, with a handle to [`cancel`](Self::cancel)
    /// it. If `at` is earlier than the lane's newest timer it goes to the heap instead (order
    /// stays exact) and cannot be cancelled ([`Timer::NONE`]): it is delivered.
    #[inline]
    pub fn set_timer(&mut self, lane: TimerLane, at: SimTime, event: E) -> Timer {
        let at = at.max(self.now);
        let t = &mut self.timers[lane.k];
        if t.back_time().is_some_and(|last| last > at.0) {
            self.heap.push(Entry::new(at, self.seq, event));
            self.seq += 1;
            return Timer::NONE;
        }
        let k = key(at, self.seq);
        self.seq += 1;
        let was_empty = t.front() == NONE;
        let timer = t.push(k, event);
        if was_empty {
            self.fronts[lane.slot] = k;
            self.nonempty |= 1 << lane.slot;
            if k < self.lane_min {
                self.lane_min = k;
                self.lane_min_at = lane.slot;
            }
        }
        timer
    }

    /// Cancels a timer of `lane` that has not fired: its event is dropped now, and it will not
    /// be delivered (it still counts as processed at its time). Cancelling a timer that fired,
    /// was cancelled, or is [`Timer::NONE`] does nothing.
    #[inline]
    pub fn cancel(&mut self, lane: TimerLane, timer: Timer) {
        self.timers[lane.k].cancel(timer);
    }

    /// Schedules `event` at `at` through `lane`. If `at` is earlier than the lane's last event
    /// (the delay was not constant after all) it goes to the heap instead: order stays exact.
    #[inline(always)]
    pub fn at_in(&mut self, lane: Lane, at: SimTime, event: E) {
        let at = at.max(self.now);
        let entry = Entry::new(at, self.seq, event);
        self.seq += 1;
        let q = &mut self.lanes[lane.0];
        if q.is_empty() {
            self.fronts[lane.0] = entry.key;
            self.nonempty |= 1 << lane.0;
            if entry.key < self.lane_min {
                self.lane_min = entry.key;
                self.lane_min_at = lane.0;
            }
            q.push_back(entry);
        } else if q.back().is_some_and(|last| last.at() <= at) {
            q.push_back(entry);
        } else {
            self.heap.push(entry);
        }
    }

    /// The current virtual time: the time of the event most recently popped.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// How many events have been popped so far (the engine's unit of work in benchmarks).
    pub fn processed(&self) -> u64 {
        self.processed
    }

    /// Whether nothing is pending (cancelled timers not yet due count as pending).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Pending events, cancelled timers not yet due included.
    pub fn len(&self) -> usize {
        self.heap.len()
            + self.lanes.iter().map(VecDeque::len).sum::<usize>()
            + self.timers.iter().map(Timers::len).sum::<usize>()
    }

    /// The key of the heap's earliest event ([`NONE`] if the heap is empty).
    fn heap_min(&self) -> u128 {
        self.heap.min_key().unwrap_or(NONE)
    }

    /// Finds the earliest lane front again (after a lane's front was taken).
    fn rescan_lanes(&mut self) {
        let (mut best, mut at) = (NONE, 0);
        let mut lanes = self.nonempty;
        while lanes != 0 {
            let i = lanes.trailing_zeros() as usize;
            lanes &= lanes - 1;
            let front = self.fronts[i];
            if front < best {
                best = front;
                at = i;
            }
        }
        self.lane_min = best;
        self.lane_min_at = at;
    }

    /// Schedules `event` at the absolute time `at` (not before now).
    #[inline]
    pub fn at(&mut self, at: SimTime, event: E) {
        debug_assert!(
            at >= self.now,
            "scheduled at {at:?} before now {:?}",
            self.now
        );
        let at = at.max(self.now);
        self.heap.push(Entry::new(at, self.seq, event));
        self.seq += 1;
    }

    /// Schedules `event` after `delay` from now.
    #[inline]
    pub fn after(&mut self, delay: SimDuration, event: E) {
        self.at(self.now + delay, event);
    }

    /// Pops the earliest event and advances `now` to its time. A cancelled timer whose time
    /// comes is counted (`processed`) and skipped.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        loop {
            let entry = if self.lane_min < self.heap_min() {
                let i = self.lane_min_at;
                if self.timer_mask & (1 << i) != 0 {
                    match self.pop_timer(i) {
                        Some(e) => e,
                        None => continue,
                    }
                } else {
                    let q = &mut self.lanes[i];
                    let entry = q.pop_front()?;
                    self.fronts[i] = match q.front() {
                        Some(e) => e.key,
                        None => {
                            self.nonempty &= !(1 << i);
                            NONE
                        }
                    };
                    self.rescan_lanes();
                    entry
                }
            } else {
                self.heap.pop()?
            };
            let at = entry.at();
            self.now = at;
            self.processed += 1;
            return Some((at, entry.event));
        }
    }

    /// Takes the front timer of the timer lane at front `slot`: its entry, or `None` if it was
    /// cancelled (then it is counted here, as processed at its time).
    #[inline(never)]
    fn pop_timer(&mut self, slot: usize) -> Option<Entry<E>> {
        let k = self
            .timer_slots
            .iter()
            .position(|&s| s == slot)
            .expect("a timer slot");
        let t = &mut self.timers[k];
        let (key, event) = t.pop();
        let front = t.front();
        self.fronts[slot] = front;
        if front == NONE {
            self.nonempty &= !(1 << slot);
        }
        self.rescan_lanes();
        match event {
            Some(event) => Some(Entry { key, event }),
            None => {
                self.now = SimTime((key >> 64) as u64);
                self.processed += 1;
                None
            }
        }
    }

    /// The time of the next event without popping it.
    pub fn peek_time(&self) -> Option<SimTime> {
        let key = self.heap_min().min(self.lane_min);
        (key != NONE).then_some(SimTime((key >> 64) as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order_and_breaks_ties_by_insertion() {
        let mut q = Scheduler::new();
        q.at(SimTime(30), "c");
        q.at(SimTime(10), "a1");
        q.at(SimTime(20), "b");
        q.at(SimTime(10), "a2");
        q.at(SimTime(10), "a3");
        let order: Vec<_> = std::iter::from_fn(|| q.pop())
            .map(|(t, e)| (t.0, e))
            .collect();
        assert_eq!(
            order,
            vec![(10, "a1"), (10, "a2"), (10, "a3"), (20, "b"), (30, "c")]
        );
        assert_eq!(q.processed(), 5);
        assert_eq!(q.now(), SimTime(30));
    }

    #[test]
    fn lanes_merge_with_the_heap_in_time_and_sequence_order() {
        let mut q = Scheduler::new();
        let hops = q.lane();
        q.at_in(hops, SimTime(10), "hop a");
        q.at(SimTime(10), "heap b");
        q.at_in(hops, SimTime(10), "hop c");
        q.at(SimTime(5), "heap first");
        q.at_in(hops, SimTime(20), "hop d");
        q.at_in(hops, SimTime(15), "out of order goes to the heap");
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).map(|(_, e)| e).collect();
        assert_eq!(
            order,
            vec![
                "heap first",
                "hop a",
                "heap b",
                "hop c",
                "out of order goes to the heap",
                "hop d"
            ]
        );
    }

    /// Random schedules through the heap and three lanes (constant and jittered delays, so some
    /// lane events fall back to the heap) pop exactly as a plain sort by (time, insertion) would.
    #[test]
    fn pops_match_a_sorted_reference_under_random_schedules() {
        use crate::kernel::rng::SimRng;
        for seed in 0..40 {
            let mut rng = SimRng::new(seed, 77);
            let mut q = Scheduler::new();
            let lanes = [q.lane(), q.lane(), q.lane()];
            let mut model: Vec<(u64, u64)> = Vec::new(); // (time, id) in insertion order
            let mut got = Vec::new();
            let mut want = Vec::new();
            let mut id = 0u64;
            for _ in 0..400 {
                let now = q.now().0;
                match rng.below(5) {
                    0 | 1 => {
                        let at = now + rng.below(50);
                        q.at(SimTime(at), id);
                        model.push((at, id));
                        id += 1;
                    }
                    2 | 3 => {
                        let l = rng.below(3) as usize;
                        let delay =
                            [0, 10, 40][l] + if rng.below(8) == 0 { rng.below(30) } else { 0 };
                        q.at_in(lanes[l], SimTime(now + delay), id);
                        model.push((now + delay, id));
                        id += 1;
                    }
                    _ => {
                        assert_eq!(q.peek_time().map(|t| t.0), model.iter().map(|m| m.0).min());
                        got.extend(q.pop().map(|(t, e)| (t.0, e)));
                        if let Some(i) = (0..model.len()).min_by_key(|&i| model[i]) {
                            want.push(model.remove(i));
                        }
                    }
                }
            }
            got.extend(std::iter::from_fn(|| q.pop()).map(|(t, e)| (t.0, e)));
            model.sort();
            want.extend(model);
            assert_eq!(got, want, "seed {seed}");
            assert!(q.is_empty() && q.peek_time().is_none());
        }
    }

    /// The same with a timer lane whose timers are cancelled at random: a cancelled timer is
    /// never delivered, but counts as processed exactly when the sorted reference reaches it.
    #[test]
    fn cancelled_timers_are_skipped_but_counted_in_order() {
        use crate::kernel::rng::SimRng;
        for seed in 0..40 {
            let mut rng = SimRng::new(seed, 78);
            let mut q = Scheduler::new();
            let lane = q.lane();
            let timers = q.timer_lane();
            // (time, id, cancelled) of every pending event; ids grow with insertion.
            let mut model: Vec<(u64, u64, bool)> = Vec::new();
            let mut handles: Vec<(u64, Timer)> = Vec::new();
            let (mut id, mut counted, mut skipped) = (0u64, 0u64, 0u64);
            for _ in 0..600 {
                let now = q.now().0;
                match rng.below(7) {
                    0 => {
                        let at = now + rng.below(60);
                        q.at(SimTime(at), id);
                        model.push((at, id, false));
                    }
                    1 => {
                        let at = now + 10 + if rng.below(8) == 0 { rng.below(30) } else { 0 };
                        q.at_in(lane, SimTime(at), id);
                        model.push((at, id, false));
                    }
                    2 | 3 => {
                        // Mostly a constant delay; now and then a shorter one (to the heap).
                        let delay = if rng.below(10) == 0 {
                            rng.below(25)
                        } else {
                            25
                        };
                        let t = q.set_timer(timers, SimTime(now + delay), id);
                        handles.push((id, t));
                        model.push((now + delay, id, false));
                    }
                    4 => {
                        if handles.is_empty() {
                            continue;
                        }
                        let pick = rng.below(handles.len() as u64) as usize;
                        let (cid, t) = handles.swap_remove(pick);
                        q.cancel(timers, t);
                        // A timer that went to the heap cannot be cancelled: it is delivered.
                        if t != Timer::NONE {
                            if let Some(m) = model.iter_mut().find(|m| m.1 == cid) {
                                m.2 = true;
                            }
                        }
                        continue;
                    }
                    _ => {
                        assert_eq!(q.peek_time().map(|t| t.0), model.iter().map(|m| m.0).min());
                        let got = q.pop().map(|(t, e)| (t.0, e));
                        let mut want = None;
                        while let Some(i) =
                            (0..model.len()).min_by_key(|&i| (model[i].0, model[i].1))
                        {
                            let (t, e, cancelled) = model.remove(i);
                            counted += 1;
                            if !cancelled {
                                want = Some((t, e));
                                break;
                            }
                            skipped += 1;
                        }
                        assert_eq!(got, want, "seed {seed}");
                        assert_eq!(q.processed(), counted, "seed {seed}");
                        if let Some((_, e)) = want {
                            handles.retain(|h| h.0 != e);
                        }
                        continue;
                    }
                }
                id += 1;
                assert_eq!(q.len(), model.len());
            }
            while let Some((t, e)) = q.pop() {
                model.sort();
                let i = model.iter().position(|m| !m.2).expect("a live event");
                counted += i as u64 + 1;
                skipped += i as u64;
                let (mt, me, _) = model.remove(i);
                model.drain(..i);
                assert_eq!((t.0, e), (mt, me), "seed {seed}");
                assert_eq!(q.processed(), counted, "seed {seed}");
            }
            assert!(model.iter().all(|m| m.2), "only cancelled timers were left");
            assert!(skipped > 0, "seed {seed}: some cancelled timer came due");
        }
    }

    #[test]
    fn after_is_relative_to_the_popped_time() {
        let mut q = Scheduler::new();
        q.at(SimTime(100), 1);
        q.pop();
        q.after(SimDuration(5), 2);
        assert_eq!(q.pop(), Some((SimTime(105), 2)));
    }
}
