//! The cache's access-trace parser (one key per line, `#` comments) and its typed key list
//! (`keys=a,b,c`): a trace that parses reads back key by key, in order.
#![no_main]

use hopscope_sim::cache::workload::{parse_keys, parse_trace};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = hopscope_fuzz::text(data) else {
        return;
    };
    if let Ok(stream) = parse_trace(text) {
        let expected: Vec<&str> = text
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|k| !k.is_empty())
            .collect();
        assert!(!stream.keys.is_empty());
        let got: Vec<String> = stream.keys.iter().map(|&k| stream.names.name(k)).collect();
        assert_eq!(got, expected);
        assert!(stream.keys.iter().all(|&k| k < stream.names.count()));
    }
    if let Ok(stream) = parse_keys(text) {
        let expected: Vec<&str> = text.split(',').map(str::trim).collect();
        let got: Vec<String> = stream.keys.iter().map(|&k| stream.names.name(k)).collect();
        assert_eq!(got, expected);
    }
});
