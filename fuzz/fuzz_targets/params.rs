//! The `--set key=value` parser (`Params::parse`, shared by the CLI, the URL and the form): the
//! first byte picks a block, each further line is one `key=value`. Whatever parses has a
//! canonical text form that parses back to the same values, and the block's cross-field check
//! answers without panicking.
#![no_main]

use hopscope_sim::Params;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Some(text) = hopscope_fuzz::text(rest) else {
        return;
    };
    let block = hopscope_fuzz::block(pick);
    // Every spec takes the whole text as one value, or refuses it with its own key.
    for spec in block.params() {
        if let Err(e) = spec.parse(text) {
            assert_eq!(e.key, spec.key);
        }
    }
    let pairs: Vec<(&str, &str)> = text
        .lines()
        .map(|l| l.split_once('=').unwrap_or((l, "")))
        .collect();
    let Ok(params) = Params::parse(block.params(), &pairs) else {
        return;
    };
    let again = Params::parse(block.params(), &params.to_pairs())
        .unwrap_or_else(|e| panic!("canonical form refused: {e}"));
    assert_eq!(again, params);
    let _ = block.check(&params);
});
