//! The zone-file parser: any text parses or gives a positioned error; a zone that parses,
//! written back as a master file, parses to the same origin and records, and answers lookups.
#![no_main]

use hopscope_sim::dns::zone::Zone;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = hopscope_fuzz::text(data) else {
        return;
    };
    let zone = match Zone::parse(text, "zone 1") {
        Ok(zone) => zone,
        Err(e) => {
            assert!(e.line >= 1 && e.col >= 1, "error without a position: {e:?}");
            return;
        }
    };
    let written = zone.to_master_file();
    let again = Zone::parse(&written, "again")
        .unwrap_or_else(|e| panic!("re-serialised zone does not parse: {e}\n{written}"));
    assert_eq!(again.origin, zone.origin, "{written}");
    assert_eq!(again.records(), zone.records(), "{written}");
    for r in zone.records() {
        let _ = zone.lookup(&r.owner, r.rtype());
    }
});
