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
            ("retries", "0"),
        ],
        1,
    );
    let (served, dropped) = (num(&run, "served"), num(&run, "dropped"));
    assert_eq!(served + dropped, 100);
    assert!((1..=3).contains(&served), "served {served}");
    let drops = run
        .events
        .iter()
        .filter(|e| matches!(e, Event::Drop { reason, .. } if reason == "backend full"))
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
        ("timeout_ms", "3600000"),
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
        vec![
            "Failed and dropped",
            "In flight per backend",
            "Latency",
            "Utilisation"
        ]
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
            ("retries", "0".into()), ("timeout_ms", "3600000".into()), ("health", "off".into()),
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
        prop_assert_eq!(run.result["failed"].as_u64(), Some(0));
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

fn assignments(run: &Run) -> Vec<i64> {
    run.result["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect()
}

#[test]
fn smooth_weighted_round_robin_interleaves() {
    let run = lb(
        &[
            ("algorithm", "weighted_round_robin"),
            ("weights", "5,1,1"),
            ("requests", "14"),
            ("rate", "1"),
        ],
        1,
    );
    assert_eq!(
        assignments(&run),
        vec![0, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 2, 0, 0]
    );
}

/// Every algorithm sees the identical arrivals for the same seed: compare mode relies on it.
#[test]
fn algorithms_share_the_same_traffic() {
    let arrivals = |algorithm: &str| -> Vec<(u64, u64)> {
        let run = lb(
            &[
                ("algorithm", algorithm),
                ("requests", "300"),
                ("rate", "120"),
            ],
            9,
        );
        run.events
            .iter()
            .filter_map(|e| match e {
                Event::Hop {
                    at,
                    from: 0,
                    msg,
                    label,
                    ..
                } if label == "GET" => Some((at.0, *msg)),
                _ => None,
            })
            .collect()
    };
    let base = arrivals("round_robin");
    assert_eq!(base.len(), 300);
    for a in [
        "least_connections",
        "power_of_two",
        "peak_ewma",
        "maglev",
        "random",
    ] {
        assert_eq!(arrivals(a), base, "{a} got different traffic");
    }
}

/// Random assignment of Poisson arrivals with exponential service is N independent M/M/1
/// queues: the simulated mean response time must match 1/(μ − λ/N) + 4 hops.
#[test]
fn random_matches_mm1_per_backend() {
    let run = lb(
        &[
            ("algorithm", "random"),
            ("capacity", "1"),
            ("queue", "1000000"),
            ("requests", "200000"),
            ("rate", "60"),
            ("service_ms", "30"),
            ("link_ms", "1"),
            ("health", "off"),
            ("timeout_ms", "3600000"),
            ("retries", "0"),
        ],
        3,
    );
    let th = &run.result["theory"];
    assert!(th["model"].as_str().unwrap().starts_with("M/M/1"));
    // λ/N = 20/s, μ = 33.3/s: W = 1/(13.33/s) = 75 ms, plus 4 ms of hops.
    assert!((th["mean_us"].as_f64().unwrap() - 79_000.0).abs() < 1.0);
    let err = th["error_pct"].as_f64().unwrap();
    assert!(err.abs() < 3.0, "simulated mean off theory by {err:.2}%");
}

/// One shared queue (requests wait at the balancer for any free slot) is M/M/c: Erlang C.
#[test]
fn shared_queue_matches_erlang_c() {
    let run = lb(
        &[
            ("queue_at", "lb"),
            ("queue", "1000000"),
            ("capacity", "1"),
            ("rate", "70"),
            ("service_ms", "35"),
            ("requests", "200000"),
            ("health", "off"),
            ("timeout_ms", "3600000"),
            ("link_ms", "0"),
        ],
        5,
    );
    let th = &run.result["theory"];
    assert!(th["model"].as_str().unwrap().starts_with("M/M/3"), "{th}");
    let err = th["error_pct"].as_f64().unwrap();
    assert!(
        err.abs() < 3.0,
        "simulated mean off Erlang C by {err:.2}%: {th}"
    );
}

#[test]
fn a_dead_backend_is_detected_by_health_checks() {
    let run = lb(
        &[
            ("faults", "down:2@1s"),
            ("requests", "400"),
            ("rate", "60"),
            ("hc_interval_ms", "500"),
            ("hc_timeout_ms", "250"),
            ("timeout_ms", "300"),
        ],
        1,
    );
    let d = &run.result["detection"][0];
    assert_eq!(d["backend"], 1);
    let delay = d["delay_us"].as_u64().expect("detected");
    // fall = 3 failed checks, one every interval: between 2 and 3.5 intervals plus a timeout.
    assert!((1_000_000..=2_000_000).contains(&delay), "delay {delay}");
    assert!(d["requests_sent_while_dead"].as_u64().unwrap() > 0);
    // After detection round robin skips backend 2: late assignments are 0 and 2 only.
    let late: Vec<i64> = assignments(&run).into_iter().skip(300).collect();
    assert!(
        late.iter().all(|b| *b != 1),
        "backend 2 still assigned after detection"
    );
    // Retries rescue requests that hit the dead backend.
    assert!(run.result["retried"].as_u64().unwrap() > 0);
    assert!(run.steps.iter().any(|s| s.text.contains("marked DOWN")));
}

#[test]
fn without_checks_passive_ejection_removes_it() {
    let run = lb(
        &[
            ("faults", "down:2@1s"),
            ("health", "off"),
            ("eject_after", "3"),
            ("eject_ms", "60000"),
            ("requests", "400"),
            ("rate", "60"),
            ("timeout_ms", "300"),
        ],
        1,
    );
    assert!(run.result["detection"][0]["delay_us"].as_u64().is_some());
    assert!(run.steps.iter().any(|s| s.text.contains("ejects it")));
}

#[test]
fn consistent_hashing_moves_only_the_dead_backends_clients() {
    for algorithm in ["ring_hash", "maglev", "ip_hash"] {
        let run = lb(
            &[
                ("algorithm", algorithm),
                ("backends", "5"),
                ("weights", "1"),
                ("faults", "down:3@1s"),
                ("clients", "1000"),
                ("requests", "300"),
                ("rate", "100"),
                ("hc_interval_ms", "300"),
                ("hc_timeout_ms", "150"),
                ("timeout_ms", "200"),
            ],
            1,
        );
        let m = &run.result["moved_keys"][0];
        let moved = m["moved_keys"].as_u64().unwrap();
        // Roughly a fifth of the clients lived on backend 3; nobody else should move.
        assert!(
            (100..=330).contains(&moved),
            "{algorithm}: {moved} of 1000 moved"
        );
    }
}

#[test]
fn source_ip_affinity_pins_a_whole_nat_to_one_backend() {
    let run = lb(
        &[
            ("sticky", "source_ip"),
            ("nat_share", "0.5"),
            ("backends", "4"),
            ("weights", "1"),
            ("requests", "2000"),
            ("rate", "50"),
            ("queue", "1000"),
            ("timeout_ms", "3600000"),
        ],
        2,
    );
    let served: Vec<u64> = run.result["per_backend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["served"].as_u64().unwrap())
        .collect();
    let max = *served.iter().max().unwrap();
    // Half the requests come from one address; its backend also gets its share of the rest.
    assert!(
        max as f64 > 0.5 * 2000.0,
        "busiest backend served {max} of 2000: {served:?}"
    );
    let cookie = lb(
        &[
            ("sticky", "cookie"),
            ("nat_share", "0.5"),
            ("backends", "4"),
            ("weights", "1"),
            ("requests", "2000"),
            ("rate", "50"),
            ("queue", "1000"),
            ("timeout_ms", "3600000"),
        ],
        2,
    );
    let served: Vec<u64> = cookie.result["per_backend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["served"].as_u64().unwrap())
        .collect();
    assert!(
        *served.iter().max().unwrap() < 800,
        "cookies spread the NAT's users: {served:?}"
    );
}

#[test]
fn tls_passthrough_costs_backends_what_termination_costs_the_balancer() {
    let util = |run: &Run, name: &str| -> f64 {
        let s = run
            .series
            .iter()
            .find(|s| s.chart == "Utilisation" && s.name == name)
            .unwrap();
        s.points.iter().map(|p| p.1).sum::<f64>() / s.points.len() as f64
    };
    let common = [
        ("tls_version", "1.2"),
        ("tls_full_ms", "20"),
        ("tls_resume", "0"),
        ("requests", "400"),
        ("rate", "40"),
    ];
    let term = lb(&[&common[..], &[("tls", "terminate")]].concat(), 4);
    let pass = lb(&[&common[..], &[("tls", "passthrough")]].concat(), 4);
    assert!(
        util(&pass, "backend 1") > util(&term, "backend 1") * 1.2,
        "handshakes load backends in passthrough"
    );
    assert!(util(&term, "balancer CPU") > 0.0);
    assert!(!pass.series.iter().any(|s| s.name == "balancer CPU"));
    // TLS 1.2's full handshake takes two round trips, 1.3's one: 1.2 is slower end to end.
    let v13 = lb(
        &[&common[..], &[("tls", "terminate"), ("tls_version", "1.3")]].concat(),
        4,
    );
    assert!(v13.result["latency_us"]["p50"].as_u64() < term.result["latency_us"]["p50"].as_u64());
}

#[test]
fn fault_schedule_errors_name_the_item() {
    let err = run_scenario(
        registry::find("lb").unwrap(),
        &[("faults", "down:2@1s,dwn:1@2s")],
        1,
    )
    .unwrap_err();
    expect_test::expect![[r#"faults="down:2@1s,dwn:1@2s": expected ACTION:BACKEND@TIME items; item 2 at character 11 ("dwn:1@2s"): unknown action "dwn"; expected down, up or slow"#]].assert_eq(&err.to_string());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Every algorithm, with failures, retries, checks, stickiness and TLS drawn at random: every
    /// request ends exactly once and the log stays consistent.
    #[test]
    fn every_request_ends_exactly_once(
        seed in any::<u64>(),
        algorithm in prop::sample::select(hopscope_sim::lb::algo::ALGORITHMS.to_vec()),
        requests in 1u64..250,
        rate in 5.0f64..500.0,
        down_ms in 0u64..3_000,
        up_ms in 0u64..3_000,
        retries in 0u32..3,
        sticky in prop::sample::select(vec!["none", "cookie", "source_ip"]),
        tls in prop::sample::select(vec!["off", "terminate", "passthrough"]),
        queue_at in prop::sample::select(vec!["backend", "lb"]),
        health in prop::sample::select(vec!["active", "off"]),
        eject_after in 0u32..4,
    ) {
        let sticky = if tls == "passthrough" && sticky == "cookie" { "source_ip" } else { sticky };
        let faults = format!("down:2@{down_ms}ms,up:2@{}ms,slow:1x3@{up_ms}ms", down_ms + up_ms);
        let sets = [
            ("algorithm", algorithm.to_string()), ("requests", requests.to_string()), ("rate", rate.to_string()),
            ("faults", faults), ("retries", retries.to_string()), ("sticky", sticky.to_string()), ("tls", tls.to_string()),
            ("queue_at", queue_at.to_string()), ("health", health.to_string()), ("eject_after", eject_after.to_string()),
            ("hc_interval_ms", "200".into()), ("hc_timeout_ms", "100".into()), ("timeout_ms", "250".into()), ("maglev_table", "251".into()),
        ];
        let run = run_scenario(registry::find("lb").unwrap(), &sets, seed).unwrap();
        let r = &run.result;
        let (served, dropped, failed) = (r["served"].as_u64().unwrap(), r["dropped"].as_u64().unwrap(), r["failed"].as_u64().unwrap());
        prop_assert_eq!(served + dropped + failed, requests, "seed {}: every request ends exactly once", seed);
        let mut last = 0;
        for e in &run.events {
            prop_assert!(e.at().0 >= last, "seed {}: time went backwards", seed);
            last = e.at().0;
        }
        let finals = run.events.iter().filter(|e| matches!(e, Event::Hop { to: 0, label, .. } if ["200", "503", "504"].contains(&label.as_ref()))).count() as u64;
        prop_assert_eq!(finals, requests, "seed {}: one final answer per request", seed);
    }
}

/// A retry never returns to a backend the request already tried while another is eligible
/// (nginx's proxy_next_upstream): with one dead backend and one retry, no request fails.
#[test]
fn retries_go_to_a_backend_not_yet_tried() {
    let run = lb(
        &[
            ("faults", "down:2@0s"),
            ("health", "off"),
            ("retries", "1"),
            ("timeout_ms", "1000"),
            ("requests", "300"),
            ("rate", "20"),
            ("queue", "50"),
            ("retry_budget", "1000"),
        ],
        3,
    );
    assert!(
        num(&run, "retried") > 50,
        "the dead backend's requests are retried"
    );
    assert_eq!(
        num(&run, "failed"),
        0,
        "no retry went back to the dead backend"
    );
}
