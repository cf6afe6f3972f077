//! Invariants of every registered block over random parameters and seeds. The parameters come
//! from each block's own `ParamSpec`s (one generic strategy), so a new block is covered the day
//! it is registered: the same seed gives the byte-identical run, the log is time-ordered, no hop
//! arrives before it is sent, every node reference exists, every number is finite, and the run
//! document reads back (`hopscope run --from`) to the same parameters. Block-specific accounts
//! (requests, cache capacity, ID order) are checked where the run's result states them.

use hopscope_sim::{
    registry, run_scenario, scenario_doc, Block, Event, ParamKind, ParamSpec, Params, Run,
};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Valid text for one spec, kept near the default so runs stay small: an integer or number from
/// the minimum to twice the default, any of a choice's words; lists, text and documents keep
/// their defaults (their content rules are the parsers' own tests and the fuzz targets).
fn value(spec: &'static ParamSpec) -> BoxedStrategy<String> {
    match spec.kind {
        ParamKind::Int { min, max } => {
            let default: i64 = spec.default.trim().parse().unwrap_or(min);
            let hi = max.min(default.saturating_mul(2).max(min.saturating_add(8)));
            (min..=hi).prop_map(|v| v.to_string()).boxed()
        }
        ParamKind::Float { min, max } => {
            let default: f64 = spec.default.trim().parse().unwrap_or(min);
            let hi = max.min((default * 2.0).max(min + 1.0));
            prop_oneof![Just(min), Just(hi), min..=hi]
                .prop_map(|v| v.to_string())
                .boxed()
        }
        ParamKind::Choice(words) => prop::sample::select(words).prop_map(String::from).boxed(),
        _ => Just(spec.default.to_string()).boxed(),
    }
}

/// Random overrides for `block`: each parameter drawn with probability one half.
fn overrides(block: &'static dyn Block) -> impl Strategy<Value = Vec<(String, String)>> {
    let per_spec: Vec<_> = block
        .params()
        .iter()
        .map(|spec| {
            prop::option::weighted(0.5, value(spec))
                .prop_map(move |v| v.map(|v| (spec.key.to_string(), v)))
        })
        .collect();
    per_spec.prop_map(|vs| vs.into_iter().flatten().collect())
}

/// Drops the override a cross-field rule names (or else the last one) until the set is valid,
/// as the page does with a URL: random draws are then valid scenarios, not rejections.
fn valid(block: &dyn Block, mut sets: Vec<(String, String)>) -> (Params, Vec<(String, String)>) {
    loop {
        let params =
            Params::parse(block.params(), &sets).expect("drawn values are valid one by one");
        match block.check(&params) {
            Ok(()) => return (params, sets),
            Err(e) => {
                let at = sets
                    .iter()
                    .position(|(k, _)| *k == e.key)
                    .unwrap_or(sets.len() - 1);
                sets.remove(at);
            }
        }
    }
}

/// What holds for any run of any block.
fn check_run(
    block: &dyn Block,
    sets: &[(String, String)],
    seed: u64,
    run: &Run,
) -> Result<(), TestCaseError> {
    let again = run_scenario(block, sets, seed).expect("valid");
    prop_assert!(
        again.to_json() == run.to_json(),
        "{} seed {seed}: same seed, different run",
        block.id()
    );
    let nodes = run.nodes.len() as u32;
    let mut last = 0;
    for e in &run.events {
        prop_assert!(
            e.at().0 >= last,
            "{}: time went backwards at {:?}",
            block.id(),
            e
        );
        last = e.at().0;
        match e {
            Event::Hop {
                at,
                arrive,
                from,
                to,
                ..
            } => {
                prop_assert!(
                    arrive >= at,
                    "{}: a hop arrives before it is sent: {:?}",
                    block.id(),
                    e
                );
                prop_assert!(
                    *from < nodes && *to < nodes,
                    "{}: no such node in {:?}",
                    block.id(),
                    e
                );
            }
            Event::Gauge { node, value, .. } => {
                prop_assert!(
                    *node < nodes && value.is_finite(),
                    "{}: {:?}",
                    block.id(),
                    e
                );
            }
            Event::Drop { node, .. }
            | Event::Entry { node, .. }
            | Event::Remove { node, .. }
            | Event::List { node, .. } => {
                prop_assert!(*node < nodes, "{}: no such node in {:?}", block.id(), e);
            }
        }
    }
    for s in &run.series {
        prop_assert!(
            s.points.iter().all(|p| p.1.is_finite()),
            "{}: {} / {} not finite",
            block.id(),
            s.chart,
            s.name
        );
    }
    let mut t = 0;
    for s in &run.steps {
        prop_assert!(s.at.0 >= t, "{}: steps out of time order", block.id());
        t = s.at.0;
    }
    let doc = scenario_doc::parse(&run.to_json()).map_err(TestCaseError::fail)?;
    prop_assert_eq!(doc.seed, Some(seed));
    prop_assert_eq!(
        Params::parse(block.params(), &doc.overrides),
        Params::parse(block.params(), sets)
    );
    Ok(())
}

