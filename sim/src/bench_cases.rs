//! The engine's benchmark cases, one list shared by every harness that times them: the criterion
//! benches (`benches/engine.rs`, `benches/algorithms.rs`), the native runner
//! (`examples/bench_cases.rs`) and the WebAssembly harness (`bench/wasm`), so native and wasm run
//! byte-identical work. Adding a block's benchmark is one line in [`SCENARIOS`].
//!
//! Nothing here reads a clock: the harnesses time [`Prepared::run`] from outside.

use crate::dns::cache::{Cache, CacheConfig};
use crate::dns::internet::{Internet, DEFAULT_ZONES};
use crate::dns::message::{Message, Question};
use crate::dns::name::Name;
use crate::dns::record::RType;
use crate::dns::resolver::{Network, Resolver, ResolverConfig};
use crate::ids::snowflake::{OnBackwards, Snowflake};
use crate::ids::ulid::MonotonicUlid;
use crate::ids::uuid::{Uuid, UuidV7Generator};
use crate::kernel::rng::SimRng;
use crate::lb::algo::ALGORITHMS;
use crate::{registry, run_scenario, Block, SimDuration, SimTime};
use std::net::Ipv4Addr;

/// Parameter overrides of one scenario case.
pub type Sets = &'static [(&'static str, &'static str)];

/// A whole-scenario case: (scenario id, label, overrides). Seed 1.
pub type ScenarioCase = (&'static str, &'static str, Sets);

const CACHE_1M: [(&str, &str); 4] = [
    ("capacity", "1000"),
    ("key_space", "100000"),
    ("accesses", "1000000"),
    ("rate", "100000"),
];

/// Whole scenarios (hops, narration, series): one line per benchmark.
pub const SCENARIOS: &[ScenarioCase] = &[
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
            CACHE_1M[0],
            CACHE_1M[1],
            CACHE_1M[2],
            CACHE_1M[3],
        ],
    ),
    (
        "cache",
        "fifo 1M zipf",
        &[
            ("policy", "fifo"),
            CACHE_1M[0],
            CACHE_1M[1],
            CACHE_1M[2],
            CACHE_1M[3],
        ],
    ),
    (
        "cache",
        "random 1M zipf",
        &[
            ("policy", "random"),
            CACHE_1M[0],
            CACHE_1M[1],
            CACHE_1M[2],
            CACHE_1M[3],
        ],
    ),
    (
        "cache",
        "lfu 1M zipf",
        &[
            ("policy", "lfu"),
            CACHE_1M[0],
            CACHE_1M[1],
            CACHE_1M[2],
            CACHE_1M[3],
        ],
    ),
    (
        "cache",
        "arc 1M zipf",
        &[
            ("policy", "arc"),
            CACHE_1M[0],
            CACHE_1M[1],
            CACHE_1M[2],
            CACHE_1M[3],
        ],
    ),
    (
        "cache",
        "wtinylfu 1M zipf",
        &[
            ("policy", "wtinylfu"),
            CACHE_1M[0],
            CACHE_1M[1],
            CACHE_1M[2],
            CACHE_1M[3],
        ],
    ),
    (
        "cache",
        "all 1M zipf",
        &[
            ("policy", "all"),
            CACHE_1M[0],
            CACHE_1M[1],
            CACHE_1M[2],
            CACHE_1M[3],
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

/// The load-balancing issue's budget case, run once per algorithm: one million requests over
/// 100 backends at half load.
pub const LB_1M_X_100: Sets = &[
    ("requests", "1000000"),
    ("backends", "100"),
    ("weights", "1"),
    ("rate", "20000"),
    ("capacity", "8"),
    ("service_ms", "20"),
    ("queue", "64"),
    ("clients", "10000"),
];

/// The DNS lookups scenario's case: 1000 lookups (the most one run takes) by 16 clients sharing one
/// resolver, over existing and missing names, so the caches are exercised: repeats, negative
/// answers, CNAME chains. Every 7th name (i % 7 == 3) is a missing host; the others cycle through
/// eight existing names.
fn dns_1000_sets() -> Vec<(&'static str, String)> {
    const NAMES: [&str; 8] = [
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
                NAMES[i * 31 % NAMES.len()].to_string()
            }
        })
        .collect();
    vec![
        ("name", list.join(",")),
        ("clients", "16".to_string()),
        ("gap_s", "0.5".to_string()),
    ]
}

