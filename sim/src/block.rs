//! The one shape every building block plugs in with (like egui's `Demo` trait), in two halves:
//! [`BlockSpec`] describes the block (title, parameters, presets) and [`Block`] checks
//! parameters across fields and turns validated parameters plus a seed into a `Run`.
//!
//! The halves are separate traits so that code holding only a `&dyn BlockSpec` (the page's form,
//! catalog and URL state) never references a block's simulation: the browser's main bundle
//! links none of the engines, which run in the Web Worker bundle (see ARCHITECTURE.md).
//!
//! Adding a block is one module implementing both plus one line in `registry.rs`. The UI, the
//! CLI and the registry-wide tests never match on which block they hold.

use crate::kernel::run::Run;
use crate::params::{ParamError, ParamSpec, Params};

/// A named set of parameter values that tells a story ("one slow server", ...).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    /// One sentence: what to watch for.
    pub story: &'static str,
    /// Values that differ from the defaults.
    pub values: &'static [(&'static str, &'static str)],
}

/// What a block is, without how it runs: everything the form, the URL and the catalog need
/// (the form's cross-field [`Block::check`] it asks of the engine).
pub trait BlockSpec: Sync {
    /// The scenario id: the CLI name and the route (`lb` → `#/lb`).
    fn id(&self) -> &'static str;
    fn title(&self) -> &'static str;
    /// One plain sentence for lists and cards.
    fn summary(&self) -> &'static str;
    fn params(&self) -> &'static [ParamSpec];
    fn presets(&self) -> &'static [Preset] {
        &[]
    }
    /// Optional grouping of parameter keys for the form: (group title, keys). Keys not listed
    /// are shown in a last group; an empty list means one group.
    fn param_groups(&self) -> &'static [(&'static str, &'static [&'static str])] {
        &[]
    }
}

/// How a block runs.
pub trait Block: BlockSpec {
    /// Rules that involve several parameters (e.g. one weight per backend). Single values are
    /// already checked against their specs when this is called. Here and not in [`BlockSpec`]
    /// because it reaches into the block's own parsers (DNS's zone files): the page asks the
    /// engine bundle for it (`src/engine/checks.rs`) rather than carrying them twice.
    fn check(&self, _params: &Params) -> Result<(), ParamError> {
        Ok(())
    }

    /// Simulates the scenario. Must be a pure function of `(params, seed)`: no clock, no ambient
    /// randomness, no unordered iteration reaching the output. The caller fills `scenario`,
    /// `seed` and `params` of the returned run.
    fn simulate(&self, params: &Params, seed: u64) -> Run;

    /// The same run for a caller that reads only [`Run::summary_json`] (the CLI's `--summary`,
    /// the peer benchmark): a block may skip keeping what the summary leaves out (event log,
    /// steps, series), but the summary must be identical to that of [`Block::simulate`].
    fn simulate_summary(&self, params: &Params, seed: u64) -> Run {
        self.simulate(params, seed)
    }
}

/// Parses `overrides` against the block's specs, checks them, and runs the scenario: the one
/// entry point used by the CLI, the UI and the tests.
pub fn run_scenario<K: AsRef<str>, V: AsRef<str>>(
    block: &dyn Block,
    overrides: &[(K, V)],
    seed: u64,
) -> Result<Run, ParamError> {
    let params = Params::parse(block.params(), overrides)?;
    block.check(&params)?;
    Ok(run_params(block, &params, seed))
}

/// [`run_scenario`] for a caller that reads only [`Run::summary_json`] (see
/// [`Block::simulate_summary`]): the run may have no events, steps or series.
pub fn run_scenario_summary<K: AsRef<str>, V: AsRef<str>>(
    block: &dyn Block,
    overrides: &[(K, V)],
    seed: u64,
) -> Result<Run, ParamError> {
    let params = Params::parse(block.params(), overrides)?;
    block.check(&params)?;
    Ok(stamped(
        block,
        &params,
        seed,
        block.simulate_summary(&params, seed),
    ))
}

/// Runs already validated parameters (see [`run_scenario`]).
pub fn run_params(block: &dyn Block, params: &Params, seed: u64) -> Run {
    stamped(block, params, seed, block.simulate(params, seed))
}

/// A block's run with what produced it: the scenario id, the seed and the parameters.
fn stamped(block: &dyn Block, params: &Params, seed: u64, mut run: Run) -> Run {
    run.scenario = block.id().to_string();
    run.seed = seed;
    run.params = params.to_json();
    run
}
