//! Live mode: IDs from a real clock, so a person can copy real, valid IDs off the page.
//!
//! The page passes its clock (`Date.now()`) and its random source (`crypto.getRandomValues`
//! behind an [`Entropy`]); every call returns the ID already decoded for the bit anatomy view.
//! The generators are the same types the simulation runs, so a live ID is exactly what the
//! specification (and the scenario) would make at that instant.

use super::decode::Decoded;
use super::generate::{Entropy, GenError};
use super::snowflake::{self, OnBackwards, Snowflake};
use super::sonyflake::{self, Sonyflake};
use super::ulid::MonotonicUlid;
use super::uuid::{Uuid, UuidV7Generator};

/// What to generate, with the settings each scheme needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveKind {
    Snowflake {
        datacenter: u8,
        worker: u8,
        epoch_ms: u64,
    },
    Sonyflake {
        machine: u16,
        start_ms: u64,
    },
    UuidV4,
    UuidV7,
    Ulid,
}

enum Gen {
    Snowflake(Snowflake, u64),
    Sonyflake(Sonyflake, u64),
    V4,
    V7(UuidV7Generator),
    Ulid(MonotonicUlid),
}

/// A generator for live mode.
pub struct Live {
    gen: Gen,
}

impl Live {
    /// `None` when a Snowflake datacenter or worker id exceeds 31.
    pub fn new(kind: LiveKind) -> Option<Live> {
        let gen = match kind {
            LiveKind::Snowflake {
                datacenter,
                worker,
                epoch_ms,
            } => Gen::Snowflake(
                Snowflake::new(datacenter, worker, epoch_ms, OnBackwards::Refuse)?,
                epoch_ms,
            ),
            LiveKind::Sonyflake { machine, start_ms } => {
                Gen::Sonyflake(Sonyflake::new(machine, start_ms), start_ms)
            }
            LiveKind::UuidV4 => Gen::V4,
            LiveKind::UuidV7 => Gen::V7(UuidV7Generator::new()),
            LiveKind::Ulid => Gen::Ulid(MonotonicUlid::new()),
        };
        Some(Live { gen })
    }

    /// The next ID at `now_ms` (Unix ms), decoded. A Snowflake that spent its 4096 IDs of this
    /// millisecond, or whose clock went back, answers `Err` (call again later, as `IdWorker`'s
    /// clients would); a Sonyflake that would sleep returns its ID at once.
    pub fn next(&mut self, now_ms: u64, entropy: &mut impl Entropy) -> Result<Decoded, GenError> {
        let decoded = match &mut self.gen {
            Gen::Snowflake(g, epoch) => snowflake::describe(g.next_id(now_ms)?, *epoch),
            Gen::Sonyflake(g, start) => sonyflake::describe(g.next_id(now_ms)?.id, *start),
            Gen::V4 => Uuid::v4_from(entropy).describe(),
            Gen::V7(g) => g.next(now_ms, entropy)?.describe(),
            Gen::Ulid(g) => Ok(g.next(now_ms, entropy)?.describe()),
        };
        Ok(decoded.expect("generated IDs always decode"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::decode::{decode, Format};
    use crate::ids::generate::FixedBytes;

    #[test]
    fn live_ids_are_valid_and_decode_to_the_clock_they_were_made_at() {
        let now = 1_700_000_000_123;
        let kinds = [
            LiveKind::Snowflake {
                datacenter: 1,
                worker: 2,
                epoch_ms: snowflake::TWITTER_EPOCH_MS,
            },
            LiveKind::Sonyflake {
                machine: 0x0102,
                start_ms: sonyflake::DEFAULT_START_MS,
            },
            LiveKind::UuidV4,
            LiveKind::UuidV7,
            LiveKind::Ulid,
        ];
        let formats = [
            Format::Snowflake,
            Format::Sonyflake,
            Format::UuidV4,
            Format::UuidV7,
            Format::Ulid,
        ];
        for (kind, format) in kinds.into_iter().zip(formats) {
            let mut live = Live::new(kind).unwrap();
            let d = live.next(now, &mut FixedBytes::new(&[7; 16])).unwrap();
            assert_eq!(d.format, format);
            assert_eq!(decode(&d.canonical).unwrap().value, d.value, "{kind:?}");
            if format != Format::UuidV4 {
                let t = d.unix_ms.unwrap();
                assert!(t <= now as i64 && t > now as i64 - 10, "{kind:?}: {t}");
            }
        }
        assert!(Live::new(LiveKind::Snowflake {
            datacenter: 32,
            worker: 0,
            epoch_ms: 0
        })
        .is_none());
    }
}
