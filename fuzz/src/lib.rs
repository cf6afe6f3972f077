//! Helpers shared by the fuzz targets: turning raw fuzzer bytes into the text a parser takes.

/// The input as text, or `None` when it is not UTF-8 (every parser here takes `&str`).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// The block a byte picks, so one input can reach every registered block.
pub fn block(pick: u8) -> &'static dyn hopscope_sim::Block {
    let blocks = hopscope_sim::registry::blocks();
    blocks[usize::from(pick) % blocks.len()]
}
