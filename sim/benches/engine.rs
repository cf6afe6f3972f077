//! Engine throughput: kernel events per second on each block's main scenario.
//!
//! `cargo bench -p hopscope-sim` measures; CI runs it with `-- --test` (each bench once, no timing).
//! Adding a block's benchmark is one line in `CASES`; the load balancer's budget case runs once
//! per algorithm.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use hopscope_sim::lb::algo::ALGORITHMS;
use hopscope_sim::{registry, run_scenario};
use std::hint::black_box;

/// A benchmark: (scenario, label, parameter overrides).
type Case = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const CASES: &[Case] = &[
    (
        "lb",
        "10k requests",
        &[
            ("requests", "10000"),
            ("rate", "100"),
            ("capacity", "4"),
            ("queue", "16"),
        ],
    ),
    (
        "cache",
        "lru 1M zipf",
        &[
            ("policy", "lru"),
            ("capacity", "1000"),
            ("key_space", "100000"),
            ("accesses", "1000000"),
            ("rate", "100000"),
        ],
    ),
    (
        "cache",
        "fifo 1M zipf",
        &[
            ("policy", "fifo"),
            ("capacity", "1000"),
            ("key_space", "100000"),
            ("accesses", "1000000"),
            ("rate", "100000"),
        ],
    ),
    (
        "cache",
        "random 1M zipf",
        &[
            ("policy", "random"),
            ("capacity", "1000"),
            ("key_space", "100000"),
            ("accesses", "1000000"),
            ("rate", "100000"),
        ],
    ),
    (
        "cache",
        "lfu 1M zipf",
        &[
            ("policy", "lfu"),
            ("capacity", "1000"),
            ("key_space", "100000"),
            ("accesses", "1000000"),
            ("rate", "100000"),
        ],
    ),
    (
        "cache",
        "arc 1M zipf",
        &[
            ("policy", "arc"),
            ("capacity", "1000"),
            ("key_space", "100000"),
            ("accesses", "1000000"),
            ("rate", "100000"),
        ],
    ),
    (
        "cache",
        "wtinylfu 1M zipf",
        &[
            ("policy", "wtinylfu"),
            ("capacity", "1000"),
            ("key_space", "100000"),
            ("accesses", "1000000"),
            ("rate", "100000"),
        ],
    ),
    (
        "cache",
        "all 1M zipf",
        &[
            ("policy", "all"),
            ("capacity", "1000"),
            ("key_space", "100000"),
            ("accesses", "1000000"),
            ("rate", "100000"),
        ],
    ),
    (
        "cache",
        "mrc 20 x all 100k",
        &[
            ("mode", "mrc"),
            ("policy", "all"),
            ("capacity", "2000"),
            ("key_space", "100000"),
            ("accesses", "100000"),
        ],
    ),
];

fn events_of(id: &str, sets: &[(&str, &str)]) -> u64 {
    let run = run_scenario(registry::find(id).expect("registered"), sets, 1)
        .expect("valid benchmark params");
    run.result["kernel_events"]
        .as_u64()
        .unwrap_or(run.events.len() as u64)
}

/// A case with a label built at run time.
type OwnedCase = (&'static str, String, Vec<(&'static str, &'static str)>);

/// The load-balancing issue's budget case, run once per algorithm: one million requests over
/// 100 backends at half load.
const LB_1M_X_100: &[(&str, &str)] = &[
    ("requests", "1000000"),
    ("backends", "100"),
    ("weights", "1"),
    ("rate", "20000"),
    ("capacity", "8"),
    ("service_ms", "20"),
    ("queue", "64"),
    ("clients", "10000"),
];

fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    let per_algorithm = ALGORITHMS.iter().map(|a| {
        let mut sets = vec![("algorithm", *a)];
        sets.extend_from_slice(LB_1M_X_100);
        ("lb", format!("{a} 1M x 100"), sets)
    });
    let cases: Vec<OwnedCase> = CASES
        .iter()
        .map(|(id, label, sets)| (*id, label.to_string(), sets.to_vec()))
        .chain(per_algorithm)
        .collect();
    for (id, label, sets) in &cases {
        let block = registry::find(id).expect("registered");
        group.throughput(Throughput::Elements(events_of(id, sets)));
        group.bench_with_input(BenchmarkId::new(*id, label), sets, |b, sets| {
            b.iter(|| black_box(run_scenario(block, black_box(sets), 1).expect("valid")))
        });
    }
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
