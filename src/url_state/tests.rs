//! Data-driven cases for the URL state: the input query beside what it parses to.

use super::*;
use crate::fixture::TOY;
use expect_test::{expect, Expect};
use hopscope_sim::registry;

fn toy() -> &'static dyn BlockSpec {
    &TOY
}

/// Parses `query` for the test block and prints what it kept and every error, one per line.
fn check(query: &str, want: Expect) {
    let block = toy();
    let (state, mut errors) = parse_query(query, block.params());
    let (params, rule_errors) = resolve_params(block, &state.params);
    errors.extend(rule_errors);
    let mut out = String::new();
    let overrides: Vec<String> = state
        .params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    out.push_str(&format!("overrides [{}]\n", overrides.join(" ")));
    out.push_str(&format!(
        "seed {:?} t {:?} step {:?} speed {:?}\n",
        state.seed,
        state.t.map(|t| t.0),
        state.step,
        state.speed.map(|s| s.to_string())
    ));
    let defaults = Params::defaults(block.params()).expect("valid defaults");
    let changed: Vec<String> = params
        .to_pairs()
        .into_iter()
        .zip(defaults.to_pairs())
        .filter(|(p, d)| p != d)
        .map(|((k, v), _)| format!("{k}={v}"))
        .collect();
    out.push_str(&format!(
        "params differ from defaults: [{}]\n",
        changed.join(" ")
    ));
    for e in errors {
        out.push_str(&format!("error {e}\n"));
    }
    want.assert_eq(&out);
}

