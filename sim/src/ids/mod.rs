//! The sequencer / unique-ID block (`ids`, route `#/ids`): how Twitter's Snowflake, Sonyflake,
//! UUID versions 4 and 7, ULID, Flickr's ticket servers and a central sequencer make IDs, what
//! their bits mean, and what each does when clocks lie.
//!
//! The algorithms are small pure types with the specification they follow cited in their own
//! module docs; none reads a clock or an ambient random source, so the same types serve the
//! simulation (virtual clocks, seeded streams) and the browser's live mode (its real clock,
//! `crypto.getRandomValues`):
//!
//! - [`snowflake`], [`sonyflake`], [`uuid`], [`ulid`], [`ticket`], [`sequencer`]: generators,
//!   their bit layouts and their text forms; [`naive`] is the broken baseline.
//! - [`decode()`](decode::decode): any pasted ID to its fields (bit ranges, raw values,
//!   meanings), or an error naming the character or bits at fault.
//! - [`live`]: live mode for the page, IDs from its real clock, already decoded.
//! - [`birthday`]: the UUIDv4 collision probability; [`btree`]: the page-split model of an index.
//!
//! The scenario (`scenario`, `remote`, `fleet`, `clock`, `locality`, `narrate`, `report`) drives
//! them through simulated time.

pub mod birthday;
pub mod btree;
pub mod clock;
mod config;
pub mod decode;
mod fleet;
pub mod generate;
pub mod live;
mod locality;
pub mod naive;
mod narrate;
mod params;
mod remote;
mod report;
mod scenario;
pub mod sequencer;
pub mod snowflake;
pub mod sonyflake;
pub mod ticket;
pub mod ulid;
pub mod utc;
pub mod uuid;

pub use decode::{
    decode, decode_with, DecodeError, DecodeOptions, Decoded, ErrorAt, Field, Format, Reading,
};
pub use generate::{Entropy, GenError, WaitReason};
pub use live::{Live, LiveKind};

use crate::block::{Block, BlockSpec, Preset};
use crate::kernel::run::Run;
use crate::params::{ParamError, ParamSpec, Params};

pub struct Ids;

impl BlockSpec for Ids {
    fn id(&self) -> &'static str {
        "ids"
    }
    fn title(&self) -> &'static str {
        "Unique IDs"
    }
    fn summary(&self) -> &'static str {
        "Snowflake, Sonyflake, UUIDv4/v7, ULID, ticket servers and a sequencer: their bits, their clocks, their failure modes."
    }
    fn params(&self) -> &'static [ParamSpec] {
        params::SPECS
    }
    fn presets(&self) -> &'static [Preset] {
        params::PRESETS
    }
    fn param_groups(&self) -> &'static [(&'static str, &'static [&'static str])] {
        params::GROUPS
    }
}

impl Block for Ids {
    fn check(&self, p: &Params) -> Result<(), ParamError> {
        params::check(p)
    }

    fn simulate(&self, p: &Params, seed: u64) -> Run {
        scenario::simulate(&scenario::Config::from_params(p), seed)
    }
}
