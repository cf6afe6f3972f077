//! Sonyflake, as `sonyflake.go` in sony/sonyflake (v1) builds it.
//!
//! A 63-bit ID in a 64-bit integer, most significant bit first:
//!
//! ```text
//!  1 bit  unused (0)
//! 39 bits time in units of 10 ms since the start time (default 2014-09-01T00:00:00Z)
//!  8 bits sequence within the 10 ms tick
//! 16 bits machine id (default: the lower 16 bits of the private IPv4 address)
//! ```
//!
//! `NextID()`: with `current` the elapsed ticks now, if the stored `elapsedTime < current` it
//! takes `current` and restarts the sequence at 0; otherwise (same tick, *or a clock that went
//! back*) it increments the sequence, and when that wraps to 0 it moves `elapsedTime` one tick
//! ahead and sleeps until the clock gets there (`overtime × 10 ms − now mod 10 ms`) before
//! returning the ID. So Sonyflake never refuses and never repeats: a clock step back only makes
//! it run on its stored time, at 256 IDs per tick, sleeping through the gap. The sequence starts
//! at 255 so the very first call lands on a fresh tick.

use super::decode::{DecodeError, Decoded, Field, Format};
use super::generate::GenError;
use super::utc::format_unix_ms;
use std::borrow::Cow;

/// The default start time: 2014-09-01T00:00:00Z.
pub const DEFAULT_START_MS: u64 = 1_409_529_600_000;
pub const TIME_BITS: u32 = 39;
pub const SEQUENCE_BITS: u32 = 8;
pub const MACHINE_BITS: u32 = 16;
/// One tick: 10 ms.
pub const TICK_MS: u64 = 10;
/// 255: so 256 IDs per tick per machine.
pub const MAX_SEQUENCE: u16 = (1 << SEQUENCE_BITS) - 1;
pub const MAX_TIME: u64 = (1 << TIME_BITS) - 1;

/// An ID and how long `NextID()` slept before returning it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Issued {
    pub id: u64,
    pub sleep_ms: u64,
}

/// The machine id Sonyflake derives from a private IPv4 address: `ip[2] << 8 + ip[3]`.
pub fn machine_id_from_ip(ip: [u8; 4]) -> u16 {
    (u16::from(ip[2]) << 8) | u16::from(ip[3])
}

/// One Sonyflake instance.
#[derive(Clone, Debug)]
pub struct Sonyflake {
    start_ticks: u64,
    machine: u16,
    elapsed: u64,
    sequence: u16,
}

impl Sonyflake {
    pub fn new(machine: u16, start_ms: u64) -> Self {
        Sonyflake {
            start_ticks: start_ms / TICK_MS,
            machine,
            elapsed: 0,
            sequence: MAX_SEQUENCE,
        }
    }

    /// The next ID at clock reading `now_ms`. An error only when the clock reads before the
    /// start time (`ErrStartTimeAhead`) or past 2^39 ticks (`ErrOverTimeLimit`).
    pub fn next_id(&mut self, now_ms: u64) -> Result<Issued, GenError> {
        let now_ticks = now_ms / TICK_MS;
        let current = now_ticks
            .checked_sub(self.start_ticks)
            .ok_or(GenError::OutOfRange { now_ms })?;
        let mut sleep_ms = 0;
        if self.elapsed < current {
            self.elapsed = current;
            self.sequence = 0;
        } else {
            self.sequence = (self.sequence + 1) & MAX_SEQUENCE;
            if self.sequence == 0 {
                self.elapsed += 1;
                let overtime = self.elapsed - current;
                sleep_ms = overtime * TICK_MS - now_ms % TICK_MS;
            }
        }
        if self.elapsed > MAX_TIME {
            return Err(GenError::OutOfRange { now_ms });
        }
        Ok(Issued {
            id: (self.elapsed << (SEQUENCE_BITS + MACHINE_BITS))
                | (u64::from(self.sequence) << MACHINE_BITS)
                | u64::from(self.machine),
            sleep_ms,
        })
    }

    pub fn sequence(&self) -> u16 {
        self.sequence
    }
}

/// (ticks since start, sequence, machine id) of an ID.
pub fn unpack(id: u64) -> (u64, u16, u16) {
    (
        (id >> (SEQUENCE_BITS + MACHINE_BITS)) & MAX_TIME,
        ((id >> MACHINE_BITS) & u64::from(MAX_SEQUENCE)) as u16,
        (id & 0xFFFF) as u16,
    )
}

