//! The ID block's scenarios: each preset's story shows up in its result, bad parameters are
//! clear errors, and random small configurations keep the run's bookkeeping consistent.

use hopscope_sim::{registry, run_scenario, Event, Run};
use proptest::prelude::*;

fn ids(sets: &[(&str, &str)], seed: u64) -> Run {
    run_scenario(registry::find("ids").expect("registered"), sets, seed)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn preset(id: &str) -> Run {
    let block = registry::find("ids").unwrap();
    let p = block
        .presets()
        .iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("no preset {id}"));
    run_scenario(block, p.values, 1).unwrap()
}

fn num(run: &Run, key: &str) -> u64 {
    run.result[key]
        .as_u64()
        .unwrap_or_else(|| panic!("result.{key} missing"))
}

fn series(run: &Run, chart: &str, name: &str) -> Vec<f64> {
    run.series
        .iter()
        .find(|s| s.chart == chart && s.name == name)
        .unwrap_or_else(|| panic!("no series {chart} / {name}"))
        .points
        .iter()
        .map(|p| p.1)
        .collect()
}

#[test]
fn the_result_lists_ids_decoded_and_totals() {
    let run = ids(&[("count", "1500")], 3);
    assert_eq!(num(&run, "issued"), 1500);
    assert_eq!(
        run.result["ids"].as_array().unwrap().len(),
        1000,
        "listed IDs are capped"
    );
    let first = run.result["ids"][0].as_str().unwrap();
    let decoded = &run.result["decoded"][0];
    assert_eq!(decoded["canonical"], first);
    assert_eq!(decoded["format"], "snowflake");
    assert_eq!(decoded["fields"].as_array().unwrap().len(), 5);
    let d = hopscope_sim::ids::decode(first).unwrap();
    // The first request comes at once; the worker's clock is within the 1 ms default skew.
    assert!(
        (d.unix_ms.unwrap() - 1_704_067_200_000).abs() <= 1,
        "{:?}",
        d.utc
    );
    assert_eq!(num(&run, "duplicates"), 0);
}

#[test]
fn ntp_step_back_snowflake_refuses_or_waits_naive_duplicates() {
    let refuse = preset("ntp_step_refuse");
    let wait = preset("ntp_step_wait");
    let naive = preset("ntp_step_naive");
    assert_eq!(num(&refuse, "duplicates"), 0);
    assert!(
        num(&refuse, "refusals") > 50,
        "refusals {}",
        num(&refuse, "refusals")
    );
    assert_eq!(num(&refuse, "issued") + num(&refuse, "refusals"), 6000);
    assert_eq!(
        (
            num(&wait, "duplicates"),
            num(&wait, "refusals"),
            num(&wait, "issued")
        ),
        (0, 0, 6000)
    );
    assert!(num(&wait, "waits") > 50);
    assert!(
        wait.result["latency_us"]["p99"].as_u64().unwrap() > 100_000,
        "held ~300 ms"
    );
    assert!(num(&naive, "duplicates") > 0);
    assert_eq!(
        naive.result["duplicate_ids"].as_array().unwrap().len() as u64,
        num(&naive, "duplicates").min(50)
    );
    let drops = naive
        .events
        .iter()
        .filter(|e| matches!(e, Event::Drop { reason, .. } if reason.starts_with("duplicate key")))
        .count();
    assert_eq!(drops as u64, num(&naive, "duplicates"));
    assert!(naive.steps.iter().any(|s| s.text.starts_with("Duplicate:")));
}

#[test]
fn exhaustion_never_exceeds_4096_per_millisecond() {
    let run = preset("exhaustion");
    assert_eq!(num(&run, "issued"), 40_000);
    let peak = series(&run, "Busiest millisecond", "IDs in one ms on one worker");
    assert_eq!(peak.iter().cloned().fold(0.0, f64::max), 4096.0);
    // 40 000 IDs at 4096 per ms take at least 10 ms of the worker's clock.
    assert!(run.duration.0 >= 9_000, "duration {}", run.duration.0);
    assert!(num(&run, "waits") > 1000);
    let mut seen = std::collections::BTreeSet::new();
    for id in run.result["ids"].as_array().unwrap() {
        let d = hopscope_sim::ids::decode(id.as_str().unwrap()).unwrap();
        assert!(seen.insert(d.value));
        assert!(d.fields[4].raw < 4096);
    }
}

