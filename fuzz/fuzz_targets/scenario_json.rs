//! Scenario JSON import (`hopscope run --from FILE`): any text is read or refused with one line;
//! a document that reads gives valid parameters, and the document written for them reads back
//! to the same parameters and seed.
#![no_main]

use hopscope_sim::{scenario_doc, Params};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = hopscope_fuzz::text(data) else {
        return;
    };
    let doc = match scenario_doc::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            assert!(!e.contains('\n'), "a message of more than one line: {e}");
            return;
        }
    };
    let params = Params::parse(doc.block.params(), &doc.overrides).expect("parse checked them");
    let seed = doc.seed.unwrap_or(1);
    let written = scenario_doc::to_json(doc.block, seed, &params);
    let again = scenario_doc::parse(&written).unwrap_or_else(|e| panic!("{written}: {e}"));
    assert_eq!(again.seed, Some(seed));
    assert_eq!(
        Params::parse(again.block.params(), &again.overrides),
        Ok(params)
    );
});
