//! The web app's URL state decoder: any query gives a state plus messages, never a panic; what
//! it keeps resolves to valid parameters, and the address written for those parameters reads
//! back to the same parameters with no message.
#![no_main]

use hopscope_sim::SimTime;
use hopscope_web::url_state::{format_query, parse_query, resolve_params};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Some(query) = hopscope_fuzz::text(rest) else {
        return;
    };
    let block = hopscope_fuzz::block(pick);
    let specs = block.params();
    let (state, _errors) = parse_query(query, specs);
    for (key, value) in &state.params {
        let spec = specs.iter().find(|s| s.key == key).expect("a known key");
        assert!(
            spec.parse(value).is_ok(),
            "kept a bad value {key}={value:?}"
        );
    }
    let (params, _) = resolve_params(block, &state.params);
    assert!(block.check(&params).is_ok());
    let seed = state.seed.unwrap_or(1);
    let speed = state.speed.unwrap_or_default();
    let written = format_query(
        specs,
        &params,
        seed,
        state.t.unwrap_or(SimTime(0)),
        state.step,
        speed,
    );
    let (again, errors) = parse_query(&written, specs);
    assert!(errors.is_empty(), "{written}: {errors:?}");
    assert_eq!(again.seed, Some(seed));
    let (params_again, errors) = resolve_params(block, &again.params);
    assert!(errors.is_empty(), "{written}: {errors:?}");
    assert_eq!(params_again, params, "{written}");
});
