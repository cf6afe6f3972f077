//! Every building block, in the order the CLI and the UI list them. One line per block.

use crate::block::Block;

pub fn blocks() -> &'static [&'static dyn Block] {
    &[
        &crate::lb::LoadBalancer,
        &crate::dns::Dns,
        &crate::ids::Ids,
        &crate::cache::Cache,
    ]
}

/// The block with this scenario id.
pub fn find(id: &str) -> Option<&'static dyn Block> {
    blocks().iter().copied().find(|b| b.id() == id)
}

/// The message for an unknown id, naming the known ones.
pub fn unknown(id: &str) -> String {
    let known: Vec<&str> = blocks().iter().map(|b| b.id()).collect();
    format!(
        "unknown scenario {id:?}: expected one of {}",
        known.join(", ")
    )
}
