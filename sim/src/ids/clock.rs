//! Worker clocks that lie: what each machine's wall clock reads at a moment of virtual time.
//!
//! A worker's clock reads `true time + offset + drift + steps`: a fixed offset (its error when
//! the run starts), a drift of a few parts per million that accumulates with time, and NTP steps
//! (an `ntpd`/`chronyd` *step* sets the clock at once, backwards or forwards, unlike a *slew*).
//! True time is the run's virtual time plus the Unix time at which the run starts. Everything is
//! integer microseconds, so the same run reads the same clocks everywhere.

use crate::kernel::time::SimTime;

/// One worker's clock.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkerClock {
    /// Unix µs of true time at virtual time 0.
    start_unix_us: i64,
    offset_us: i64,
    /// Drift in parts per billion (+ runs fast).
    drift_ppb: i64,
    /// NTP steps (virtual time, µs added), in time order.
    steps: Vec<(SimTime, i64)>,
}

impl WorkerClock {
    pub fn new(
        start_unix_ms: u64,
        offset_us: i64,
        drift_ppm: f64,
        mut steps: Vec<(SimTime, i64)>,
    ) -> Self {
        steps.sort_by_key(|s| s.0);
        WorkerClock {
            start_unix_us: start_unix_ms as i64 * 1000,
            offset_us,
            drift_ppb: (drift_ppm * 1000.0).round() as i64,
            steps,
        }
    }

    fn drift_us(&self, t: SimTime) -> i64 {
        (i128::from(t.0) * i128::from(self.drift_ppb)).div_euclid(1_000_000_000) as i64
    }

    fn stepped_us(&self, t: SimTime) -> i64 {
        self.steps
            .iter()
            .take_while(|s| s.0 <= t)
            .map(|s| s.1)
            .sum()
    }

    /// How far the clock is from true time at `t`, in µs (+ ahead).
    pub fn error_us(&self, t: SimTime) -> i64 {
        self.offset_us + self.drift_us(t) + self.stepped_us(t)
    }

    /// What the clock reads at `t`, in Unix µs.
    pub fn read_us(&self, t: SimTime) -> i64 {
        self.start_unix_us + t.0 as i64 + self.error_us(t)
    }

    /// What the clock reads at `t`, in whole Unix ms (0 if it reads before 1970).
    pub fn read_ms(&self, t: SimTime) -> u64 {
        self.read_us(t).div_euclid(1000).max(0) as u64
    }

    /// The earliest virtual time at or after `from` when the clock reads at least `unix_ms`.
    pub fn first_reading(&self, unix_ms: u64, from: SimTime) -> SimTime {
        let target = unix_ms as i64 * 1000;
        let mut seg_start = from;
        for &(at, _) in self.steps.iter().filter(|s| s.0 > from) {
            // Within [seg_start, at) no step happens: the reading only grows.
            if self.read_us(SimTime(at.0 - 1)) >= target {
                return self.search(target, seg_start, SimTime(at.0 - 1));
            }
            seg_start = at;
        }
        // After the last step: the clock advances at least half as fast as true time (drift is
        // limited to ±1 %), so the answer is within twice the remaining gap.
        let gap = (target - self.read_us(seg_start)).max(0) as u64;
        self.search(target, seg_start, SimTime(seg_start.0 + 2 * gap + 2))
    }

    /// Binary search on a step-free interval where the reading is non-decreasing.
    fn search(&self, target: i64, mut lo: SimTime, mut hi: SimTime) -> SimTime {
        if self.read_us(lo) >= target {
            return lo;
        }
        while lo.0 + 1 < hi.0 {
            let mid = SimTime(lo.0 + (hi.0 - lo.0) / 2);
            if self.read_us(mid) >= target {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_drift_and_steps_add_up() {
        let c = WorkerClock::new(1_000, 500, 100.0, vec![(SimTime(2_000_000), -800_000)]);
        assert_eq!(c.read_us(SimTime(0)), 1_000_500);
        // 100 ppm over one second is 100 µs.
        assert_eq!(c.error_us(SimTime(1_000_000)), 600);
        assert_eq!(c.error_us(SimTime(2_000_000)), 500 + 200 - 800_000);
        assert_eq!(c.read_ms(SimTime(0)), 1_000);
    }

    #[test]
    fn first_reading_finds_the_exact_microsecond() {
        let c = WorkerClock::new(0, 0, 0.0, vec![(SimTime(10_000), -5_000)]);
        // Before the step, 3 ms is read at 3000 µs.
        assert_eq!(c.first_reading(3, SimTime(0)), SimTime(3_000));
        // 12 ms is first read after the step took 5 ms away: at 17 000 µs.
        assert_eq!(c.first_reading(12, SimTime(0)), SimTime(17_000));
        // From 10 000 (just stepped back to 5 ms), reading 9 ms again takes until 14 000.
        assert_eq!(c.first_reading(9, SimTime(10_000)), SimTime(14_000));
        let fast = WorkerClock::new(0, 0, -10_000.0, vec![]);
        let t = fast.first_reading(99, SimTime(0));
        assert!(fast.read_us(t) >= 99_000 && fast.read_us(SimTime(t.0 - 1)) < 99_000);
    }
}
