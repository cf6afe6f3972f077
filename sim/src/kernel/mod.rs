//! The kernel every block shares: virtual time, the event queue, the seeded generator, the run
//! record and the helpers that turn raw observations into series and percentiles.

mod heap;
pub mod progress;
pub mod queue;
pub mod rng;
pub mod run;
pub mod slots;
pub mod stats;
pub mod time;
pub mod timers;
pub mod trace;
