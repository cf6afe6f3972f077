//! Running scenarios off the page's main thread: the engine runs in a Web Worker (its own wasm
//! bundle, built from `src/bin/engine.rs`), so a million-request run never freezes the page and
//! the page's bundle carries no simulation code.
//!
//! `protocol` is what crosses between them, `worker` the engine's side, `client` the page's side,
//! `hook` the Yew hook a view uses to ask for a run and follow its progress. `checks` is the
//! other use of the engine's bundle: instantiated on the main thread too, it reads and checks
//! what a person types for the page, whose bundle carries no parser of its own, and `catalog`
//! gives the page the blocks' descriptions, which it does not carry either.

pub mod catalog;
pub mod checks;
pub mod client;
pub mod hook;
pub mod protocol;
#[cfg(target_arch = "wasm32")]
pub mod worker;
