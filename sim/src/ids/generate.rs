//! What every generator shares: where random bits come from, and the ways a generator can
//! decline to issue an ID right now.
//!
//! Generators never read a clock or an ambient random source. The caller passes the time
//! (`now_ms`, Unix milliseconds as the generator's own clock reads it) and an [`Entropy`]: the
//! simulation passes a worker's skewed clock and a seeded [`SimRng`] stream, the browser's live
//! mode passes `Date.now()` and `crypto.getRandomValues`.

use crate::kernel::rng::SimRng;
use std::fmt;

/// A source of random bytes.
pub trait Entropy {
    fn fill(&mut self, buf: &mut [u8]);
}

/// The seeded generator: 8 bytes per draw, most significant byte first, so a stream of draws
/// maps to the same bytes on every platform.
impl Entropy for SimRng {
    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next_u64().to_be_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

/// Fixed bytes, handed out in order and then zeros: known-answer tests and replaying the RFC
/// examples from their fixed inputs.
pub struct FixedBytes<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> FixedBytes<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        FixedBytes { bytes, at: 0 }
    }
}

impl Entropy for FixedBytes<'_> {
    fn fill(&mut self, buf: &mut [u8]) {
        for b in buf {
            *b = self.bytes.get(self.at).copied().unwrap_or(0);
            self.at += 1;
        }
    }
}

/// Why a generator asks to be called again later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitReason {
    /// Every sequence number of this tick is used (Snowflake: 4096 per ms per worker).
    SequenceSpent,
    /// The clock reads earlier than the last timestamp used, and the policy is to wait.
    ClockBehind,
    /// A UUIDv7 counter rolled over within one millisecond (RFC 9562 §6.2: freeze and wait).
    CounterRollover,
}

/// A generator declined to issue an ID at this clock reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenError {
    /// Call again once the clock reads at least `until_ms`; nothing was used up.
    Wait { until_ms: u64, reason: WaitReason },
    /// Refused outright: the clock reads `now_ms`, before the last timestamp used, `last_ms`
    /// (Twitter's `InvalidSystemClock`). The caller's request fails.
    ClockBackwards { now_ms: u64, last_ms: u64 },
    /// More IDs in one millisecond than the random part can count (ULID: the spec's "the
    /// generation will fail").
    Overflow,
    /// The clock reads outside what the layout can encode (before its epoch, or past the last
    /// representable tick).
    OutOfRange { now_ms: u64 },
}

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            GenError::Wait { until_ms, reason } => {
                let why = match reason {
                    WaitReason::SequenceSpent => "the sequence of this millisecond is spent",
                    WaitReason::ClockBehind => "the clock is behind the last timestamp used",
                    WaitReason::CounterRollover => "the counter rolled over in this millisecond",
                };
                write!(f, "wait until the clock reads {until_ms} ms: {why}")
            }
            GenError::ClockBackwards { now_ms, last_ms } => write!(
                f,
                "clock moved backwards: refusing to generate an ID for {} ms",
                last_ms.saturating_sub(now_ms)
            ),
            GenError::Overflow => f.write_str("the random part overflowed within one millisecond"),
            GenError::OutOfRange { now_ms } => {
                write!(
                    f,
                    "the clock reading {now_ms} ms does not fit the ID layout"
                )
            }
        }
    }
}

impl std::error::Error for GenError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_bytes_then_zeros() {
        let mut e = FixedBytes::new(&[1, 2, 3]);
        let mut buf = [9u8; 5];
        e.fill(&mut buf);
        assert_eq!(buf, [1, 2, 3, 0, 0]);
    }

    #[test]
    fn sim_rng_bytes_are_big_endian_draws() {
        let mut a = SimRng::new(5, 1);
        let mut b = SimRng::new(5, 1);
        let mut buf = [0u8; 10];
        a.fill(&mut buf);
        let first = b.next_u64().to_be_bytes();
        let second = b.next_u64().to_be_bytes();
        assert_eq!(&buf[..8], &first);
        assert_eq!(&buf[8..], &second[..2]);
    }
}
