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

/// Exactly `x.round() as u64`, for every `f64` (NaN and negatives give 0, +∞ gives `u64::MAX`),
/// without the `round` library call (x86-64 without SSE4.1 has no rounding instruction; this
/// runs once per sampled time). Below 2^52 the integer part `i` of a positive `x` is exact and so
/// is `x - i`, so comparing the fraction with one half is `f64::round`'s rule (halves away from
/// zero); from 2^52 on every `f64` is already an integer. The conversions go through `i64`,
/// one instruction each way on x86-64 (`u64` ones are a dozen: this runs at every service time).
pub fn round_to_u64(x: f64) -> u64 {
    if x < 4_503_599_627_370_496.0 {
        // (NaN fails `x < 2^52` above.) Zeros and negatives round to 0, as `as u64` saturates.
        if x <= 0.0 {
            return 0;
        }
        let i = x as i64;
        if x - i as f64 >= 0.5 {
            i as u64 + 1
        } else {
            i as u64
        }
    } else {
        x as u64
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
            SimDuration(round_to_u64(ms * 1_000.0))
        } else {
            SimDuration(0)
        }
    }
    /// Rounds a non-negative number of microseconds to the nearest integer (halves away from
    /// zero, as `f64::round`). Negative or non-finite input maps to zero.
    pub fn from_micros_f64(us: f64) -> Self {
        if us.is_finite() && us > 0.0 {
            SimDuration(round_to_u64(us))
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
    fn round_to_u64_is_f64_round() {
        let mut x = 1e-3f64;
        let mut cases = vec![
            0.5,
            1.5,
            2.5,
            0.49999999999999994,
            4_503_599_627_370_495.5,
            1e300,
        ];
        while x < 1e19 {
            cases.extend([
                x,
                x + 0.5,
                x - 0.5,
                x * 1.000_000_1,
                x.next_up(),
                x.next_down(),
            ]);
            x *= 1.37;
        }
        let specials = [
            0.0,
            -0.0,
            -0.3,
            -0.5,
            -0.7,
            -2.5,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for c in cases.into_iter().chain(specials) {
            assert_eq!(round_to_u64(c), c.round() as u64, "{c:e}");
        }
    }

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