fn num(run: &Run, key: &str) -> u64 {
    run.result[key]
        .as_u64()
        .unwrap_or_else(|| panic!("result.{key} in {}", run.result))
}

/// The load balancer: every request ends exactly once.
fn check_lb(run: &Run, params: &Params) -> Result<(), TestCaseError> {
    let ended = num(run, "served") + num(run, "failed") + num(run, "dropped");
    prop_assert_eq!(
        ended,
        params.int("requests") as u64,
        "every request ends exactly once"
    );
    Ok(())
}

/// The cache (one policy, eviction mode): hits + misses = accesses, and no cache node ever holds
/// more entries than its capacity (replayed from its `entry` and `remove` events).
fn check_cache(run: &Run, params: &Params) -> Result<(), TestCaseError> {
    if params.text("mode") != "eviction" || params.text("policy") == "all" {
        return Ok(());
    }
    prop_assert_eq!(num(run, "hits") + num(run, "misses"), num(run, "accesses"));
    let capacity = params.int("capacity") as usize;
    let caches: BTreeSet<u32> = run
        .nodes
        .iter()
        .filter(|n| n.role == "cache")
        .map(|n| n.id)
        .collect();
    prop_assert!(!caches.is_empty());
    let mut held: BTreeMap<u32, BTreeSet<&str>> = BTreeMap::new();
    for e in &run.events {
        match e {
            Event::Entry { node, key, .. } if caches.contains(node) => {
                let set = held.entry(*node).or_default();
                set.insert(key);
                prop_assert!(
                    set.len() <= capacity,
                    "node {node} holds {} > {capacity} at {:?}",
                    set.len(),
                    e.at()
                );
            }
            Event::Remove { node, key, .. } if caches.contains(node) => {
                held.entry(*node).or_default().remove(key.as_ref());
            }
            _ => {}
        }
    }
    Ok(())
}

