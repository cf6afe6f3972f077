//! The cache block's parameters, form groups and presets.
//!
//! The issue fixes the CLI names: `policy` (`lru`, `fifo`, `random`, `lfu`, `arc`, `wtinylfu`,
//! `all`), `capacity`, `keys`, `trace`, `workload`, `alpha`, `key_space`, `accesses`. `mode`
//! picks the story: `eviction` (policies on one access stream), `write` (write policies and
//! consistency), `cluster` (sharding, node changes, hot keys), `stampede` (a hot key expiring
//! under load) and `mrc` (the miss-ratio curve). `config` turns them into a checked
//! [`super::config::Config`].

use super::workload::SHAPES;
use crate::block::Preset;
use crate::params::{ParamKind, ParamSpec};

pub const MODES: &[&str] = &["eviction", "write", "cluster", "stampede", "mrc"];
pub const POLICIES: &[&str] = &["lru", "fifo", "random", "lfu", "arc", "wtinylfu", "all"];
pub const WRITE_POLICIES: &[&str] = &[
    "cache_aside",
    "read_through",
    "write_through",
    "write_back",
    "write_around",
];
pub const FIXES: &[&str] = &["none", "single_flight", "xfetch", "lock"];

const fn int(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    help: &'static str,
    min: i64,
    max: i64,
    default: &'static str,
) -> ParamSpec {
    ParamSpec::new(key, label, unit, help, ParamKind::Int { min, max }, default)
}

const fn float(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    help: &'static str,
    min: f64,
    max: f64,
    default: &'static str,
) -> ParamSpec {
    ParamSpec::new(
        key,
        label,
        unit,
        help,
        ParamKind::Float { min, max },
        default,
    )
}

