//! The pure algorithms behind the blocks, timed alone (the budgets of the DNS and IDs issues):
//! parsing the default internet, a thousand lookups through the caches, and one million IDs of
//! each kind. `cargo bench -p hopscope-sim --bench algorithms`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hopscope_sim::dns::cache::{Cache, CacheConfig};
use hopscope_sim::dns::internet::{Internet, DEFAULT_ZONES};
use hopscope_sim::dns::message::{Message, Question};
use hopscope_sim::dns::name::Name;
use hopscope_sim::dns::record::RType;
use hopscope_sim::dns::resolver::{Network, Resolver, ResolverConfig};
use hopscope_sim::ids::snowflake::{OnBackwards, Snowflake};
use hopscope_sim::ids::ulid::MonotonicUlid;
use hopscope_sim::ids::uuid::{Uuid, UuidV7Generator};
use hopscope_sim::kernel::rng::SimRng;
use hopscope_sim::{registry, run_scenario};
use hopscope_sim::{SimDuration, SimTime};
use std::hint::black_box;
use std::net::Ipv4Addr;

const MILLION: u64 = 1_000_000;
/// 2026-01-01T00:00:00Z, a clock reading in the IDs' range.
const NOW_MS: u64 = 1_767_225_600_000;

fn dns(c: &mut Criterion) {
    let mut g = c.benchmark_group("dns");
    g.sample_size(10);
    g.bench_function("parse the default internet", |b| {
        b.iter(|| {
            black_box(
                Internet::from_texts(black_box(DEFAULT_ZONES)).expect("the default zones parse"),
            )
        })
    });
    // 1000 lookups (the most one run takes) over existing and missing names, 16 clients sharing
    // one resolver, so the caches are exercised: repeats, negative answers, CNAME chains.
    let names = [
        "www.example.com",
        "example.com",
        "blog.example.com",
        "mail.example.com",
        "www.example.org",
        "nope.example.com",
        "www.voorbeeld.nl",
        "example.cdn.net",
    ];
    let list: Vec<String> = (0..1000)
        .map(|i| {
            if i % 7 == 3 {
                format!("host{i}.example.com")
            } else {
                names[i * 31 % names.len()].to_string()
            }
        })
        .collect();
    let list = list.join(",");
    let sets = [("name", list.as_str()), ("clients", "16"), ("gap_s", "0.5")];
    let block = registry::find("dns").expect("registered");
    g.throughput(Throughput::Elements(1000));
    g.bench_function("1000 lookups through the caches", |b| {
        b.iter(|| black_box(run_scenario(block, black_box(&sets), 1).expect("valid")))
    });
    g.finish();
}

/// The network as a plain function: the default internet's servers answer after 10 ms.
struct Direct;

impl Network for Direct {
    fn exchange(
        &mut self,
        now: SimTime,
        server: &Name,
        _addr: Ipv4Addr,
        q: &Question,
        _id: u64,
    ) -> Option<(SimTime, Message)> {
        let msg = Internet::default_internet().answer(server, q)?;
        Some((now + SimDuration::from_millis(10), msg))
    }
}

/// The DNS issue's budget: 10,000 random lookups against the default internet, with caches, in
/// the recursive resolver alone (no hop recording).
fn dns_resolver(c: &mut Criterion) {
    let names = [
        "www.example.com",
        "example.com",
        "blog.example.com",
        "mail.example.com",
        "www.example.org",
        "example.cdn.net",
        "www.voorbeeld.nl",
        "ns1.example.com",
    ];
    let mut rng = SimRng::new(7, 1);
    let questions: Vec<Question> = (0..10_000)
        .map(|_| {
            let i = rng.below(names.len() as u64 + 2) as usize;
            let text = if i < names.len() {
                names[i].to_string()
            } else {
                format!("h{}.example.com", rng.below(100_000))
            };
            let rtype = if rng.below(4) == 0 {
                RType::Aaaa
            } else {
                RType::A
            };
            Question::new(Name::parse_user(&text).expect("valid name"), rtype)
        })
        .collect();
    let mut g = c.benchmark_group("dns");
    g.sample_size(10);
    g.throughput(Throughput::Elements(questions.len() as u64));
    g.bench_function("10,000 random lookups, resolver with caches", |b| {
        b.iter(|| {
            let mut r = Resolver::new(
                Internet::default_internet().hints.clone(),
                Cache::new(CacheConfig::default()),
                ResolverConfig::default(),
            );
            let mut net = Direct;
            for (i, q) in questions.iter().enumerate() {
                // One lookup per simulated second: TTLs (300 s and more) keep most answers cached.
                black_box(r.resolve(&mut net, SimTime(i as u64 * 1_000_000), q));
            }
        })
    });
    g.finish();
}

fn ids(c: &mut Criterion) {
    let mut g = c.benchmark_group("ids: one million");
    g.sample_size(10);
    g.throughput(Throughput::Elements(MILLION));
    g.bench_function("snowflake", |b| {
        b.iter(|| {
            let mut s =
                Snowflake::new(1, 1, 1_288_834_974_657, OnBackwards::Refuse).expect("valid ids");
            // 4096 IDs per millisecond, the sequence's ceiling, so none waits.
            (0..MILLION).fold(0u64, |acc, i| {
                acc ^ s.next_id(NOW_MS + i / 4096).expect("no clock trouble")
            })
        })
    });
    g.bench_function("uuid v4", |b| {
        b.iter(|| {
            let mut rng = SimRng::new(1, 1);
            (0..MILLION).fold(0u128, |acc, _| acc ^ Uuid::v4_from(&mut rng).0)
        })
    });
    g.bench_function("uuid v7", |b| {
        b.iter(|| {
            let (mut gen, mut rng) = (UuidV7Generator::new(), SimRng::new(1, 2));
            (0..MILLION).fold(0u128, |acc, i| {
                acc ^ gen
                    .next(NOW_MS + i / 1000, &mut rng)
                    .expect("no rollover")
                    .0
            })
        })
    });
    g.bench_function("ulid", |b| {
        b.iter(|| {
            let (mut gen, mut rng) = (MonotonicUlid::new(), SimRng::new(1, 3));
            (0..MILLION).fold(0u128, |acc, i| {
                acc ^ gen
                    .next(NOW_MS + i / 1000, &mut rng)
                    .expect("no overflow")
                    .0
            })
        })
    });
    g.finish();
}

criterion_group!(benches, dns, dns_resolver, ids);
criterion_main!(benches);
