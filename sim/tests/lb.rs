//! The load-balancer block end to end: results against hand-checkable cases, determinism, and
//! property tests of the event log over random parameters and seeds.

use hopscope_sim::{registry, run_scenario, Event, Run};
use proptest::prelude::*;

fn lb(sets: &[(&str, &str)], seed: u64) -> Run {
    run_scenario(registry::find("lb").unwrap(), sets, seed).unwrap()
}

fn num(run: &Run, key: &str) -> u64 {
    run.result[key]
        .as_u64()
        .unwrap_or_else(|| panic!("result.{key} missing"))
}

#[test]
fn same_seed_same_bytes_other_seed_other_run() {
    let a = lb(&[], 7).to_json();
    assert_eq!(a, lb(&[], 7).to_json());
    assert_ne!(a, lb(&[], 8).to_json());
}

#[test]
fn round_robin_assigns_in_rotation() {
    let run = lb(
        &[
            ("backends", "4"),
            ("weights", "1,1,1,1"),
            ("requests", "10"),
        ],
        3,
    );
    let got: Vec<i64> = run.result["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(got, vec![0, 1, 2, 3, 0, 1, 2, 3, 0, 1]);
}

#[test]
fn drained_backend_gets_nothing() {
    let run = lb(&[("weights", "1,0,1"), ("requests", "6")], 3);
    let got: Vec<i64> = run.result["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(got, vec![0, 2, 0, 2, 0, 2]);
}

/// With constant service, no queueing and hops of `link`, every latency is exactly
/// 4 × link + service: the four hops client→LB→backend→LB→client.
#[test]
fn latency_is_four_hops_plus_service_when_nothing_waits() {
    let run = lb(
        &[
            ("service", "const"),
            ("service_ms", "10"),
            ("link_ms", "5"),
            ("rate", "1"),
            ("capacity", "100"),
            ("requests", "50"),
        ],
        1,
    );
    let lat = &run.result["latency_us"];
    for p in ["p50", "p95", "p99"] {
        assert_eq!(lat[p].as_u64(), Some(30_000), "{p}");
    }
    assert_eq!(lat["mean"].as_f64(), Some(30_000.0));
    assert_eq!(num(&run, "served"), 50);
}

/// One backend, capacity 1, no queue, constant 100 ms service, and requests every ~1 ms: the
/// backend is busy with the first request and must reject nearly everything in between.
#[test]
fn a_full_backend_without_queue_rejects() {
    let run = lb(
        &[
            ("backends", "1"),
            ("weights", "1"),
            ("capacity", "1"),
            ("queue", "0"),
            ("service", "const"),
            ("service_ms", "100"),
            ("rate", "1000"),
            ("requests", "100"),
        ],
        1,
    );
    let (served, dropped) = (num(&run, "served"), num(&run, "dropped"));
    assert_eq!(served + dropped, 100);
    assert!((1..=3).contains(&served), "served {served}");
    let drops = run
        .events
        .iter()
        .filter(|e| matches!(e, Event::Drop { .. }))
        .count() as u64;
    assert_eq!(drops, dropped, "every rejection is in the log");
    let replies_503 = run
        .events
        .iter()
        .filter(|e| matches!(e, Event::Hop { label, to: 0, .. } if label == "503"))
        .count() as u64;
    assert_eq!(
        replies_503, dropped,
        "every rejection travels back to the client as a 503"
    );
}

#[test]
fn queueing_instead_of_rejecting() {
    let sets = [
        ("backends", "1"),
        ("weights", "1"),
        ("capacity", "1"),
        ("queue", "1000"),
        ("service", "const"),
        ("service_ms", "100"),
        ("rate", "1000"),
        ("requests", "20"),
    ];
    let run = lb(&sets, 1);
    assert_eq!(num(&run, "dropped"), 0);
    // FIFO with constant service: the last request waits for the 19 before it.
    assert!(run.result["latency_us"]["p99"].as_u64().unwrap() >= 19 * 100_000);
}

#[test]
fn the_narration_explains_the_first_picks() {
    let run = lb(&[], 1);
    assert!(
        run.steps[0].text.contains("Request 1") && run.steps[0].text.contains("backend 1"),
        "{}",
        run.steps[0].text
    );
    assert!(
        run.steps[2].text.contains("Request 3")
            && run.steps[2].text.contains("backend 3")
            && run.steps[2].text.contains("after backend 2"),
        "{}",
        run.steps[2].text
    );
    assert!(run
        .steps
        .last()
        .unwrap()
        .text
        .starts_with("All 200 requests are done"));
}

#[test]
fn series_cover_backends_latency_and_drops() {
    let run = lb(&[], 1);
    let charts: std::collections::BTreeSet<&str> =
        run.series.iter().map(|s| s.chart.as_str()).collect();
    assert_eq!(
        charts.into_iter().collect::<Vec<_>>(),
        vec!["Drops", "In flight per backend", "Latency"]
    );
    assert_eq!(
        run.series
            .iter()
            .filter(|s| s.chart == "In flight per backend")
            .count(),
        3
    );
}

#[test]
fn big_runs_cut_the_log_but_not_the_results() {
    let run = lb(
        &[("requests", "100000"), ("rate", "5000"), ("capacity", "64")],
        1,
    );
    assert!(run.events_until.is_some(), "the hop log is capped");
    assert!(run.events.len() <= 200_000);
    assert_eq!(num(&run, "served") + num(&run, "dropped"), 100_000);
    assert_eq!(run.result["assignments"].as_array().unwrap().len(), 100_000);
    assert!(
        run.series[0].points.len() < 1_000,
        "series stay downsampled"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Over random parameters and seeds: the log is time-ordered, every hop arrives no earlier than
    /// it was sent, every request ends exactly once, and round robin rotates.
    #[test]
    fn event_log_invariants(
        seed in any::<u64>(),
        backends in 1usize..6,
        requests in 1u64..300,
        rate in 1.0f64..2_000.0,
        service in prop::sample::select(vec!["exp", "lognormal", "const"]),
        service_ms in 0.01f64..200.0,
        capacity in 1u32..4,
        queue in 0u32..5,
        link_ms in 0.0f64..20.0,
    ) {
        let weights = vec!["1"; backends].join(",");
        let sets = [
            ("backends", backends.to_string()), ("weights", weights), ("requests", requests.to_string()),
            ("rate", rate.to_string()), ("service", service.to_string()), ("service_ms", service_ms.to_string()),
            ("capacity", capacity.to_string()), ("queue", queue.to_string()), ("link_ms", link_ms.to_string()),
        ];
        let run = run_scenario(registry::find("lb").unwrap(), &sets, seed).unwrap();
        let mut last = 0;
        for e in &run.events {
            prop_assert!(e.at().0 >= last, "seed {seed}: time went backwards");
            last = e.at().0;
            if let Event::Hop { at, arrive, .. } = e {
                prop_assert!(arrive >= at, "seed {seed}: arrival before send");
            }
        }
        let served = run.result["served"].as_u64().unwrap();
        let dropped = run.result["dropped"].as_u64().unwrap();
        prop_assert_eq!(served + dropped, requests, "seed {}: every request ends exactly once", seed);
        let assignments: Vec<u64> = run.result["assignments"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        prop_assert_eq!(assignments.len() as u64, requests);
        for (i, b) in assignments.iter().enumerate() {
            prop_assert_eq!(*b, (i % backends) as u64);
        }
        // Each request's response (200) or rejection (503) reaches the client exactly once.
        let replies = run.events.iter().filter(|e| matches!(e, Event::Hop { to: 0, .. })).count() as u64;
        prop_assert_eq!(replies, requests);
    }
}