#[rustfmt::skip]
pub static SPECS: &[ParamSpec] = &[
    ParamSpec::new("mode", "Scenario", "", "eviction: policies on one access stream; write: write policies and stale reads; cluster: sharded nodes, node changes, hot keys; stampede: a hot key expires under load; mrc: hit ratio against cache size.", ParamKind::Choice(MODES), "eviction"),
    ParamSpec::new("policy", "Eviction policy", "", "Which key leaves when the cache is full; all: every policy side by side on the same accesses (eviction and mrc).", ParamKind::Choice(POLICIES), "lru"),
    int("capacity", "Capacity", "entries", "Entries one cache node holds (mode mrc: the largest size on the curve).", 1, 1_000_000, "8"),
    float("ttl_s", "TTL", "s", "Entries expire this long after they are written (expire-after-write); 0: never.", 0.0, 604_800.0, "0"),
    ParamSpec::new("workload", "Workload", "", "Shape of the generated accesses (ignored when keys or trace is given): zipf, uniform, loop, scan (a burst of one-time keys mid-stream), shifting (the hot set moves).", ParamKind::Choice(SHAPES), "zipf"),
    float("alpha", "Zipf α", "", "Skew of zipf, scan and shifting workloads: 0 is uniform, 1 is classic Zipf, higher is hotter.", 0.0, 3.0, "0.9"),
    int("key_space", "Keys", "keys", "Distinct keys a generated workload draws from (user:1 … user:N).", 1, 1_000_000, "40"),
    int("accesses", "Accesses", "", "How many accesses a generated workload makes.", 1, 1_000_000, "600"),
    int("scan_len", "Scan length", "keys", "Workload scan: one-time keys inserted in the middle of the stream.", 1, 1_000_000, "50"),
    int("phases", "Phases", "", "Workload shifting: how many successive hot sets.", 1, 100, "3"),
    ParamSpec::new("keys", "Access sequence", "", "The exact accesses, comma-separated (e.g. a,b,c,a,d); overrides the workload.", ParamKind::Text { max_len: 400_000 }, ""),
    ParamSpec::new("trace", "Trace file", "", "An access trace: one key per line, # starts a comment, blank lines skipped; overrides the workload. The CLI takes a file path.", ParamKind::Documents { max_docs: 1, max_len: 32_000_000 }, ""),
    float("rate", "Access rate", "req/s", "Accesses per second.", 0.01, 1_000_000.0, "20"),
    ParamSpec::new("arrivals", "Arrivals", "", "even: evenly spaced accesses; poisson: exponential gaps with the same mean (bursts happen).", ParamKind::Choice(&["even", "poisson"]), "even"),
    float("link_ms", "Link latency", "ms", "One-way latency of every hop (client, cache nodes, database).", 0.0, 60_000.0, "0.5"),
    float("cache_ms", "Cache latency", "ms", "Time a cache node takes to answer.", 0.0, 60_000.0, "0.2"),
    float("db_ms", "Database latency", "ms", "Time the database takes to answer a query or a write.", 0.0, 600_000.0, "20"),
    int("lfu_halve_every", "LFU aging", "accesses", "LFU halves every count after this many accesses; 0: never (then once-hot keys never leave). At least the capacity.", 0, 100_000_000, "0"),
    ParamSpec::new("doorkeeper", "Doorkeeper", "", "W-TinyLFU: put the TinyLFU paper's Bloom-filter doorkeeper before the sketch (Caffeine itself has none).", ParamKind::Choice(&["off", "on"]), "off"),
    ParamSpec::new("write_policy", "Write policy", "", "cache_aside: the client loads misses and writes the database; read_through: the cache loads misses; write_through: writes go through the cache to the database; write_back: the cache acknowledges and writes later; write_around: writes bypass the cache entirely.", ParamKind::Choice(WRITE_POLICIES), "cache_aside"),
    float("write_ratio", "Writes", "share", "Share of accesses that are writes (mode write).", 0.0, 1.0, "0.2"),
    ParamSpec::new("invalidate", "Invalidate on write", "", "cache_aside and read_through: after writing the database, delete the cached copy (on) or leave it to its TTL (off).", ParamKind::Choice(&["on", "off"]), "on"),
    float("flush_ms", "Write-back delay", "ms", "write_back: a dirty entry is written to the database this long after its first unsaved write.", 0.0, 3_600_000.0, "1000"),
    int("nodes", "Cache nodes", "", "Nodes in the cluster (mode cluster).", 1, 64, "4"),
    ParamSpec::new("sharding", "Sharding", "", "ring: consistent hashing with virtual nodes; mod: hash(key) mod N.", ParamKind::Choice(&["ring", "mod"]), "ring"),
    int("vnodes", "Virtual nodes", "per node", "Points each node puts on the hash ring.", 1, 1_000, "100"),
    float("hot_share", "Hot key share", "share", "Share of accesses that go to one hot key, hot:key (mode cluster).", 0.0, 1.0, "0"),
    int("replicas", "Hot key replicas", "", "Copies of the hot key on successive nodes; each read picks one at random.", 1, 64, "1"),
    ParamSpec::new("faults", "Failure schedule", "", "Comma-separated ACTION[:NODE]@TIME: crash:1@5s (a node restarts empty), remove:2@10s and add@10s (mode cluster).", ParamKind::Text { max_len: 2_000 }, ""),
    ParamSpec::new("fix", "Stampede fix", "", "none; single_flight: one load per key, the others wait for it; xfetch: probabilistic early refresh (Vattani et al. 2015); lock: one client loads, the others retry.", ParamKind::Choice(FIXES), "none"),
    float("beta", "XFetch β", "", "xfetch: how eagerly to refresh early (1 is the paper's optimum; larger is earlier).", 0.0, 100.0, "1"),
    float("lock_retry_ms", "Lock retry", "ms", "lock: how long a client that did not get the lock waits before reading again.", 0.1, 60_000.0, "50"),
    int("db_slots", "Database slots", "queries", "Queries the database runs at once (mode stampede); more wait in its queue.", 1, 100_000, "4"),
    int("mrc_points", "Curve points", "sizes", "Mode mrc: cache sizes on the curve, evenly spaced up to the capacity.", 10, 20, "20"),
];

pub static GROUPS: &[(&str, &[&str])] = &[
    ("Cache", &["mode", "policy", "capacity", "ttl_s"]),
    (
        "Workload",
        &[
            "workload",
            "alpha",
            "key_space",
            "accesses",
            "scan_len",
            "phases",
            "keys",
            "trace",
            "rate",
            "arrivals",
        ],
    ),
    ("Latency", &["link_ms", "cache_ms", "db_ms"]),
    (
        "Policy tuning",
        &["lfu_halve_every", "doorkeeper", "mrc_points"],
    ),
    (
        "Writes",
        &["write_policy", "write_ratio", "invalidate", "flush_ms"],
    ),
    (
        "Cluster",
        &[
            "nodes",
            "sharding",
            "vnodes",
            "hot_share",
            "replicas",
            "faults",
        ],
    ),
    ("Stampede", &["fix", "beta", "lock_retry_ms", "db_slots"]),
];

