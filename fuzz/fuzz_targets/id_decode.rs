//! The ID decoder, by shape and as each format: a decoded ID's fields tile its bits exactly,
//! and its canonical text decodes to the same thing.
#![no_main]

use hopscope_sim::ids::decode::{decode_with, DecodeOptions, Reading};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Some(text) = hopscope_fuzz::text(rest) else {
        return;
    };
    let readings = [
        Reading::Auto,
        Reading::Snowflake,
        Reading::Sonyflake,
        Reading::Uuid,
        Reading::Ulid,
        Reading::Ticket,
    ];
    let opts = DecodeOptions {
        reading: readings[usize::from(pick) % readings.len()],
        ..DecodeOptions::default()
    };
    let Ok(d) = decode_with(text, &opts) else {
        return;
    };
    let mut next = 0;
    for f in &d.fields {
        assert_eq!(f.offset, next, "fields leave a gap or overlap: {d:?}");
        assert!(f.width >= 1);
        next += f.width;
    }
    assert_eq!(next, d.width, "fields do not cover the ID: {d:?}");
    assert_eq!(d.bits().len(), d.width as usize);
    let again = decode_with(&d.canonical, &opts)
        .unwrap_or_else(|e| panic!("canonical {:?} refused: {e:?}", d.canonical));
    assert_eq!(again, d);
});
