//! The packed-documents decoder (`zone~=1…` in an address) on any text: it refuses or decodes
//! within its caps, and what it decodes packs and unpacks to the same documents.
#![no_main]

use hopscope_web::url_state::pack::{pack, unpack};
use libfuzzer_sys::fuzz_target;

const MAX_DOCS: usize = 32;
const MAX_BYTES: usize = 1 << 20;

fuzz_target!(|data: &[u8]| {
    let Some(text) = hopscope_fuzz::text(data) else {
        return;
    };
    let Some(docs) = unpack(text, MAX_DOCS, MAX_BYTES) else {
        return;
    };
    assert!(docs.len() <= MAX_DOCS);
    assert!(docs.iter().map(String::len).sum::<usize>() <= MAX_BYTES);
    assert_eq!(unpack(&pack(&docs), MAX_DOCS, MAX_BYTES), Some(docs));
});
