//! The packed-documents encoder and decoder on structured input: decode(encode(docs)) == docs
//! for any documents, and the packed text is URL-safe.
#![no_main]

use hopscope_web::url_state::pack::{pack, unpack};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|docs: Vec<String>| {
    let packed = pack(&docs);
    assert!(packed
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    let bytes: usize = docs.iter().map(String::len).sum::<usize>() + 10 * docs.len();
    assert_eq!(unpack(&packed, docs.len(), bytes), Some(docs));
});
