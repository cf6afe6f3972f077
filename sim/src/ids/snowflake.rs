//! Twitter's Snowflake, as `IdWorker.scala` in twitter-archive/snowflake (2010–2012) builds it.
//!
//! A 64-bit ID, most significant bit first:
//!
//! ```text
//!  1 bit  unused (0: the ID is a positive signed 64-bit integer)
//! 41 bits milliseconds since the epoch, 1288834974657 = 2010-11-04T01:42:54.657Z ("twepoch")
//!  5 bits datacenter id
//!  5 bits worker id
//! 12 bits sequence within the millisecond
//! ```
//!
//! `nextId()` there: if the clock reads earlier than the last timestamp used, throw
//! `InvalidSystemClock` ("Clock moved backwards. Refusing to generate id for N milliseconds");
//! if it reads the same millisecond, increment the sequence, and when it wraps to 0 spin in
//! `tilNextMillis` until the clock passes that millisecond; on a new millisecond the sequence
//! restarts at 0. (The final revision checks the clock *before* touching the sequence; an earlier
//! one reset the sequence first, which could re-issue an ID once the clock came back.)
//!
//! [`OnBackwards::Wait`] is the other policy the issue asks for: instead of refusing, hold the
//! request until the clock reaches the last timestamp again. Either way no ID repeats.

use super::decode::{DecodeError, Decoded, Field, Format};
use super::generate::{GenError, WaitReason};
use super::utc::format_unix_ms;
use std::borrow::Cow;

/// Twitter's epoch, `twepoch` in `IdWorker.scala`: 2010-11-04T01:42:54.657Z.
pub const TWITTER_EPOCH_MS: u64 = 1_288_834_974_657;
pub const TIMESTAMP_BITS: u32 = 41;
pub const DATACENTER_BITS: u32 = 5;
pub const WORKER_BITS: u32 = 5;
pub const SEQUENCE_BITS: u32 = 12;
/// 31: the largest datacenter or worker id.
pub const MAX_NODE_ID: u8 = (1 << WORKER_BITS) - 1;
/// 4095: the largest sequence number, so 4096 IDs per millisecond per worker.
pub const MAX_SEQUENCE: u16 = (1 << SEQUENCE_BITS) - 1;
const WORKER_SHIFT: u32 = SEQUENCE_BITS;
const DATACENTER_SHIFT: u32 = SEQUENCE_BITS + WORKER_BITS;
const TIMESTAMP_SHIFT: u32 = SEQUENCE_BITS + WORKER_BITS + DATACENTER_BITS;
/// The largest timestamp field: 2^41 − 1 ms, about 69.7 years after the epoch.
pub const MAX_TIMESTAMP: u64 = (1 << TIMESTAMP_BITS) - 1;

/// The fields of a Snowflake ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    /// Milliseconds since the epoch (41 bits).
    pub timestamp: u64,
    pub datacenter: u8,
    pub worker: u8,
    pub sequence: u16,
}

/// Packs the fields (each masked to its width) into an ID.
pub fn pack(p: Parts) -> u64 {
    ((p.timestamp & MAX_TIMESTAMP) << TIMESTAMP_SHIFT)
        | (u64::from(p.datacenter & MAX_NODE_ID) << DATACENTER_SHIFT)
        | (u64::from(p.worker & MAX_NODE_ID) << WORKER_SHIFT)
        | u64::from(p.sequence & MAX_SEQUENCE)
}

/// Splits an ID into its fields (the unused top bit is ignored here; `describe` checks it).
pub fn unpack(id: u64) -> Parts {
    Parts {
        timestamp: (id >> TIMESTAMP_SHIFT) & MAX_TIMESTAMP,
        datacenter: ((id >> DATACENTER_SHIFT) & u64::from(MAX_NODE_ID)) as u8,
        worker: ((id >> WORKER_SHIFT) & u64::from(MAX_NODE_ID)) as u8,
        sequence: (id & u64::from(MAX_SEQUENCE)) as u16,
    }
}

/// What a worker does when its clock reads earlier than the last timestamp it used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnBackwards {
    /// Twitter's behaviour: refuse (`InvalidSystemClock`) until the clock catches up.
    Refuse,
    /// Hold the request until the clock reads the last timestamp again.
    Wait,
}

/// One Snowflake worker (`IdWorker`).
#[derive(Clone, Debug)]
pub struct Snowflake {
    epoch_ms: u64,
    datacenter: u8,
    worker: u8,
    on_backwards: OnBackwards,
    sequence: u16,
    /// The last timestamp used, in Unix ms (`lastTimestamp`, -1 before the first ID).
    last_ms: Option<u64>,
}

