//! Every building block, in the order the CLI and the UI list them. One line per block.
//!
//! Two views of the same list: [`specs`] (what a block is: the form, the catalog and the URL
//! only need this; the engine's bundle sends it to the page, whose bundle links neither) and
//! [`blocks`] (how it runs: the CLI, the Web Worker and the tests).

use crate::block::{Block, BlockSpec};

macro_rules! registry {
    ($($block:path),+ $(,)?) => {
        /// Every block, as a runnable engine.
        pub fn blocks() -> &'static [&'static dyn Block] {
            &[$(&$block),+]
        }

        /// Every block, as a description only (no simulation code is reachable from these).
        pub fn specs() -> &'static [&'static dyn BlockSpec] {
            &[$(&$block),+]
        }
    };
}

registry! {
    crate::lb::LoadBalancer,
    crate::dns::Dns,
    crate::ids::Ids,
    crate::cache::Cache,
}

/// The block with this scenario id, to run it.
pub fn find(id: &str) -> Option<&'static dyn Block> {
    blocks().iter().copied().find(|b| b.id() == id)
}

/// The description of the block with this scenario id.
pub fn find_spec(id: &str) -> Option<&'static dyn BlockSpec> {
    specs().iter().copied().find(|b| b.id() == id)
}

/// The message for an unknown id, naming the known ones.
pub fn unknown(id: &str) -> String {
    let known: Vec<&str> = specs().iter().map(|b| b.id()).collect();
    format!(
        "unknown scenario {id:?}: expected one of {}",
        known.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_views_list_the_same_blocks_in_the_same_order() {
        let engines: Vec<&str> = blocks().iter().map(|b| b.id()).collect();
        let specs: Vec<&str> = specs().iter().map(|b| b.id()).collect();
        assert_eq!(engines, specs);
        assert_eq!(
            find_spec("lb").map(|b| b.title()),
            find("lb").map(|b| b.title())
        );
        assert!(find_spec("nope").is_none());
    }
}