/// The stampede stories share everything but the fix.
macro_rules! stampede {
    ($fix:expr) => {
        &[
            ("mode", "stampede"),
            ("fix", $fix),
            ("key_space", "1"),
            ("accesses", "4000"),
            ("rate", "400"),
            ("arrivals", "poisson"),
            ("ttl_s", "3"),
            ("db_ms", "150"),
            ("db_slots", "4"),
        ]
    };
}

#[rustfmt::skip]
pub static PRESETS: &[Preset] = &[
    Preset { id: "lru", title: "LRU step by step", story: "Eight slots, forty keys: watch the recency list reorder on every hit and lose its back end on every miss.", values: &[] },
    Preset { id: "hand_worked", title: "A typed sequence", story: "Three slots and the sequence a b c a d b e a: step through and predict each eviction before the narration says it.", values: &[("capacity", "3"), ("keys", "a,b,c,a,d,b,e,a,c,d")] },
    Preset { id: "lru_vs_scan", title: "LRU vs a scan", story: "Halfway through, 2,000 one-time keys sweep by: LRU and FIFO lose their hot keys and dip; ARC and W-TinyLFU barely notice.", values: &[("policy", "all"), ("workload", "scan"), ("capacity", "100"), ("key_space", "1000"), ("alpha", "0.9"), ("accesses", "30000"), ("scan_len", "2000"), ("rate", "1000")] },
    Preset { id: "arc_adapting", title: "ARC adapting", story: "The hot set moves three times: ghost hits in B1 push ARC's target p up for recency, then B2 hits pull it back toward frequency — watch p.", values: &[("policy", "arc"), ("workload", "shifting"), ("capacity", "50"), ("key_space", "150"), ("alpha", "0.8"), ("phases", "4"), ("accesses", "12000"), ("rate", "500")] },
    Preset { id: "wtinylfu_zipf", title: "W-TinyLFU on Zipf", story: "A skewed stream over 10,000 keys with room for 100: W-TinyLFU's frequency filter keeps the popular keys and leads every other policy.", values: &[("policy", "all"), ("capacity", "100"), ("key_space", "10000"), ("alpha", "0.8"), ("accesses", "100000"), ("rate", "2000")] },
    Preset { id: "loop", title: "A loop larger than the cache", story: "Eleven keys in a loop, ten slots: LRU and FIFO evict each key just before it comes back and never hit — nor do LFU and ARC, which act like LRU here; random eviction and W-TinyLFU keep most keys.", values: &[("policy", "all"), ("workload", "loop"), ("capacity", "10"), ("key_space", "11"), ("accesses", "440"), ("rate", "50")] },
    Preset { id: "shifting", title: "The working set moves", story: "Three hot sets one after another: LFU without aging clings to the first set's counts; try lfu_halve_every=1000.", values: &[("policy", "all"), ("workload", "shifting"), ("capacity", "100"), ("key_space", "300"), ("phases", "3"), ("accesses", "30000"), ("rate", "1000")] },
    Preset { id: "ttl", title: "TTL expiry", story: "Entries live 2 s after they are written: even popular keys expire and miss once, and the table shows each entry's remaining time.", values: &[("ttl_s", "2"), ("capacity", "8"), ("key_space", "12"), ("accesses", "300"), ("rate", "10")] },
    Preset { id: "mrc", title: "Miss-ratio curve", story: "Hit ratio against cache size for every policy on one Zipf stream: the gap between the curves is what a better policy is worth.", values: &[("mode", "mrc"), ("policy", "all"), ("capacity", "1000"), ("key_space", "5000"), ("alpha", "0.8"), ("accesses", "100000")] },
    Preset { id: "stampede", title: "Cache stampede", story: "A hot key expires every 3 s under 400 req/s: every request that misses queries the database at once and the database queue explodes.", values: stampede!("none") },
    Preset { id: "stampede_single_flight", title: "Stampede: single flight", story: "The same load with request coalescing: one query per expiry, the other misses wait for its answer.", values: stampede!("single_flight") },
    Preset { id: "stampede_xfetch", title: "Stampede: early expiration", story: "XFetch: as expiry nears, a request now and then refreshes the key early, so it never expires under load.", values: stampede!("xfetch") },
    Preset { id: "stampede_lock", title: "Stampede: a lock", story: "The first miss takes a lock and loads; the others retry every 50 ms — one query, but waiting clients poll the cache.", values: stampede!("lock") },
    Preset { id: "ring_remove", title: "Hash ring: a node leaves", story: "Cache 2 of 4 leaves at 10 s: only its quarter of the keys moves to other nodes, and the hit ratio dips briefly.", values: &[("mode", "cluster"), ("sharding", "ring"), ("faults", "remove:2@10s"), ("capacity", "500"), ("key_space", "2000"), ("alpha", "1"), ("accesses", "20000"), ("rate", "1000")] },
    Preset { id: "mod_remove", title: "hash mod N: a node leaves", story: "The same removal with hash mod N: three quarters of all keys change node, and the hit ratio falls by a third and takes seconds to recover.", values: &[("mode", "cluster"), ("sharding", "mod"), ("faults", "remove:2@10s"), ("capacity", "500"), ("key_space", "2000"), ("alpha", "1"), ("accesses", "20000"), ("rate", "1000")] },
    Preset { id: "ring_add", title: "Hash ring: a node joins", story: "A fifth node joins at 10 s and takes a fifth of the keys from the others; they miss once on it.", values: &[("mode", "cluster"), ("faults", "add@10s"), ("capacity", "500"), ("key_space", "2000"), ("alpha", "1"), ("accesses", "20000"), ("rate", "1000")] },
    Preset { id: "hot_key", title: "A hot key", story: "40% of requests ask for hot:key and all land on one node; set replicas to 3 to spread them.", values: &[("mode", "cluster"), ("hot_share", "0.4"), ("capacity", "500"), ("key_space", "2000"), ("alpha", "1"), ("accesses", "20000"), ("rate", "1000")] },
    Preset { id: "hot_key_replicas", title: "A hot key with 3 replicas", story: "The hot key lives on three nodes and each read picks one: the busiest node now carries about a third of the requests instead of nearly two thirds.", values: &[("mode", "cluster"), ("hot_share", "0.4"), ("replicas", "3"), ("capacity", "500"), ("key_space", "2000"), ("alpha", "1"), ("accesses", "20000"), ("rate", "1000")] },
    Preset { id: "write_back_crash", title: "Write-back: the node dies", story: "Writes are acknowledged by the cache and saved a second later; the node crashes at 5 s and the unsaved writes are gone.", values: &[("mode", "write"), ("write_policy", "write_back"), ("faults", "crash@5s"), ("write_ratio", "0.4"), ("capacity", "50"), ("key_space", "40"), ("accesses", "2000"), ("rate", "200")] },
    Preset { id: "write_through", title: "Write-through", story: "Every write goes through the cache to the database before it is acknowledged: slower writes, but the cache is never stale.", values: &[("mode", "write"), ("write_policy", "write_through"), ("write_ratio", "0.3"), ("capacity", "20"), ("key_space", "40"), ("accesses", "1000"), ("rate", "100")] },
    Preset { id: "stale_ttl", title: "Stale reads: TTL only", story: "Cache-aside without invalidation: after a write, readers get the old value until the entry's 5 s TTL runs out.", values: &[("mode", "write"), ("invalidate", "off"), ("ttl_s", "5"), ("write_ratio", "0.1"), ("capacity", "50"), ("key_space", "20"), ("accesses", "2000"), ("rate", "100")] },
    Preset { id: "stale_invalidate", title: "Stale reads: invalidate on write", story: "The same traffic, deleting the cached copy after each write: stale reads nearly vanish (a read racing a write can still store an old value).", values: &[("mode", "write"), ("invalidate", "on"), ("ttl_s", "5"), ("write_ratio", "0.1"), ("capacity", "50"), ("key_space", "20"), ("accesses", "2000"), ("rate", "100")] },
    Preset { id: "write_around", title: "Write-around", story: "Writes skip the cache entirely: reads served from the cache stay stale until the TTL, the price of never polluting the cache with writes.", values: &[("mode", "write"), ("write_policy", "write_around"), ("ttl_s", "5"), ("write_ratio", "0.1"), ("capacity", "50"), ("key_space", "20"), ("accesses", "2000"), ("rate", "100")] },
];
