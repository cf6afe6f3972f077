//! The naïve "timestamp + counter" generator: Snowflake's bit layout without Snowflake's clock
//! check. It is not a real system; it is the baseline the NTP-step scenario compares Snowflake
//! with, and the bug many home-grown generators have.
//!
//! Its only rule is "new millisecond → counter back to 0; same millisecond → counter + 1". When
//! the clock steps back it meets milliseconds it has already used, restarts their counters at 0
//! and re-issues IDs it has already handed out.

use super::generate::{GenError, WaitReason};
use super::snowflake::{pack, Parts, MAX_SEQUENCE, MAX_TIMESTAMP};

#[derive(Clone, Debug)]
pub struct NaiveCounter {
    epoch_ms: u64,
    datacenter: u8,
    worker: u8,
    counter: u16,
    last_ms: Option<u64>,
}

impl NaiveCounter {
    pub fn new(datacenter: u8, worker: u8, epoch_ms: u64) -> Self {
        NaiveCounter {
            epoch_ms,
            datacenter,
            worker,
            counter: 0,
            last_ms: None,
        }
    }

    /// The next ID at clock reading `now_ms`: no check that the clock moved forward.
    pub fn next_id(&mut self, now_ms: u64) -> Result<u64, GenError> {
        let counter = if self.last_ms == Some(now_ms) {
            if self.counter == MAX_SEQUENCE {
                return Err(GenError::Wait {
                    until_ms: now_ms + 1,
                    reason: WaitReason::SequenceSpent,
                });
            }
            self.counter + 1
        } else {
            0
        };
        let timestamp = now_ms
            .checked_sub(self.epoch_ms)
            .filter(|t| *t <= MAX_TIMESTAMP)
            .ok_or(GenError::OutOfRange { now_ms })?;
        self.counter = counter;
        self.last_ms = Some(now_ms);
        Ok(pack(Parts {
            timestamp,
            datacenter: self.datacenter,
            worker: self.worker,
            sequence: counter,
        }))
    }

    pub fn counter(&self) -> u16 {
        self.counter
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_step_back_reissues_ids() {
        let mut g = NaiveCounter::new(0, 0, 0);
        let first: Vec<u64> = (0..3).map(|_| g.next_id(100).unwrap()).collect();
        g.next_id(101).unwrap();
        // NTP steps the clock back to 100: the counter restarts and repeats the first IDs.
        let again: Vec<u64> = (0..3).map(|_| g.next_id(100).unwrap()).collect();
        assert_eq!(first, again);
    }
}
