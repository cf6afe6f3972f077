//! Block-specific panels: what a block's page adds to the generic views (design.md: "a block's
//! page chooses which of them to show"). The generic components never ask which block they
//! show; this is the one place that does, one arm per block that has extras.

pub(crate) mod cache;
pub(crate) mod dns;
pub(crate) mod ids;

use crate::run_data::SharedRun;
use crate::scenario_form::FormAction;
use hopscope_sim::view::Frame;
use hopscope_sim::SimTime;
use std::rc::Rc;
use yew::prelude::*;

/// What every block panel may read: the run, the frame at the cursor, the cursor itself.
#[derive(Properties, PartialEq, Clone)]
pub struct ExtrasProps {
    pub run: SharedRun,
    pub frame: Rc<Frame>,
    pub t: SimTime,
    pub step: Option<usize>,
    /// Changes the scenario (sets a parameter, applies a preset): the same actions as the form.
    pub on_form: Callback<FormAction>,
}

/// A block's extra panels, given what the page knows at the cursor.
pub type Panel = fn(ExtrasProps) -> Html;

/// One line per block with extras: (scenario id, panel).
const PANELS: &[(&str, Panel)] = &[
    ("cache", cache::panel),
    ("dns", dns::panel),
    ("ids", ids::panel),
];

/// The extra panels of block `id` (nothing for blocks without any).
pub fn extras(id: &str, props: ExtrasProps) -> Html {
    PANELS
        .iter()
        .find(|(block, _)| *block == id)
        .map(|(_, panel)| panel(props))
        .unwrap_or_default()
}