/// The fields of `id` read with `start_ms`; an error when the unused top bit is set.
pub fn describe(id: u64, start_ms: u64) -> Result<Decoded, DecodeError> {
    if id >> 63 == 1 {
        return Err(DecodeError::bits(
            0,
            0,
            "bit 0 (the unused top bit) is 1: a Sonyflake ID has 63 bits, so it is below 2^63",
        ));
    }
    let (ticks, sequence, machine) = unpack(id);
    let unix = ((start_ms / TICK_MS + ticks) * TICK_MS) as i64;
    let fields = vec![
        Field {
            key: Cow::Borrowed("unused"),
            label: Cow::Borrowed("unused bit"),
            offset: 0,
            width: 1,
            raw: 0,
            meaning: "always 0".into(),
        },
        Field {
            key: Cow::Borrowed("time"),
            label: Cow::Borrowed("39-bit time (10 ms units)"),
            offset: 1,
            width: TIME_BITS,
            raw: u128::from(ticks),
            meaning: format!(
                "{}: {ticks} ticks of 10 ms after the start time {}",
                format_unix_ms(unix),
                format_unix_ms(start_ms as i64)
            ),
        },
        Field {
            key: Cow::Borrowed("sequence"),
            label: Cow::Borrowed("8-bit sequence"),
            offset: 40,
            width: SEQUENCE_BITS,
            raw: u128::from(sequence),
            meaning: format!(
                "ID number {} of this 10 ms tick on this machine (of at most 256)",
                u32::from(sequence) + 1
            ),
        },
        Field {
            key: Cow::Borrowed("machine"),
            label: Cow::Borrowed("16-bit machine id"),
            offset: 48,
            width: MACHINE_BITS,
            raw: u128::from(machine),
            meaning: format!(
                "machine {machine} (by default the low 16 bits of its private IP: x.x.{}.{})",
                machine >> 8,
                machine & 0xFF
            ),
        },
    ];
    Ok(Decoded {
        format: Format::Sonyflake,
        title: format!("Sonyflake (start time {})", format_unix_ms(start_ms as i64)),
        canonical: id.to_string(),
        width: 64,
        value: u128::from(id),
        unix_ms: Some(unix),
        utc: Some(format_unix_ms(unix)),
        fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u64 = DEFAULT_START_MS + 123_450;

    #[test]
    fn bit_order_is_time_sequence_machine() {
        let mut s = Sonyflake::new(0x0102, DEFAULT_START_MS);
        let a = s.next_id(T0).unwrap();
        let b = s.next_id(T0 + 3).unwrap();
        assert_eq!(a.id, (12_345 << 24) | 0x0102);
        assert_eq!(b.id, (12_345 << 24) | (1 << 16) | 0x0102);
        assert_eq!(unpack(b.id), (12_345, 1, 0x0102));
        assert_eq!(machine_id_from_ip([10, 0, 1, 2]), 0x0102);
    }

    #[test]
    fn a_spent_tick_moves_ahead_and_sleeps() {
        let mut s = Sonyflake::new(7, DEFAULT_START_MS);
        for _ in 0..256 {
            assert_eq!(s.next_id(T0 + 4).unwrap().sleep_ms, 0);
        }
        let spill = s.next_id(T0 + 4).unwrap();
        assert_eq!(unpack(spill.id), (12_346, 0, 7));
        assert_eq!(spill.sleep_ms, 6, "sleep until the next 10 ms tick begins");
    }

    #[test]
    fn a_clock_step_back_runs_on_the_stored_time() {
        let mut s = Sonyflake::new(7, DEFAULT_START_MS);
        let a = s.next_id(T0).unwrap().id;
        let b = s.next_id(T0 - 5_000).unwrap();
        assert_eq!(unpack(b.id), (12_345, 1, 7));
        assert!(b.id > a);
        assert_eq!(
            s.next_id(DEFAULT_START_MS - 10),
            Err(GenError::OutOfRange {
                now_ms: DEFAULT_START_MS - 10
            })
        );
    }

    #[test]
    fn describe_reads_time_sequence_machine() {
        let d = describe((12_345 << 24) | (3 << 16) | 0x0102, DEFAULT_START_MS).unwrap();
        assert_eq!(d.utc.as_deref(), Some("2014-09-01T00:02:03.450Z"));
        assert_eq!(d.fields[2].raw, 3);
        assert_eq!(d.fields[3].raw, 0x0102);
        assert!(describe(u64::MAX, DEFAULT_START_MS).is_err());
    }
}
