//! The CLI contract (design.md): outputs and the one-line errors, through `cli::execute`.

use hopscope_sim::cli::execute;

fn run(args: &[&str]) -> Result<String, String> {
    execute(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

fn check_err(args: &[&str], expect: expect_test::Expect) {
    let err = run(args).expect_err("should fail");
    assert!(!err.contains('\n'), "one line: {err}");
    expect.assert_eq(&err);
}

#[test]
fn errors_name_the_key_the_value_and_what_is_allowed() {
    use expect_test::expect;
    check_err(
        &["run", "nope"],
        expect![[r#"unknown scenario "nope": expected one of lb, dns, ids, cache"#]],
    );
    check_err(
        &["run", "lb", "--set", "backends=0"],
        expect![[r#"backends="0": expected an integer from 1 to 128"#]],
    );
    check_err(
        &["run", "lb", "--set", "rate=fast"],
        expect![[r#"rate="fast": expected a number from 0.01 to 1000000"#]],
    );
    check_err(
        &["run", "lb", "--set", "service=gamma"],
        expect![[r#"service="gamma": expected one of exp, lognormal, const"#]],
    );
    check_err(
        &["run", "lb", "--set", "backends=2"],
        expect![[
            r#"weights="1,1,1": expected 2 values (one per backend) or a single value for all, got 3"#
        ]],
    );
    check_err(
        &["run", "lb", "--set", "weights=0,0,0"],
        expect![[
            r#"weights="0,0,0": expected at least one weight above 0 (weight 0 drains a backend)"#
        ]],
    );
    check_err(
        &["run", "lb", "--set", "nope=1"],
        expect![[
            r#"nope="1": expected a known parameter, one of: algorithm, backends, weights, speeds, requests, rate, arrivals, burst_on_ms, burst_off_ms, service, service_ms, service_sigma, capacity, capacities, queue, queue_at, link_ms, clients, nat_share, faults, health, hc_interval_ms, hc_timeout_ms, hc_rise, hc_fall, eject_after, eject_ms, timeout_ms, retries, retry_budget, sticky, tls, tls_version, tls_resume, tls_full_ms, tls_resume_ms, lb_cores, vnodes, maglev_table, ewma_tau_ms"#
        ]],
    );
    check_err(
        &["run", "lb", "--set", "backends"],
        expect![[r#"--set "backends": expected key=value"#]],
    );
    check_err(
        &["run", "lb", "--seed", "-1"],
        expect![[r#"seed="-1": expected a non-negative integer below 2^64"#]],
    );
    check_err(
        &["run", "lb", "--json", "--csv"],
        expect!["choose one of --json, --csv, --summary"],
    );
    check_err(
        &["frobnicate"],
        expect![[
            r#"unknown command "frobnicate"; usage: hopscope list [--json] | hopscope run <scenario>|--from FILE [--seed N] [--set key=value]... [--json|--csv|--summary] | hopscope decode <id> [--as auto|snowflake|sonyflake|uuid|ulid|ticket] [--epoch MS] [--sonyflake-start MS] [--json]"#
        ]],
    );
}

#[test]
fn json_has_the_documented_keys() {
    let out = run(&["run", "lb", "--json", "--set", "requests=20"]).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        vec![
            "duration",
            "events",
            "events_until",
            "nodes",
            "params",
            "result",
            "scenario",
            "seed",
            "series",
            "steps"
        ]
    );
    assert_eq!(doc["params"]["requests"], 20);
    assert_eq!(doc["seed"], 1);
}

#[test]
fn summary_drops_the_bulky_parts() {
    let doc: serde_json::Value =
        serde_json::from_str(&run(&["run", "lb", "--summary", "--seed", "5"]).unwrap()).unwrap();
    for gone in ["nodes", "events", "steps", "series"] {
        assert!(doc.get(gone).is_none(), "{gone} should not be in --summary");
    }
    assert_eq!(
        doc["result"]["served"].as_u64().unwrap() + doc["result"]["dropped"].as_u64().unwrap(),
        200
    );
}

#[test]
fn csv_and_list() {
    let csv = run(&["run", "lb", "--csv"]).unwrap();
    assert!(csv.starts_with("chart,series,unit,t_us,value\n"));
    assert!(
        csv.lines().skip(1).all(|l| l.split(',').count() == 5),
        "plain fields need no quoting here"
    );
    assert!(run(&["list"]).unwrap().starts_with("lb  "));
    let list: serde_json::Value = serde_json::from_str(&run(&["list", "--json"]).unwrap()).unwrap();
    assert!(list.as_array().unwrap().iter().any(|b| b["id"] == "lb"));
}