#[test]
fn good_queries() {
    check(
        "",
        expect![[r#"
            overrides []
            seed None t None step None speed None
            params differ from defaults: []
        "#]],
    );
    check(
        "?seed=7&backends=4&weights=1,2,1,1&t=123456&step=4&speed=0.25",
        expect![[r#"
            overrides [backends=4 weights=1,2,1,1]
            seed Some(7) t Some(123456) step Some(4) speed Some("0.25")
            params differ from defaults: [backends=4 weights=1,2,1,1]
        "#]],
    );
    check(
        "service=lognormal&&weights=1%2C0%2C1&rate=2e1",
        expect![[r#"
            overrides [service=lognormal weights=1,0,1 rate=2e1]
            seed None t None step None speed None
            params differ from defaults: [rate=20 service=lognormal weights=1,0,1]
        "#]],
    );
}

#[test]
fn bad_values_fall_back_to_defaults_with_a_message() {
    check(
        "seed=-1&t=soon&step=x&speed=3&backends=0&rate=NaN&bogus=1",
        expect![[r#"
            overrides []
            seed None t None step None speed None
            params differ from defaults: []
            error seed="-1": expected an integer from 0 to 18446744073709551615
            error t="soon": expected a time in microseconds: an integer from 0
            error step="x": expected a step index: an integer from 0
            error speed="3": expected one of 0.25, 0.5, 1, 2, 4, 8, 16
            error backends="0": expected an integer from 1 to 32
            error rate="NaN": expected a number from 0.01 to 1000000
            error bogus="1": expected a known key, one of: seed, t, step, speed, compare, embed, panels, autoplay, loop, theme, origin, algorithm, backends, weights, requests, rate, service, queue, link_ms, clients
        "#]],
    );
    check(
        "seed=99999999999999999999&weights=1%ZZ&%E2%28=1",
        expect![[r#"
            overrides []
            seed None t None step None speed None
            params differ from defaults: []
            error seed="99999999999999999999": expected an integer from 0 to 18446744073709551615
            error weights="1%ZZ": expected a value without broken %-escapes
            error %E2%28="1": expected a key without broken %-escapes
        "#]],
    );
}

#[test]
fn rules_across_fields_fall_back_key_by_key() {
    // Four backends need four weights, and the URL gave none: the backend count falls back to
    // its default, the rate stays.
    check(
        "backends=4&rate=80",
        expect![[r#"
            overrides [backends=4 rate=80]
            seed None t None step None speed None
            params differ from defaults: [rate=80]
            error backends="4": expected a value that fits the default weights=1,1,1 (with backends=4, weights must be 4 weights (one per backend), got 3)
        "#]],
    );
    check(
        "weights=0,0,0",
        expect![[r#"
            overrides [weights=0,0,0]
            seed None t None step None speed None
            params differ from defaults: []
            error weights="0,0,0": expected at least one weight above 0
        "#]],
    );
}

#[test]
fn formatted_urls_parse_back_to_the_same_scenario() {
    let block = toy();
    let cases: &[&[(&str, &str)]] = &[
        &[],
        &[
            ("backends", "5"),
            ("weights", "1,2.5,0,1,1"),
            ("service", "const"),
        ],
        &[("rate", "0.30000000000000004"), ("link_ms", "0")],
    ];
    for overrides in cases {
        let params = Params::parse(block.params(), overrides).expect("valid case");
        for (seed, t, step, speed) in [
            (0, 0, None, Speed::NORMAL),
            (u64::MAX, 3_832_748, Some(14), Speed::ALL[0]),
        ] {
            let query = format_query(block.params(), &params, seed, SimTime(t), step, speed);
            let (state, errors) = parse_query(&query, block.params());
            assert!(errors.is_empty(), "{query}: {errors:?}");
            let (back, rule_errors) = resolve_params(block, &state.params);
            assert!(rule_errors.is_empty(), "{query}: {rule_errors:?}");
            assert_eq!(back, params, "{query}");
            assert_eq!(
                (state.seed, state.t, state.step, state.speed),
                (Some(seed), Some(SimTime(t)), step, Some(speed))
            );
        }
    }
}

#[test]
fn format_lists_seed_then_params_in_spec_order_then_cursor() {
    let block = toy();
    let params = Params::parse(block.params(), &[("weights", "1,2,3")]).expect("valid");
    let query = format_query(
        block.params(),
        &params,
        1,
        SimTime(5000),
        Some(0),
        Speed::NORMAL,
    );
    expect!["seed=1&algorithm=round_robin&backends=3&weights=1,2,3&requests=4&rate=50&service=exp&queue=4&link_ms=5&clients=50&t=5000&step=0&speed=1"]
        .assert_eq(&query);
    assert_eq!(format_hash("lb", "seed=1"), "#/lb?seed=1");
}

#[test]
fn escapes_round_trip() {
    for s in ["", "plain", "a b&c=d", "é,ü", "100%", "1e+3"] {
        assert_eq!(percent_decode(&percent_encode(s)).as_deref(), Some(s));
    }
    assert_eq!(percent_decode("%4"), None);
    assert_eq!(percent_decode("%+1"), None);
    assert_eq!(percent_decode("%FF"), None, "not UTF-8");
}

#[test]
fn every_registered_block_round_trips_its_defaults_and_presets() {
    for block in registry::specs() {
        let specs = block.params();
        let mut cases = vec![Params::defaults(specs).expect("valid defaults")];
        for preset in block.presets() {
            cases.push(
                Params::parse(specs, preset.values)
                    .unwrap_or_else(|e| panic!("{} preset {}: {e}", block.id(), preset.id)),
            );
        }
        for params in cases {
            let query = format_query(specs, &params, 42, SimTime(7), Some(0), Speed::NORMAL);
            let (state, errors) = parse_query(&query, specs);
            assert!(errors.is_empty(), "{}: {query}: {errors:?}", block.id());
            let (back, _) = resolve_params(*block, &state.params);
            assert_eq!(back, params, "{}: {query}", block.id());
        }
    }
}

#[test]
fn thousands_of_problems_and_megabyte_keys_make_a_short_list() {
    // A megabyte-long key, then 60,000 unknown keys: the first problems are listed, each
    // quoted briefly, and one more line counts the rest.
    let query = format!(
        "{}=1&{}",
        "K".repeat(1 << 20),
        (0..60_000)
            .map(|i| format!("k{i}=1"))
            .collect::<Vec<_>>()
            .join("&")
    );
    let (_, errors) = parse_query(&query, toy().params());
    assert_eq!(errors.len(), MAX_LISTED);
    assert!(errors[0].key.starts_with("KKKK") && errors[0].key.ends_with('…'));
    assert!(errors[0].key.chars().count() <= 81);
    assert_eq!(errors[1].key, "k0");
    let last = errors.last().expect("a last line");
    assert_eq!(last.value, "59992 more");
    assert!(last.allowed.contains("59992 more are not listed"), "{last}");
    let total: usize = errors.iter().map(|e| e.to_string().len()).sum();
    assert!(total < 10_000, "{total} bytes of messages");
}

#[test]
fn a_few_problems_are_all_listed_unchanged() {
    let (_, errors) = parse_query("a=1&b=2&c=3", toy().params());
    assert_eq!(errors.len(), 3);
    assert_eq!(
        errors.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
}

/// The DNS block's zone files: a documents parameter with many long documents.
mod documents {
    use super::*;
    use hopscope_sim::dns::internet::DEFAULT_ZONES;

    fn dns() -> &'static dyn BlockSpec {
        *registry::specs()
            .iter()
            .find(|b| b.id() == "dns")
            .expect("the DNS block is registered")
    }

    fn with_zones(zones: &[&str]) -> Params {
        let pairs: Vec<(&str, &str)> = zones.iter().map(|z| ("zone", *z)).collect();
        Params::parse(dns().params(), &pairs).expect("valid zones")
    }

    fn round_trip(params: &Params) -> String {
        let specs = dns().params();
        let query = format_query(specs, params, 3, SimTime(9), None, Speed::NORMAL);
        let (state, errors) = parse_query(&query, specs);
        assert!(errors.is_empty(), "{errors:?}");
        let (back, rule_errors) = resolve_params(dns(), &state.params);
        assert!(rule_errors.is_empty(), "{rule_errors:?}");
        assert_eq!(&back, params);
        query
    }

    #[test]
    fn every_zone_of_an_edited_internet_comes_back_packed() {
        let edited = DEFAULT_ZONES[10].1.replace("192.0.2.80", "203.0.113.7");
        let mut zones: Vec<&str> = DEFAULT_ZONES.iter().map(|(_, z)| *z).collect();
        zones[10] = &edited;
        let query = round_trip(&with_zones(&zones));
        assert!(query.contains("&zone~=1"), "{query}");
        assert!(!query.contains("&zone="), "one packed value, not 16");
        let text: usize = zones.iter().map(|z| z.len()).sum();
        assert!(
            query.len() < text / 2,
            "{} characters of address for {text} of zone text",
            query.len()
        );
    }

    #[test]
    fn short_documents_stay_readable() {
        let tiny = ". 60 IN SOA a. b. 1 2 3 4 5\n. IN NS a.\na. IN A 192.0.2.1\n";
        let query = round_trip(&with_zones(&[tiny]));
        assert!(query.contains("&zone=.%2060%20IN%20SOA"), "{query}");
        // No zones: the default internet, and nothing in the address.
        let query = round_trip(&Params::defaults(dns().params()).expect("defaults"));
        assert!(!query.contains("zone"), "{query}");
    }

    #[test]
    fn repeated_keys_add_documents_and_a_bad_pack_is_reported() {
        let specs = dns().params();
        let (state, errors) = parse_query("zone=a&name=x&zone=b&name=y", specs);
        assert!(errors.is_empty(), "{errors:?}");
        let pairs: Vec<String> = state
            .params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        assert_eq!(pairs, ["zone=a", "zone=b", "name=y"]);

        let (state, errors) = parse_query("zone~=1AAAA&zone~=xyz", specs);
        assert!(state.params.is_empty());
        let errors: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        expect![[r#"
            [
                "zone=\"1AAAA\": expected documents packed by Hopscope (up to 64 documents of up to 200000 characters each): this one does not unpack, perhaps the link was cut short",
                "zone=\"xyz\": expected documents packed by Hopscope (up to 64 documents of up to 200000 characters each): this one does not unpack, perhaps the link was cut short",
            ]
        "#]]
        .assert_debug_eq(&errors);
    }

    #[test]
    fn zones_that_do_not_fit_together_fall_back_to_the_default_internet_at_once() {
        // Two zones, neither of them the root: the whole set goes, with one message.
        let a = "$ORIGIN a.\n@ 60 IN SOA ns.a. h.a. 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.1\n";
        let b = a.replace("$ORIGIN a.", "$ORIGIN b.").replace(".a.", ".b.");
        let overrides = vec![
            ("zone".to_string(), a.to_string()),
            ("zone".to_string(), b),
            ("name".to_string(), "www.example.com".to_string()),
        ];
        let (params, errors) = resolve_params(dns(), &overrides);
        assert_eq!(params.docs("zone").len(), 0);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].allowed.contains("a root zone"), "{}", errors[0]);
    }
}
