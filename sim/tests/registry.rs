//! One test over the whole registry (egui's pattern): every block is checked the same way, so a
//! new block gets these guarantees by being registered.

use hopscope_sim::block::run_params;
use hopscope_sim::{registry, run_scenario, Event, Params, Run};

fn check_run_invariants(run: &Run, what: &str) {
    let n = run.nodes.len() as u32;
    for (i, node) in run.nodes.iter().enumerate() {
        assert_eq!(node.id as usize, i, "{what}: node ids are their indices");
    }
    let mut last = 0;
    for (i, e) in run.events.iter().enumerate() {
        let at = e.at().0;
        assert!(
            at >= last,
            "{what}: event {i} at {at} after {last}: time went backwards"
        );
        last = at;
        assert!(
            at <= run.duration.0,
            "{what}: event {i} after the end of the run"
        );
        match e {
            Event::Hop {
                at,
                arrive,
                from,
                to,
                ..
            } => {
                assert!(arrive >= at, "{what}: hop {i} arrives before it is sent");
                assert!(
                    *from < n && *to < n,
                    "{what}: hop {i} names a node that does not exist"
                );
            }
            Event::Drop { node, .. }
            | Event::Gauge { node, .. }
            | Event::Entry { node, .. }
            | Event::Remove { node, .. }
            | Event::List { node, .. } => {
                assert!(
                    *node < n,
                    "{what}: event {i} names a node that does not exist"
                )
            }
        }
    }
    for w in run.steps.windows(2) {
        assert!(w[0].at <= w[1].at, "{what}: steps out of order");
    }
    assert!(
        !run.steps.is_empty(),
        "{what}: a run narrates at least one step"
    );
    for s in &run.series {
        for w in s.points.windows(2) {
            assert!(
                w[0].0 <= w[1].0,
                "{what}: series {} not time-ordered",
                s.name
            );
        }
        assert!(
            s.points.iter().all(|p| p.1.is_finite()),
            "{what}: series {} has a non-finite value",
            s.name
        );
    }
    let json = run.to_json();
    let back: Run = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("{what}: run does not deserialise: {e}"));
    assert_eq!(
        back.to_json(),
        json,
        "{what}: JSON round trip changes the run"
    );
}

#[test]
fn every_block_default_run_is_valid_and_deterministic() {
    assert!(!registry::blocks().is_empty());
    for block in registry::blocks() {
        let id = block.id();
        let params = Params::defaults(block.params())
            .unwrap_or_else(|e| panic!("{id}: default params invalid: {e}"));
        block
            .check(&params)
            .unwrap_or_else(|e| panic!("{id}: defaults fail the block's check: {e}"));
        for seed in [1, 2, 987_654_321] {
            let a = run_params(*block, &params, seed);
            let b = run_params(*block, &params, seed);
            assert_eq!(
                a.to_json(),
                b.to_json(),
                "{id}: seed {seed} gives two different runs"
            );
            assert_eq!(a.scenario, id);
            assert_eq!(a.seed, seed);
            check_run_invariants(&a, &format!("{id} seed {seed}"));
        }
    }
}

#[test]
fn every_preset_is_valid() {
    for block in registry::blocks() {
        let id = block.id();
        let mut seen = std::collections::BTreeSet::new();
        for preset in block.presets() {
            assert!(
                seen.insert(preset.id),
                "{id}: preset id {} repeated",
                preset.id
            );
            let run = run_scenario(*block, preset.values, 1)
                .unwrap_or_else(|e| panic!("{id} preset {}: {e}", preset.id));
            check_run_invariants(&run, &format!("{id} preset {}", preset.id));
        }
    }
}

#[test]
fn every_spec_is_well_formed() {
    for block in registry::blocks() {
        let mut keys = std::collections::BTreeSet::new();
        for spec in block.params() {
            assert!(
                keys.insert(spec.key),
                "{}: key {} declared twice",
                block.id(),
                spec.key
            );
            assert!(
                !spec.key.is_empty()
                    && spec
                        .key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{}: key {:?} must be snake_case",
                block.id(),
                spec.key
            );
            assert!(
                !spec.label.is_empty() && !spec.help.is_empty(),
                "{}: {} needs a label and help",
                block.id(),
                spec.key
            );
            assert!(
                !["seed", "t", "step", "speed"].contains(&spec.key),
                "{}: {} is reserved for the URL",
                block.id(),
                spec.key
            );
        }
        assert!(registry::find(block.id()).is_some());
    }
    assert!(registry::find("no-such-block").is_none());
}