impl Snowflake {
    /// A worker; `None` when an id exceeds 31 (IdWorker throws `IllegalArgumentException`).
    pub fn new(
        datacenter: u8,
        worker: u8,
        epoch_ms: u64,
        on_backwards: OnBackwards,
    ) -> Option<Self> {
        (datacenter <= MAX_NODE_ID && worker <= MAX_NODE_ID).then_some(Snowflake {
            epoch_ms,
            datacenter,
            worker,
            on_backwards,
            sequence: 0,
            last_ms: None,
        })
    }

    /// The next ID at clock reading `now_ms` (Unix ms), or why not now.
    pub fn next_id(&mut self, now_ms: u64) -> Result<u64, GenError> {
        if let Some(last) = self.last_ms {
            if now_ms < last {
                return Err(match self.on_backwards {
                    OnBackwards::Refuse => GenError::ClockBackwards {
                        now_ms,
                        last_ms: last,
                    },
                    OnBackwards::Wait => GenError::Wait {
                        until_ms: last,
                        reason: WaitReason::ClockBehind,
                    },
                });
            }
        }
        let sequence = if self.last_ms == Some(now_ms) {
            let next = (self.sequence + 1) & MAX_SEQUENCE;
            if next == 0 {
                // `tilNextMillis`: nothing is used up; the caller retries once the clock passes.
                return Err(GenError::Wait {
                    until_ms: now_ms + 1,
                    reason: WaitReason::SequenceSpent,
                });
            }
            next
        } else {
            0
        };
        let timestamp = now_ms
            .checked_sub(self.epoch_ms)
            .filter(|t| *t <= MAX_TIMESTAMP)
            .ok_or(GenError::OutOfRange { now_ms })?;
        self.sequence = sequence;
        self.last_ms = Some(now_ms);
        Ok(pack(Parts {
            timestamp,
            datacenter: self.datacenter,
            worker: self.worker,
            sequence,
        }))
    }

    /// The sequence number of the last ID issued.
    pub fn sequence(&self) -> u16 {
        self.sequence
    }
}