#[test]
fn two_workers_with_one_worker_id_collide() {
    let run = preset("same_worker_id");
    assert!(num(&run, "duplicates") > 10);
    let dup = run.result["duplicate_ids"][0].as_str().unwrap();
    let d = hopscope_sim::ids::decode(dup).unwrap();
    assert_eq!((d.fields[2].raw, d.fields[3].raw), (0, 0), "worker 1's ids");
    let ok = ids(&[("skew_ms", "0"), ("rate", "500"), ("count", "4000")], 1);
    assert_eq!(num(&ok, "duplicates"), 0);
}

#[test]
fn clock_skew_puts_ids_out_of_order() {
    let skewed = preset("clock_skew");
    let calm = ids(
        &[
            ("datacenters", "3"),
            ("skew_ms", "0"),
            ("rate", "100"),
            ("count", "6000"),
        ],
        1,
    );
    assert!(num(&skewed, "inversions") > 3 * num(&calm, "inversions"));
    let spread = series(&skewed, "Clock spread", "max − min clock error");
    assert!(spread.iter().cloned().fold(0.0, f64::max) > 20.0);
}

#[test]
fn uuid4_birthday_bound_is_charted_and_reported() {
    let run = ids(&[("generator", "uuid4"), ("count", "5000")], 2);
    let b = &run.result["birthday"];
    assert_eq!(b["random_bits"], 122);
    let p = b["probability"].as_f64().unwrap();
    assert!((p / (5000.0 * 4999.0 / 2f64.powi(123)) - 1.0).abs() < 1e-12);
    let log = series(&run, "Birthday bound", "log10 P(any repeat so far)");
    assert!(log.windows(2).all(|w| w[0] <= w[1]) && log.last().copied().unwrap() < -29.0);
}

#[test]
fn random_keys_split_more_pages_than_time_ordered_ones() {
    let run = ids(
        &[
            ("generator", "uuid7"),
            ("index_compare", "on"),
            ("rate", "2500"),
            ("count", "20000"),
        ],
        1,
    );
    let index = run.result["index"].as_array().unwrap();
    let by = |f: &str| {
        index
            .iter()
            .find(|i| i["format"] == f)
            .unwrap_or_else(|| panic!("{f}"))
    };
    let splits = |f: &str| by(f)["page_splits"].as_u64().unwrap();
    assert!(
        splits("uuid4") > splits("uuid7") * 5 / 4,
        "{} vs {}",
        splits("uuid4"),
        splits("uuid7")
    );
    assert!(by("uuid4")["leaf_fill"].as_f64().unwrap() < 0.75);
    assert!(by("ulid")["leaf_fill"].as_f64().unwrap() > 0.85);
    let pages = |f: &str| {
        series(&run, "Index leaf pages written", f)
            .iter()
            .cloned()
            .fold(0.0, f64::max)
    };
    assert!(pages("uuid4") > 10.0 * pages("uuid7"));
}

#[test]
fn the_central_sequencer_is_a_single_point_of_failure_that_leases_soften() {
    let every = preset("central_outage");
    let leased = preset("range_lease");
    assert!(
        num(&every, "failures") > 500,
        "failures {}",
        num(&every, "failures")
    );
    assert_eq!(num(&every, "issued") + num(&every, "failures"), 6000);
    assert!(num(&leased, "failures") < num(&every, "failures") / 10);
    assert!(leased.result["remote"]["round_trips"].as_u64().unwrap() < 50);
    assert!(
        num(&leased, "inversions") > 0,
        "ranges interleave across workers"
    );
    assert_eq!(
        num(&every, "inversions"),
        0,
        "one counter, granted in order"
    );
    let hops = every
        .events
        .iter()
        .filter(|e| matches!(e, Event::Hop { from, to, .. } if *from < 4 && *to == 4))
        .count();
    assert!(
        hops >= 5000,
        "every ID a round trip: {hops} requests to the sequencer"
    );
}