/// IDs: a correctly configured fleet (one worker id per worker) never repeats an ID, and each
/// worker's IDs increase in the order it issued them (Snowflake, read back by the decoder).
fn check_ids(run: &Run, params: &Params) -> Result<(), TestCaseError> {
    if params.text("same_worker_id") != "off" {
        return Ok(());
    }
    prop_assert_eq!(num(run, "duplicates"), 0, "duplicates from a correct fleet");
    if params.text("generator") != "snowflake" {
        return Ok(());
    }
    let opts = hopscope_sim::ids::DecodeOptions {
        reading: hopscope_sim::ids::Reading::Snowflake,
        snowflake_epoch_ms: params.int("epoch_ms") as u64,
        ..Default::default()
    };
    let mut last: BTreeMap<(u128, u128), u128> = BTreeMap::new();
    for id in run.result["ids"].as_array().expect("result.ids") {
        let d =
            hopscope_sim::ids::decode_with(id.as_str().expect("decimal"), &opts).expect("decodes");
        let worker = (d.fields[2].raw, d.fields[3].raw);
        if let Some(prev) = last.insert(worker, d.value) {
            prop_assert!(
                d.value > prev,
                "worker {worker:?}: {} after {prev}",
                d.value
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn lb_invariants(seed in any::<u64>(), sets in overrides(registry::find("lb").unwrap())) {
        let block = registry::find("lb").unwrap();
        let (params, sets) = valid(block, sets);
        let run = run_scenario(block, &sets, seed).unwrap();
        check_run(block, &sets, seed, &run)?;
        check_lb(&run, &params)?;
    }

    #[test]
    fn cache_invariants(seed in any::<u64>(), policy in prop::sample::select(vec!["lru", "fifo", "random", "lfu", "arc", "wtinylfu"]), sets in overrides(registry::find("cache").unwrap())) {
        let block = registry::find("cache").unwrap();
        let mut sets = sets;
        // Eviction mode with each policy in turn half the time, so the capacity check runs often.
        if seed % 2 == 0 {
            sets.retain(|(k, _)| k != "mode" && k != "policy");
            sets.push(("mode".into(), "eviction".into()));
            sets.push(("policy".into(), policy.into()));
        }
        let (params, sets) = valid(block, sets);
        let run = run_scenario(block, &sets, seed).unwrap();
        check_run(block, &sets, seed, &run)?;
        check_cache(&run, &params)?;
    }

    #[test]
    fn ids_invariants(seed in any::<u64>(), sets in overrides(registry::find("ids").unwrap())) {
        let block = registry::find("ids").unwrap();
        let (params, sets) = valid(block, sets);
        let run = run_scenario(block, &sets, seed).unwrap();
        check_run(block, &sets, seed, &run)?;
        check_ids(&run, &params)?;
    }

    /// Every block, including any registered later, gets the generic invariants.
    #[test]
    fn every_block_invariants(
        seed in any::<u64>(),
        (block, sets) in (0..registry::blocks().len()).prop_flat_map(|i| {
            let block = registry::blocks()[i];
            (Just(block.id()), overrides(block))
        }),
    ) {
        let block = registry::find(block).unwrap();
        let (_, sets) = valid(block, sets);
        let run = run_scenario(block, &sets, seed).unwrap();
        check_run(block, &sets, seed, &run)?;
    }
}

/// `hopscope run --json`, fed back with `--from`, prints the byte-identical document: for every
/// block at its defaults and with each of its first presets, through the real CLI code path.
#[test]
fn run_documents_round_trip_through_from() {
    let dir = std::env::temp_dir().join(format!("hopscope-from-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for block in registry::blocks() {
        let mut cases: Vec<Vec<String>> = vec![vec![]];
        for p in block.presets().iter().take(2) {
            cases.push(
                p.values
                    .iter()
                    .flat_map(|(k, v)| ["--set".to_string(), format!("{k}={v}")])
                    .collect(),
            );
        }
        for (i, sets) in cases.into_iter().enumerate() {
            let mut args: Vec<String> = vec![
                "run".into(),
                block.id().into(),
                "--seed".into(),
                "7".into(),
                "--json".into(),
            ];
            args.extend(sets);
            let out = hopscope_sim::cli::execute(&args).unwrap();
            let file = dir.join(format!("{}-{i}.json", block.id()));
            std::fs::write(&file, &out).unwrap();
            let again = hopscope_sim::cli::execute(&[
                "run".into(),
                "--from".into(),
                file.display().to_string(),
                "--json".into(),
            ])
            .unwrap();
            assert!(
                again == out,
                "{} case {i}: --from gave another run",
                block.id()
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The command line overrides the document: `--seed` and `--set` win over its values.
#[test]
fn command_line_overrides_the_document() {
    let dir = std::env::temp_dir().join(format!("hopscope-from-o-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("lb.json");
    std::fs::write(
        &file,
        r#"{"scenario":"lb","seed":7,"params":{"backends":5,"weights":[1,1,1,1,2],"requests":50}}"#,
    )
    .unwrap();
    let path = file.display().to_string();
    let run = |extra: &[&str]| {
        let mut args: Vec<String> = vec![
            "run".into(),
            "--from".into(),
            path.clone(),
            "--summary".into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let out = hopscope_sim::cli::execute(&args).unwrap();
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    let plain = run(&[]);
    assert_eq!(plain["seed"], 7);
    assert_eq!(plain["params"]["backends"], 5);
    assert_eq!(
        plain["params"]["weights"],
        serde_json::json!([1.0, 1.0, 1.0, 1.0, 2.0])
    );
    let over = run(&["--seed", "9", "--set", "requests=20"]);
    assert_eq!(
        (over["seed"].as_u64(), over["params"]["requests"].as_i64()),
        (Some(9), Some(20))
    );
    assert_eq!(over["params"]["backends"], 5);
    let e = hopscope_sim::cli::execute(&["run".into(), "lb".into(), "--from".into(), path.clone()])
        .unwrap_err();
    assert!(e.contains("--from names the scenario"), "{e}");
    let missing = dir.join("nope.json").display().to_string();
    let e = hopscope_sim::cli::execute(&["run".into(), "--from".into(), missing]).unwrap_err();
    assert!(
        e.starts_with("--from ") && e.contains("cannot read the file"),
        "{e}"
    );
    std::fs::write(
        &file,
        "{\"scenario\": \"lb\",\n  \"params\": {\"backends\": 0}}",
    )
    .unwrap();
    let e = hopscope_sim::cli::execute(&["run".into(), "--from".into(), path.clone()]).unwrap_err();
    assert_eq!(
        e,
        format!("{path}: params.backends=\"0\": expected an integer from 1 to 128")
    );
    std::fs::remove_dir_all(&dir).ok();
}