/// What a case runs.
#[derive(Clone, Debug)]
pub enum Work {
    /// `run_scenario(id, sets, seed 1)`.
    Scenario {
        id: &'static str,
        sets: Vec<(&'static str, String)>,
    },
    /// One of the pure algorithms timed alone (no hop recording).
    Kernel(Kernel),
}

/// The pure-algorithm cases (the DNS and IDs issues' budgets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    DnsParse,
    DnsResolver10k,
    Snowflake1M,
    UuidV4_1M,
    UuidV7_1M,
    Ulid1M,
}

/// One benchmark: a stable name (`group/label`) and its work.
#[derive(Clone, Debug)]
pub struct Case {
    pub name: String,
    pub work: Work,
}

/// Every case, in a stable order: the scenarios, the load balancer's budget case per algorithm,
/// then the pure algorithms.
pub fn all() -> Vec<Case> {
    let scenarios = SCENARIOS.iter().map(|(id, label, sets)| Case {
        name: format!("{id}/{label}"),
        work: Work::Scenario {
            id,
            sets: owned(sets),
        },
    });
    let dns = std::iter::once(Case {
        name: "dns/1000 lookups".to_string(),
        work: Work::Scenario {
            id: "dns",
            sets: dns_1000_sets(),
        },
    });
    let lb = ALGORITHMS.iter().map(|a| {
        let mut sets = vec![("algorithm", a.to_string())];
        sets.extend(owned(LB_1M_X_100));
        Case {
            name: format!("lb/{a} 1M x 100"),
            work: Work::Scenario { id: "lb", sets },
        }
    });
    let kernels = [
        ("dns/parse the default internet", Kernel::DnsParse),
        (
            "dns/10,000 random lookups, resolver with caches",
            Kernel::DnsResolver10k,
        ),
        ("ids/snowflake 1M", Kernel::Snowflake1M),
        ("ids/uuid v4 1M", Kernel::UuidV4_1M),
        ("ids/uuid v7 1M", Kernel::UuidV7_1M),
        ("ids/ulid 1M", Kernel::Ulid1M),
    ]
    .into_iter()
    .map(|(name, k)| Case {
        name: name.to_string(),
        work: Work::Kernel(k),
    });
    scenarios.chain(dns).chain(lb).chain(kernels).collect()
}

fn owned(sets: Sets) -> Vec<(&'static str, String)> {
    sets.iter().map(|(k, v)| (*k, v.to_string())).collect()
}

