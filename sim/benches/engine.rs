//! Engine throughput: kernel events per second on each block's main scenario.
//!
//! `cargo bench -p hopscope-sim` measures; CI runs it with `-- --test` (each bench once, no timing).
//! The cases are `hopscope_sim::bench_cases` (shared with the native and WebAssembly runners of
//! `bench/`): adding a block's benchmark is one line in `bench_cases::SCENARIOS`; the load
//! balancer's budget case runs once per algorithm.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use hopscope_sim::bench_cases::{self, Work};
use std::hint::black_box;

fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    for case in bench_cases::all() {
        let Work::Scenario { id, .. } = &case.work else {
            continue;
        };
        let label = case
            .name
            .split_once('/')
            .map_or(case.name.as_str(), |(_, l)| l);
        group.throughput(Throughput::Elements(case.elements().expect("valid case")));
        let mut prepared = case.prepare().expect("valid case");
        group.bench_function(BenchmarkId::new(*id, label), |b| {
            b.iter(|| black_box(prepared.run().expect("valid")))
        });
    }
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
