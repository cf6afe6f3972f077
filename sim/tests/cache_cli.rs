//! The cache block through the CLI (`hopscope run cache …`): the issue's command lines, traces
//! read from disk with `--set trace=PATH`, `policy=all`, and one-line errors for bad input.

use hopscope_sim::cli::execute;
use serde_json::Value;

fn run(args: &[&str]) -> Result<String, String> {
    execute(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

fn summary(args: &[&str]) -> Value {
    let mut all = vec!["run", "cache"];
    all.extend_from_slice(args);
    all.push("--summary");
    let out = run(&all).unwrap_or_else(|e| panic!("{args:?}: {e}"));
    serde_json::from_str(&out).expect("JSON")
}

fn check_err(args: &[&str], expect: expect_test::Expect) {
    let mut all = vec!["run", "cache"];
    all.extend_from_slice(args);
    let err = run(&all).expect_err("should fail");
    assert!(!err.contains('\n'), "one line: {err}");
    expect.assert_eq(&err);
}

/// A scratch file, removed afterwards.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> TempFile {
        let p = std::env::temp_dir().join(format!("hopscope-cache-{name}-{}", std::process::id()));
        std::fs::write(&p, text).unwrap();
        TempFile(p)
    }
    fn path(&self) -> String {
        self.0.to_string_lossy().into_owned()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn the_issue_command_line_with_typed_keys() {
    // Capacity 3, LRU: a b c miss, a hits, d evicts b, b evicts c, e evicts a, a evicts d,
    // c evicts b, d evicts e.
    let s = summary(&[
        "--set",
        "policy=lru",
        "--set",
        "capacity=3",
        "--set",
        "keys=a,b,c,a,d,b,e,a,c,d",
    ]);
    let r = &s["result"];
    assert_eq!(r["hits"], 1);
    assert_eq!(r["misses"], 9);
    assert_eq!(r["evictions"], 6);
    assert_eq!(r["hit_ratio"], 0.1);
    let p = &r["policies"][0];
    assert_eq!(p["outcomes"], "mmmhmmmmmm");
    assert_eq!(
        p["evicted_keys"],
        serde_json::json!(["b", "c", "a", "d", "b", "e"])
    );
    assert_eq!(
        p["lists"]["recency"]["items"],
        serde_json::json!(["d", "c", "a"])
    );
}

#[test]
fn the_issue_command_line_with_a_generated_workload() {
    let s = summary(&[
        "--set",
        "policy=wtinylfu",
        "--set",
        "capacity=100",
        "--set",
        "workload=zipf",
        "--set",
        "alpha=0.9",
        "--set",
        "key_space=5000",
        "--set",
        "accesses=20000",
    ]);
    let r = &s["result"];
    let (h, m) = (r["hits"].as_u64().unwrap(), r["misses"].as_u64().unwrap());
    assert_eq!(h + m, 20_000);
    assert!(r["hit_ratio"].as_f64().unwrap() > 0.2);
}

#[test]
fn policy_all_gives_one_entry_per_policy_on_the_same_stream() {
    let s = summary(&[
        "--set",
        "policy=all",
        "--set",
        "capacity=3",
        "--set",
        "keys=a,b,c,d,a,b,c,d",
    ]);
    let got: Vec<(String, String)> = s["result"]["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["policy"].as_str().unwrap().to_string(),
                p["outcomes"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let ids: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(ids, ["lru", "fifo", "random", "lfu", "arc", "wtinylfu"]);
    // A loop one larger than the cache: LRU and FIFO never hit.
    assert_eq!(got[0].1, "mmmmmmmm");
    assert_eq!(got[1].1, "mmmmmmmm");
    assert!(
        s["result"]["hits"].is_null(),
        "no single top-level figure with policy=all"
    );
}

#[test]
fn a_trace_file_from_disk() {
    let f = TempFile::new(
        "ok.trace",
        "# a small trace\nuser:1\nuser:2\n\nuser:1  # again\nuser:3\n",
    );
    let s = summary(&[
        "--set",
        "capacity=2",
        "--set",
        &format!("trace={}", f.path()),
    ]);
    assert_eq!(s["result"]["policies"][0]["outcomes"], "mmhm");
    assert_eq!(s["result"]["distinct_keys"], 3);
}

#[test]
fn a_bad_trace_line_is_reported_with_its_number() {
    let f = TempFile::new("bad.trace", "user:1\nuser:2\nGET user:3\n");
    let err = run(&["run", "cache", "--set", &format!("trace={}", f.path())]).unwrap_err();
    expect_test::expect![[
        r#"trace="line 3: GET user:3": expected one key per line, # for comments (line 3 has a key with a space inside (one key per item, no spaces))"#
    ]]
    .assert_eq(&err);
    let missing = run(&["run", "cache", "--set", "trace=/no/such/file.trace"]).unwrap_err();
    assert!(
        missing.starts_with("trace=\"/no/such/file.trace\": cannot read the file"),
        "{missing}"
    );
}

#[test]
fn bad_parameters_name_the_key_the_value_and_what_is_allowed() {
    check_err(
        &["--set", "policy=clock"],
        expect![[r#"policy="clock": expected one of lru, fifo, random, lfu, arc, wtinylfu, all"#]],
    );
    check_err(
        &["--set", "capacity=0"],
        expect![[r#"capacity="0": expected an integer from 1 to 1000000"#]],
    );
    check_err(
        &["--set", "keys=a,,b"],
        expect![[
            r#"keys="a,,b": expected a comma-separated list of keys (item 2 is an empty key: "")"#
        ]],
    );
    check_err(
        &["--set", "mode=cluster", "--set", "policy=all"],
        expect![[
            r#"policy="all": expected one of lru, fifo, random, lfu, arc, wtinylfu with this mode (all is for mode eviction and mrc)"#
        ]],
    );
    check_err(
        &["--set", "mode=cluster", "--set", "faults=remove:7@1s"],
        expect![[
            r#"faults="remove:7@1s": expected ACTION[:NODE]@TIME items (crash, remove, add); item 1 ("remove:7@1s"): node 7 is not in the cluster at that time (nodes: 1, 2, 3, 4)"#
        ]],
    );
    check_err(
        &["--set", "lfu_halve_every=3"],
        expect![[r#"lfu_halve_every="3": expected 0 (never) or at least the capacity (8)"#]],
    );
    check_err(
        &["--set", "mode=mrc", "--set", "capacity=5"],
        expect![[
            r#"capacity="5": expected at least mrc_points (20) with mode=mrc: the curve needs that many distinct sizes up to the capacity"#
        ]],
    );
    check_err(
        &["--set", "alpha=-1"],
        expect![[r#"alpha="-1": expected a number from 0 to 3"#]],
    );
    check_err(
        &["--set", "workload=pareto"],
        expect![[r#"workload="pareto": expected one of zipf, uniform, loop, scan, shifting"#]],
    );
}

#[test]
fn the_miss_ratio_curve_as_a_run() {
    let s = summary(&[
        "--set",
        "mode=mrc",
        "--set",
        "policy=all",
        "--set",
        "capacity=200",
        "--set",
        "mrc_points=10",
        "--set",
        "key_space=2000",
        "--set",
        "accesses=20000",
    ]);
    let r = &s["result"];
    assert_eq!(
        r["sizes"],
        serde_json::json!([20, 40, 60, 80, 100, 120, 140, 160, 180, 200])
    );
    assert_eq!(r["points"].as_array().unwrap().len(), 60);
    let csv = run(&[
        "run",
        "cache",
        "--set",
        "mode=mrc",
        "--set",
        "capacity=20",
        "--set",
        "mrc_points=10",
        "--csv",
    ])
    .unwrap();
    assert!(
        csv.starts_with("chart,series,unit,t_us,value\nHit ratio by cache size,LRU,%,2,"),
        "{csv}"
    );
}

use expect_test::expect;