/// The case named `name`, or a message listing the names.
pub fn find(name: &str) -> Result<Case, String> {
    let cases = all();
    match cases.iter().find(|c| c.name == name) {
        Some(c) => Ok(c.clone()),
        None => Err(format!(
            "unknown benchmark case {name:?}; cases: {}",
            cases
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// A case with its set-up done (inputs built, parameters validated); [`Prepared::run`] is the
/// timed part and returns a number derived from the work so it cannot be optimised away.
pub struct Prepared {
    block: Option<&'static dyn Block>,
    sets: Vec<(&'static str, String)>,
    kernel: Option<Kernel>,
    questions: Vec<Question>,
}

/// 2026-01-01T00:00:00Z, a clock reading in the IDs' range.
const NOW_MS: u64 = 1_767_225_600_000;
const MILLION: u64 = 1_000_000;

impl Case {
    /// Builds the inputs; errors name the case and what is wrong.
    pub fn prepare(&self) -> Result<Prepared, String> {
        match &self.work {
            Work::Scenario { id, sets } => {
                let block = registry::find(id)
                    .ok_or_else(|| format!("case {:?}: no scenario {id:?}", self.name))?;
                Ok(Prepared {
                    block: Some(block),
                    sets: sets.clone(),
                    kernel: None,
                    questions: Vec::new(),
                })
            }
            Work::Kernel(k) => Ok(Prepared {
                block: None,
                sets: Vec::new(),
                kernel: Some(*k),
                questions: if *k == Kernel::DnsResolver10k {
                    resolver_questions()
                } else {
                    Vec::new()
                },
            }),
        }
    }

    /// Kernel events of a scenario case (its throughput unit), or the items a kernel case
    /// processes (zones, lookups, IDs).
    pub fn elements(&self) -> Result<u64, String> {
        match &self.work {
            Work::Scenario { .. } => {
                let p = self.prepare()?;
                let block = p.block.expect("a scenario case has a block");
                let run = run_scenario(block, &p.sets, 1)
                    .map_err(|e| format!("case {:?}: {e}", self.name))?;
                Ok(run.result["kernel_events"]
                    .as_u64()
                    .unwrap_or(run.events.len() as u64))
            }
            Work::Kernel(Kernel::DnsParse) => Ok(DEFAULT_ZONES.len() as u64),
            Work::Kernel(Kernel::DnsResolver10k) => Ok(10_000),
            Work::Kernel(_) => Ok(MILLION),
        }
    }
}

impl Prepared {
    /// The timed work. A scenario's parameter error is returned, never panicked on.
    pub fn run(&mut self) -> Result<u64, String> {
        if let Some(block) = self.block {
            let run = run_scenario(block, &self.sets, 1).map_err(|e| e.to_string())?;
            return Ok(run.events.len() as u64);
        }
        Ok(match self.kernel.expect("a kernel case has a kernel") {
            Kernel::DnsParse => Internet::from_texts(DEFAULT_ZONES)
                .map_err(|e| format!("default zones: {e:?}"))?
                .hints
                .len() as u64,
            Kernel::DnsResolver10k => resolve_all(&self.questions),
            Kernel::Snowflake1M => {
                let mut s = Snowflake::new(1, 1, 1_288_834_974_657, OnBackwards::Refuse)
                    .ok_or("snowflake: invalid configuration")?;
                // 4096 IDs per millisecond, the sequence's ceiling, so none waits.
                let mut acc = 0u64;
                for i in 0..MILLION {
                    acc ^= s
                        .next_id(NOW_MS + i / 4096)
                        .map_err(|e| format!("snowflake: {e:?}"))?;
                }
                acc
            }
            Kernel::UuidV4_1M => {
                let mut rng = SimRng::new(1, 1);
                (0..MILLION).fold(0u128, |acc, _| acc ^ Uuid::v4_from(&mut rng).0) as u64
            }
            Kernel::UuidV7_1M => {
                let (mut gen, mut rng) = (UuidV7Generator::new(), SimRng::new(1, 2));
                let mut acc = 0u128;
                for i in 0..MILLION {
                    acc ^= gen
                        .next(NOW_MS + i / 1000, &mut rng)
                        .map_err(|e| format!("uuid v7: {e:?}"))?
                        .0;
                }
                acc as u64
            }
            Kernel::Ulid1M => {
                let (mut gen, mut rng) = (MonotonicUlid::new(), SimRng::new(1, 3));
                let mut acc = 0u128;
                for i in 0..MILLION {
                    acc ^= gen
                        .next(NOW_MS + i / 1000, &mut rng)
                        .map_err(|e| format!("ulid: {e:?}"))?
                        .0;
                }
                acc as u64
            }
        })
    }
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

/// The DNS issue's budget input: 10,000 random questions, a tenth of them for missing hosts and a
/// quarter for AAAA records.
fn resolver_questions() -> Vec<Question> {
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
    (0..10_000)
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
            Question::new(
                Name::parse_user(&text).expect("the benchmark's names are valid"),
                rtype,
            )
        })
        .collect()
}

/// One recursive resolver with caches answers every question, one per simulated second (TTLs of
/// 300 s and more keep most answers cached).
fn resolve_all(questions: &[Question]) -> u64 {
    let mut r = Resolver::new(
        Internet::default_internet().hints.clone(),
        Cache::new(CacheConfig::default()),
        ResolverConfig::default(),
    );
    let mut net = Direct;
    let mut records = 0u64;
    for (i, q) in questions.iter().enumerate() {
        let outcome = r.resolve(&mut net, SimTime(i as u64 * 1_000_000), q);
        records += outcome.answer.len() as u64;
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found() {
        let cases = all();
        let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), cases.len(), "duplicate case names");
        assert!(find("lb/10k requests").is_ok());
        let err = find("nope").expect_err("unknown case");
        assert!(
            err.contains("\"nope\"") && err.contains("lb/10k requests"),
            "{err}"
        );
    }

    #[test]
    fn every_scenario_case_has_valid_parameters() {
        for case in all() {
            if let Work::Scenario { id, sets } = &case.work {
                let block = registry::find(id).expect("registered");
                crate::Params::parse(block.params(), sets)
                    .unwrap_or_else(|e| panic!("{}: {e}", case.name));
            }
        }
    }

    #[test]
    fn small_cases_run() {
        for name in ["dns/parse the default internet", "ids/snowflake 1M"] {
            let mut p = find(name).expect("known").prepare().expect("prepares");
            p.run().expect("runs");
        }
    }
}