#[test]
fn ticket_servers_fail_over_and_drift_apart() {
    let run = preset("ticket_servers");
    assert_eq!(
        (
            num(&run, "issued"),
            num(&run, "failures"),
            num(&run, "duplicates")
        ),
        (6000, 0, 0)
    );
    let remote = &run.result["remote"];
    assert!(remote["failovers"].as_u64().unwrap() > 100);
    let servers = remote["servers"].as_array().unwrap();
    assert!(servers[1]["granted"].as_u64().unwrap() > servers[0]["granted"].as_u64().unwrap());
    assert!(run.result["ids"]
        .as_array()
        .unwrap()
        .iter()
        .take(20)
        .any(|v| v.as_str().unwrap().parse::<u64>().unwrap() % 2 == 1));
}

#[test]
fn bad_parameters_name_key_value_and_allowed() {
    use expect_test::expect;
    let err = |sets: &[(&str, &str)]| {
        run_scenario(registry::find("ids").unwrap(), sets, 1)
            .unwrap_err()
            .to_string()
    };
    expect![[r#"generator="v4": expected one of snowflake, sonyflake, uuid4, uuid7, ulid, ticket, central, naive"#]]
        .assert_eq(&err(&[("generator", "v4")]));
    expect![[r#"datacenters="33": expected an integer from 1 to 32"#]]
        .assert_eq(&err(&[("datacenters", "33")]));
    expect![[r#"ntp_steps="5@100:-10": expected steps as worker@at_ms:step_ms, comma-separated, e.g. 1@2000:-500 (worker 1 to N or *, at 0 to 86400000 ms, step -86400000 to 86400000 ms and not 0); item 1 names worker "5", but there are workers 1 to 4"#]]
        .assert_eq(&err(&[("ntp_steps", "5@100:-10")]));
    expect![[r#"same_worker_id="on": expected off when there is only one worker (two are needed to share an id)"#]]
        .assert_eq(&err(&[("same_worker_id", "on"), ("datacenters", "1"), ("workers_per_dc", "1")]));
    expect![[r#"epoch_ms="1800000000000": expected an epoch at least a day before the start time 1704067200000 and less than 2^41 ms (69.7 years) before it, from 0 to 1703980800000"#]]
        .assert_eq(&err(&[("epoch_ms", "1800000000000")]));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Every request ends one way: issued, refused (local) or failed (remote); duplicates and
    /// inversions never exceed what was issued; the same seed gives the same bytes.
    #[test]
    fn every_request_is_accounted_for(
        g in 0usize..8, dcs in 1u32..3, per in 1u32..3, count in 1u64..400,
        rate in 10.0f64..5000.0, skew in 0.0f64..50.0, step in -200i64..200, seed in any::<u64>(),
    ) {
        let gens = ["snowflake", "sonyflake", "uuid4", "uuid7", "ulid", "ticket", "central", "naive"];
        let steps = if step == 0 { String::new() } else { format!("1@50:{step}") };
        let sets = vec![
            ("generator", gens[g].to_string()), ("datacenters", dcs.to_string()), ("workers_per_dc", per.to_string()),
            ("count", count.to_string()), ("rate", rate.to_string()), ("skew_ms", skew.to_string()),
            ("ntp_steps", steps), ("outage_at_ms", "20".into()), ("outage_ms", "30".into()), ("lease", "7".into()),
        ];
        let block = registry::find("ids").unwrap();
        let run = run_scenario(block, &sets, seed).unwrap();
        let r = &run.result;
        let (issued, refused, failed) = (r["issued"].as_u64().unwrap(), r["refusals"].as_u64().unwrap(), r["failures"].as_u64().unwrap());
        prop_assert_eq!(issued + refused + failed, count);
        prop_assert!(r["duplicates"].as_u64().unwrap() <= issued);
        prop_assert!(r["inversions"].as_u64().unwrap() <= issued);
        if gens[g] != "naive" {
            prop_assert_eq!(r["duplicates"].as_u64().unwrap(), 0);
        }
        prop_assert_eq!(run.to_json(), run_scenario(block, &sets, seed).unwrap().to_json());
    }
}