/// The fields of `id` read with `epoch_ms`; an error when the unused top bit is set.
pub fn describe(id: u64, epoch_ms: u64) -> Result<Decoded, DecodeError> {
    if id >> 63 == 1 {
        return Err(DecodeError::bits(
            0,
            0,
            "bit 0 (the unused top bit) is 1: a Snowflake ID is a positive signed 64-bit integer, below 2^63",
        ));
    }
    let p = unpack(id);
    let unix = epoch_ms as i64 + p.timestamp as i64;
    let epoch_note = if epoch_ms == TWITTER_EPOCH_MS {
        "Twitter's epoch".to_string()
    } else {
        "the epoch".to_string()
    };
    let fields = vec![
        Field {
            key: Cow::Borrowed("unused"),
            label: Cow::Borrowed("unused bit"),
            offset: 0,
            width: 1,
            raw: 0,
            meaning: "always 0, so the ID stays a positive signed 64-bit integer".into(),
        },
        Field {
            key: Cow::Borrowed("timestamp"),
            label: Cow::Borrowed("41-bit timestamp"),
            offset: 1,
            width: TIMESTAMP_BITS,
            raw: u128::from(p.timestamp),
            meaning: format!(
                "{}: {} ms after {epoch_note} {epoch_ms} ({})",
                format_unix_ms(unix),
                p.timestamp,
                format_unix_ms(epoch_ms as i64)
            ),
        },
        Field {
            key: Cow::Borrowed("datacenter"),
            label: Cow::Borrowed("5-bit datacenter"),
            offset: 42,
            width: DATACENTER_BITS,
            raw: u128::from(p.datacenter),
            meaning: format!("datacenter {}", p.datacenter),
        },
        Field {
            key: Cow::Borrowed("worker"),
            label: Cow::Borrowed("5-bit worker"),
            offset: 47,
            width: WORKER_BITS,
            raw: u128::from(p.worker),
            meaning: format!("worker {} in datacenter {}", p.worker, p.datacenter),
        },
        Field {
            key: Cow::Borrowed("sequence"),
            label: Cow::Borrowed("12-bit sequence"),
            offset: 52,
            width: SEQUENCE_BITS,
            raw: u128::from(p.sequence),
            meaning: format!(
                "ID number {} of this millisecond on this worker (of at most 4096)",
                u32::from(p.sequence) + 1
            ),
        },
    ];
    Ok(Decoded {
        format: Format::Snowflake,
        title: if epoch_ms == TWITTER_EPOCH_MS {
            format!("Snowflake (Twitter layout, epoch {epoch_ms})")
        } else {
            format!("Snowflake (Twitter layout, custom epoch {epoch_ms})")
        },
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

    fn worker(policy: OnBackwards) -> Snowflake {
        Snowflake::new(1, 3, TWITTER_EPOCH_MS, policy).unwrap()
    }

    /// Twitter API docs' example Tweet 1212092628029698048, "created_at":
    /// "2019-12-31T19:26:16.000Z" (the API shows whole seconds; the ID keeps the millisecond).
    #[test]
    fn a_tweet_id_decodes_to_its_creation_time() {
        let d = describe(1_212_092_628_029_698_048, TWITTER_EPOCH_MS).unwrap();
        assert_eq!(d.utc.as_deref(), Some("2019-12-31T19:26:16.771Z"));
        let raw: Vec<(&str, u128)> = d.fields.iter().map(|f| (&*f.key, f.raw)).collect();
        assert_eq!(
            raw,
            vec![
                ("unused", 0),
                ("timestamp", 288_985_402_114),
                ("datacenter", 10),
                ("worker", 7),
                ("sequence", 0)
            ]
        );
        assert_eq!(
            pack(unpack(1_212_092_628_029_698_048)),
            1_212_092_628_029_698_048
        );
    }

    #[test]
    fn the_layout_is_1_41_5_5_12() {
        let id = pack(Parts {
            timestamp: MAX_TIMESTAMP,
            datacenter: 0,
            worker: 0,
            sequence: 0,
        });
        assert_eq!(id, 0x7FFF_FFFF_FFC0_0000);
        assert_eq!(
            pack(Parts {
                timestamp: 0,
                datacenter: 31,
                worker: 0,
                sequence: 0
            }),
            0x3E_0000
        );
        assert_eq!(
            pack(Parts {
                timestamp: 0,
                datacenter: 0,
                worker: 31,
                sequence: 0
            }),
            0x1_F000
        );
        assert_eq!(
            pack(Parts {
                timestamp: 0,
                datacenter: 0,
                worker: 0,
                sequence: 4095
            }),
            0xFFF
        );
    }

    #[test]
    fn ids_in_one_millisecond_count_up_then_wait_for_the_next() {
        let mut w = worker(OnBackwards::Refuse);
        let t = TWITTER_EPOCH_MS + 1000;
        for s in 0..=MAX_SEQUENCE {
            let id = w.next_id(t).unwrap();
            assert_eq!(unpack(id).sequence, s);
        }
        assert_eq!(
            w.next_id(t),
            Err(GenError::Wait {
                until_ms: t + 1,
                reason: WaitReason::SequenceSpent
            })
        );
        let id = w.next_id(t + 1).unwrap();
        assert_eq!(
            unpack(id),
            Parts {
                timestamp: 1001,
                datacenter: 1,
                worker: 3,
                sequence: 0
            }
        );
    }

    #[test]
    fn a_clock_that_moved_back_is_refused_or_waited_out_never_duplicated() {
        let t = TWITTER_EPOCH_MS + 5000;
        let mut w = worker(OnBackwards::Refuse);
        let a = w.next_id(t).unwrap();
        let b = w.next_id(t).unwrap();
        assert_eq!(
            w.next_id(t - 3),
            Err(GenError::ClockBackwards {
                now_ms: t - 3,
                last_ms: t
            })
        );
        assert_eq!(
            GenError::ClockBackwards {
                now_ms: t - 3,
                last_ms: t
            }
            .to_string(),
            "clock moved backwards: refusing to generate an ID for 3 ms"
        );
        // Back at the same millisecond, the sequence continues where it stopped.
        let c = w.next_id(t).unwrap();
        assert!(a < b && b < c, "{a} {b} {c}");
        assert_eq!(unpack(c).sequence, 2);

        let mut w = worker(OnBackwards::Wait);
        w.next_id(t).unwrap();
        assert_eq!(
            w.next_id(t - 3),
            Err(GenError::Wait {
                until_ms: t,
                reason: WaitReason::ClockBehind
            })
        );
    }

    #[test]
    fn ids_outside_the_layout_are_errors() {
        assert!(Snowflake::new(32, 0, 0, OnBackwards::Refuse).is_none());
        let mut w = worker(OnBackwards::Refuse);
        assert_eq!(w.next_id(5), Err(GenError::OutOfRange { now_ms: 5 }));
        let past = TWITTER_EPOCH_MS + MAX_TIMESTAMP + 1;
        assert_eq!(w.next_id(past), Err(GenError::OutOfRange { now_ms: past }));
        let e = describe(1 << 63, TWITTER_EPOCH_MS).unwrap_err();
        assert_eq!(
            e.at,
            Some(super::super::decode::ErrorAt::Bits { first: 0, last: 0 })
        );
    }
}
