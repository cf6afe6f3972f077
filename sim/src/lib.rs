//! Hopscope's engine: a deterministic discrete-event simulator and the building blocks that run on it.
//!
//! The crate knows nothing of the web (no yew, web-sys, js-sys, gloo, getrandom): it builds and
//! tests natively, feeds the `hopscope` CLI, and is compiled into the browser app unchanged.
//! See `ARCHITECTURE.md` at the repository root for the map and the invariants.

pub mod bench_cases;
pub mod block;
pub mod cache;
pub mod cli;
pub mod dns;
pub mod ids;
pub mod kernel;
pub mod lb;
pub mod params;
pub mod registry;
pub mod scenario_doc;
pub mod view;

pub use block::{run_scenario, Block, BlockSpec, Preset};
pub use kernel::run::{Event, Node, NodeId, Point, Run, Series, Step};
pub use kernel::time::{SimDuration, SimTime};
pub use params::{ParamError, ParamKind, ParamSpec, ParamValue, Params};
