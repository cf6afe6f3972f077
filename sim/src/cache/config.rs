//! The cache block's inputs in engine units, checked once (every rule across parameters lives
//! here, so `check` and `simulate` can never disagree).

use super::faults::{parse_faults, Fault};
use super::policy::{Options, PolicyId};
use super::workload::{parse_keys, parse_trace, Shape, Workload, MAX_ACCESSES, MAX_KEY_IDS};
use crate::kernel::time::SimDuration;
use crate::params::{ParamError, Params};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Eviction,
    Write,
    Cluster,
    Stampede,
    Mrc,
}

impl Mode {
    /// The mode a `mode` parameter names (`eviction`, `write`, `cluster`, `stampede`, `mrc`).
    pub fn parse(text: &str) -> Option<Mode> {
        match text {
            "eviction" => Some(Mode::Eviction),
            "write" => Some(Mode::Write),
            "cluster" => Some(Mode::Cluster),
            "stampede" => Some(Mode::Stampede),
            "mrc" => Some(Mode::Mrc),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WritePolicy {
    CacheAside,
    ReadThrough,
    WriteThrough,
    WriteBack,
    WriteAround,
}

impl WritePolicy {
    pub fn title(self) -> &'static str {
        match self {
            WritePolicy::CacheAside => "cache-aside",
            WritePolicy::ReadThrough => "read-through",
            WritePolicy::WriteThrough => "write-through",
            WritePolicy::WriteBack => "write-back",
            WritePolicy::WriteAround => "write-around",
        }
    }
    /// Whether the cache node loads misses itself (else the client does).
    pub fn cache_loads(self) -> bool {
        self != WritePolicy::CacheAside
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fix {
    None,
    SingleFlight,
    XFetch,
    Lock,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub mode: Mode,
    /// The policies to run (one, or all six).
    pub policies: Vec<PolicyId>,
    pub capacity: usize,
    pub ttl: Option<SimDuration>,
    pub workload: Workload,
    /// Mean gap between accesses, µs.
    pub gap_us: f64,
    pub poisson: bool,
    pub link: SimDuration,
    pub cache_time: SimDuration,
    pub db_time: SimDuration,
    pub options: Options,
    pub write_policy: WritePolicy,
    pub write_ratio: f64,
    pub invalidate: bool,
    pub flush: SimDuration,
    pub nodes: usize,
    pub ring: bool,
    pub vnodes: u32,
    pub hot_share: f64,
    pub replicas: usize,
    pub faults: Vec<Fault>,
    pub fix: Fix,
    pub beta: f64,
    pub lock_retry: SimDuration,
    pub db_slots: u32,
    pub mrc_points: usize,
}

impl Config {
    pub fn from_params(p: &Params) -> Result<Config, ParamError> {
        // The spec admits only the five names.
        let mode = Mode::parse(p.text("mode")).unwrap_or(Mode::Eviction);
        let policy = p.text("policy");
        let policies = match PolicyId::parse(policy) {
            Some(one) => vec![one],
            None => {
                if !matches!(mode, Mode::Eviction | Mode::Mrc) {
                    return Err(ParamError::new(
                        "policy",
                        policy,
                        "one of lru, fifo, random, lfu, arc, wtinylfu with this mode (all is for mode eviction and mrc)",
                    ));
                }
                PolicyId::ALL.to_vec()
            }
        };
        let capacity = p.int("capacity") as usize;
        let keys = p.text("keys");
        let trace = p.docs("trace");
        if !keys.is_empty() && !trace.is_empty() {
            return Err(ParamError::new(
                "keys",
                keys,
                "empty when a trace is given (keys and trace are two ways to give the accesses)",
            ));
        }
        let shape = Shape::parse(p.text("workload"));
        let key_space = p.int("key_space") as u32;
        let accesses = p.int("accesses") as u32;
        let scan_len = p.int("scan_len") as u32;
        let phases = p.int("phases") as u32;
        let workload = if let Some(doc) = trace.first() {
            Workload::Given {
                stream: parse_trace(doc)?,
                from_trace: true,
            }
        } else if !keys.is_empty() {
            Workload::Given {
                stream: parse_keys(keys)?,
                from_trace: false,
            }
        } else {
            if shape == Shape::Scan && accesses as usize + scan_len as usize > MAX_ACCESSES {
                return Err(ParamError::new(
                    "scan_len",
                    scan_len.to_string(),
                    format!(
                        "at most {} with accesses={accesses} (accesses plus the scan at most {MAX_ACCESSES})",
                        MAX_ACCESSES - accesses as usize
                    ),
                ));
            }
            if shape == Shape::Shifting && u64::from(key_space) * u64::from(phases) > MAX_KEY_IDS {
                return Err(ParamError::new(
                    "phases",
                    phases.to_string(),
                    format!(
                        "at most {} with key_space={key_space} (keys × phases at most {MAX_KEY_IDS})",
                        MAX_KEY_IDS / u64::from(key_space)
                    ),
                ));
            }
            Workload::Generated {
                shape,
                alpha: p.float("alpha"),
                key_space,
                accesses,
                scan_len,
                phases,
            }
        };
        let halve = p.int("lfu_halve_every") as u64;
        if halve != 0 && (halve as usize) < capacity {
            return Err(ParamError::new(
                "lfu_halve_every",
                halve.to_string(),
                format!("0 (never) or at least the capacity ({capacity})"),
            ));
        }
        let nodes = p.int("nodes") as usize;
        let replicas = p.int("replicas") as usize;
        if mode == Mode::Cluster && replicas > nodes {
            return Err(ParamError::new(
                "replicas",
                replicas.to_string(),
                format!("at most the number of nodes ({nodes})"),
            ));
        }
        let faults = parse_faults(
            p.text("faults"),
            if mode == Mode::Cluster { nodes } else { 1 },
            mode == Mode::Cluster,
        )?;
        if mode == Mode::Mrc && !faults.is_empty() {
            return Err(ParamError::new(
                "faults",
                p.text("faults"),
                "nothing with mode=mrc (the curve replays accesses without time)",
            ));
        }
        let mrc_points = p.int("mrc_points") as usize;
        if mode == Mode::Mrc && capacity < mrc_points {
            return Err(ParamError::new(
                "capacity",
                capacity.to_string(),
                format!("at least mrc_points ({mrc_points}) with mode=mrc: the curve needs that many distinct sizes up to the capacity"),
            ));
        }
        let ttl_s = p.float("ttl_s");
        if mode == Mode::Mrc && ttl_s > 0.0 {
            return Err(ParamError::new(
                "ttl_s",
                p.float("ttl_s").to_string(),
                "0 with mode=mrc (the curve replays accesses without time)",
            ));
        }
        Ok(Config {
            mode,
            policies,
            capacity,
            ttl: (ttl_s > 0.0).then(|| SimDuration::from_micros_f64(ttl_s * 1e6)),
            workload,
            gap_us: 1e6 / p.float("rate"),
            poisson: p.text("arrivals") == "poisson",
            link: SimDuration::from_millis_f64(p.float("link_ms")),
            cache_time: SimDuration::from_millis_f64(p.float("cache_ms")),
            db_time: SimDuration::from_millis_f64(p.float("db_ms")),
            options: Options {
                lfu_halve_every: halve,
                doorkeeper: p.text("doorkeeper") == "on",
                seed: 0,
            },
            write_policy: match p.text("write_policy") {
                "read_through" => WritePolicy::ReadThrough,
                "write_through" => WritePolicy::WriteThrough,
                "write_back" => WritePolicy::WriteBack,
                "write_around" => WritePolicy::WriteAround,
                _ => WritePolicy::CacheAside,
            },
            write_ratio: p.float("write_ratio"),
            invalidate: p.text("invalidate") == "on",
            flush: SimDuration::from_millis_f64(p.float("flush_ms")),
            nodes,
            ring: p.text("sharding") == "ring",
            vnodes: p.int("vnodes") as u32,
            hot_share: p.float("hot_share"),
            replicas,
            faults,
            fix: match p.text("fix") {
                "single_flight" => Fix::SingleFlight,
                "xfetch" => Fix::XFetch,
                "lock" => Fix::Lock,
                _ => Fix::None,
            },
            beta: p.float("beta"),
            lock_retry: SimDuration::from_millis_f64(p.float("lock_retry_ms")),
            db_slots: p.int("db_slots") as u32,
            mrc_points,
        })
    }

    /// The policy options under a run's seed.
    pub fn options(&self, seed: u64) -> Options {
        Options {
            seed,
            ..self.options
        }
    }
}
