//! Virtual time: integer microseconds, never a wall clock.
//!
//! Two types keep instants and lengths apart, like `std::time::{Instant, Duration}`, but both are
//! plain integers so arithmetic is exact and identical on every platform.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// An instant of virtual time, in microseconds since the start of the run.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct SimTime(pub u64);

/// A length of virtual time, in microseconds.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct SimDuration(pub u64);

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);

    pub const fn from_micros(us: u64) -> Self {
        SimTime(us)
    }
    pub const fn as_micros(self) -> u64 {
        self.0
    }
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1e6
    }
    pub fn as_millis_f64(self) -> f64 {
        self.0 as f64 / 1e3
    }
    /// The length from `earlier` to `self`; zero if `earlier` is later (never wraps).
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl SimDuration {
    pub const ZERO: SimDuration = SimDuration(0);

    pub const fn from_micros(us: u64) -> Self {
        SimDuration(us)
    }
    pub const fn from_millis(ms: u64) -> Self {
        SimDuration(ms * 1_000)
    }
    /// Rounds a non-negative number of milliseconds to the nearest microsecond.
    /// Negative or non-finite input (which validated parameters never produce) maps to zero.
    pub fn from_millis_f64(ms: f64) -> Self {
        if ms.is_finite() && ms > 0.0 {
            SimDuration((ms * 1_000.0).round() as u64)
        } else {
            SimDuration(0)
        }
    }
    /// Rounds a non-negative number of microseconds to the nearest integer.
    pub fn from_micros_f64(us: f64) -> Self {
        if us.is_finite() && us > 0.0 {
            SimDuration(us.round() as u64)
        } else {
            SimDuration(0)
        }
    }
    pub const fn as_micros(self) -> u64 {
        self.0
    }
    pub fn as_millis_f64(self) -> f64 {
        self.0 as f64 / 1e3
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, d: SimDuration) {
        *self = *self + d;
    }
}

impl Sub<SimTime> for SimTime {
    type Output = SimDuration;
    fn sub(self, earlier: SimTime) -> SimDuration {
        self.since(earlier)
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, d: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(d.0))
    }
}

/// Human form used in narration: `1.234 s`, `12.5 ms`, `80 µs`.
impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&SimDuration(self.0), f)
    }
}

impl fmt::Display for SimDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let us = self.0;
        if us >= 1_000_000 {
            write!(f, "{:.3} s", us as f64 / 1e6)
        } else if us >= 1_000 {
            let ms = us as f64 / 1e3;
            if us.is_multiple_of(1_000) {
                write!(f, "{ms:.0} ms")
            } else {
                write!(f, "{ms:.1} ms")
            }
        } else {
            write!(f, "{us} µs")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_picks_a_readable_unit() {
        let cases = [
            (0, "0 µs"),
            (80, "80 µs"),
            (1_000, "1 ms"),
            (12_500, "12.5 ms"),
            (1_234_000, "1.234 s"),
        ];
        for (us, want) in cases {
            assert_eq!(SimDuration(us).to_string(), want, "{us} µs");
        }
    }

    #[test]
    fn arithmetic_saturates_instead_of_wrapping() {
        assert_eq!(SimTime(5) - SimTime(9), SimDuration(0));
        assert_eq!(SimTime(u64::MAX) + SimDuration(1), SimTime(u64::MAX));
        assert_eq!(SimDuration::from_millis_f64(1.2345), SimDuration(1_235));
        assert_eq!(SimDuration::from_millis_f64(f64::NAN), SimDuration(0));
    }
}
