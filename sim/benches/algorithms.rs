//! The pure algorithms behind the blocks, timed alone (the budgets of the DNS and IDs issues):
//! parsing the default internet, 10,000 lookups through the resolver's caches, and one million IDs
//! of each kind. `cargo bench -p hopscope-sim --bench algorithms`. The cases are the kernel cases
//! of `hopscope_sim::bench_cases`, shared with the native and WebAssembly runners of `bench/`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hopscope_sim::bench_cases::{self, Work};
use std::hint::black_box;

fn algorithms(c: &mut Criterion) {
    for case in bench_cases::all() {
        if !matches!(case.work, Work::Kernel(_)) {
            continue;
        }
        let (group, label) = case.name.split_once('/').expect("group/label");
        let mut g = c.benchmark_group(group);
        g.sample_size(10);
        g.throughput(Throughput::Elements(case.elements().expect("valid case")));
        let mut prepared = case.prepare().expect("valid case");
        g.bench_function(label, |b| {
            b.iter(|| black_box(prepared.run().expect("runs")))
        });
        g.finish();
    }
}

criterion_group!(benches, algorithms);
criterion_main!(benches);
