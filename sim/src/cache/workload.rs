//! Access streams: who asks for which key, in which order.
//!
//! Generated shapes (`workload=`):
//! - `zipf` — Zipf(α) over `key_space` keys (`user:1` the most popular), exact sampler.
//! - `uniform` — every key equally likely.
//! - `loop` — `user:1`, `user:2`, …, `user:N`, again and again: with N larger than the cache,
//!   LRU and FIFO never hit.
//! - `scan` — a Zipf stream with a burst of `scan_len` one-time keys (`scan:1`, …) inserted in
//!   its middle: the scan flushes LRU, ARC and W-TinyLFU resist it.
//! - `shifting` — `phases` Zipf phases, each over a fresh set of `key_space` keys: the working
//!   set moves and a policy must forget the old one (LFU without aging cannot).
//!
//! Or given exactly: `keys=a,b,c,…` (the access sequence as typed) or `trace=` (a document with
//! one key per line; `#` starts a comment, blank lines are skipped; a bad line is reported with
//! its number). A key is 1 to 200 characters with no spaces, commas or `#`.

use super::keys::{Interner, Names};
use super::policy::Key;
use super::zipf::Zipf;
use crate::kernel::rng::SimRng;
use crate::params::ParamError;

/// Most accesses one run makes.
pub const MAX_ACCESSES: usize = 1_000_000;
/// Most distinct key ids a generated workload may use.
pub const MAX_KEY_IDS: u64 = 2_000_000;
pub const MAX_KEY_LEN: usize = 200;

/// Random stream of the key choices (see `kernel::rng`).
const STREAM_KEYS: u64 = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Zipf,
    Uniform,
    Loop,
    Scan,
    Shifting,
}

pub const SHAPES: &[&str] = &["zipf", "uniform", "loop", "scan", "shifting"];

impl Shape {
    pub fn parse(s: &str) -> Shape {
        match s {
            "uniform" => Shape::Uniform,
            "loop" => Shape::Loop,
            "scan" => Shape::Scan,
            "shifting" => Shape::Shifting,
            _ => Shape::Zipf,
        }
    }
}

/// The keys of a run in access order, and their names.
#[derive(Clone, Debug, PartialEq)]
pub struct Stream {
    pub keys: Vec<Key>,
    pub names: Names,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Workload {
    Generated {
        shape: Shape,
        alpha: f64,
        key_space: u32,
        accesses: u32,
        scan_len: u32,
        phases: u32,
    },
    /// A typed sequence or a trace, already interned.
    Given { stream: Stream, from_trace: bool },
}

impl Workload {
    /// The access stream under `seed` (a given sequence ignores the seed).
    pub fn stream(&self, seed: u64) -> Stream {
        match self {
            Workload::Given { stream, .. } => stream.clone(),
            Workload::Generated {
                shape,
                alpha,
                key_space,
                accesses,
                scan_len,
                phases,
            } => generate(
                *shape, *alpha, *key_space, *accesses, *scan_len, *phases, seed,
            ),
        }
    }

    /// How many accesses the stream has.
    pub fn len(&self) -> usize {
        match self {
            Workload::Given { stream, .. } => stream.keys.len(),
            Workload::Generated {
                shape,
                accesses,
                scan_len,
                ..
            } => {
                *accesses as usize
                    + if *shape == Shape::Scan {
                        *scan_len as usize
                    } else {
                        0
                    }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One phrase for narration, e.g. "Zipf(0.9) over 40 keys".
    pub fn describe(&self) -> String {
        match self {
            Workload::Given {
                stream,
                from_trace,
            } => format!(
                "the {} ({} distinct keys)",
                if *from_trace { "trace" } else { "typed sequence" },
                stream.names.count()
            ),
            Workload::Generated {
                shape, key_space, ..
            } if *key_space == 1 && *shape != Shape::Shifting => {
                "a single key (user:1)".to_string()
            }
            Workload::Generated {
                shape,
                alpha,
                key_space,
                scan_len,
                phases,
                ..
            } => match shape {
                Shape::Zipf => format!("Zipf({alpha}) over {key_space} keys"),
                Shape::Uniform => format!("uniform over {key_space} keys"),
                Shape::Loop => format!("a loop over {key_space} keys"),
                Shape::Scan => format!(
                    "Zipf({alpha}) over {key_space} keys with a scan of {scan_len} one-time keys in the middle"
                ),
                Shape::Shifting => format!(
                    "Zipf({alpha}) over {key_space} keys, moving to a fresh set {} times",
                    phases.saturating_sub(1)
                ),
            },
        }
    }
}

fn generate(
    shape: Shape,
    alpha: f64,
    key_space: u32,
    accesses: u32,
    scan_len: u32,
    phases: u32,
    seed: u64,
) -> Stream {
    let n = key_space.max(1);
    let mut rng = SimRng::new(seed, STREAM_KEYS);
    let zipf = Zipf::new(u64::from(n), alpha);
    let mut keys = Vec::with_capacity(accesses as usize + scan_len as usize);
    let mut scans = 0;
    let mut users = n;
    match shape {
        Shape::Zipf => keys.extend((0..accesses).map(|_| (zipf.sample(&mut rng) - 1) as Key)),
        Shape::Uniform => keys.extend((0..accesses).map(|_| rng.below(u64::from(n)) as Key)),
        Shape::Loop => keys.extend((0..accesses).map(|i| i % n)),
        Shape::Scan => {
            let half = accesses / 2;
            keys.extend((0..half).map(|_| (zipf.sample(&mut rng) - 1) as Key));
            keys.extend((0..scan_len).map(|i| n + i));
            keys.extend((half..accesses).map(|_| (zipf.sample(&mut rng) - 1) as Key));
            scans = scan_len;
        }
        Shape::Shifting => {
            let phases = phases.max(1);
            users = n * phases;
            for i in 0..accesses {
                let phase = (u64::from(i) * u64::from(phases) / u64::from(accesses)) as u32;
                keys.push(phase * n + (zipf.sample(&mut rng) - 1) as Key);
            }
        }
    }
    Stream {
        keys,
        names: Names::Generated {
            users,
            scans,
            extra: Vec::new(),
        },
    }
}

/// Why a key is not acceptable, if it is not.
fn key_problem(key: &str) -> Option<&'static str> {
    if key.is_empty() {
        Some("an empty key")
    } else if key.chars().count() > MAX_KEY_LEN {
        Some("a key longer than 200 characters")
    } else if key.chars().any(char::is_whitespace) {
        Some("a key with a space inside (one key per item, no spaces)")
    } else if key.chars().any(|c| c.is_control() || c == ',' || c == '#') {
        Some("a key with a comma, # or control character")
    } else {
        None
    }
}

/// `keys=a,b,c,…`: the exact access sequence.
pub fn parse_keys(text: &str) -> Result<Stream, ParamError> {
    let mut interner = Interner::default();
    let mut keys = Vec::new();
    for (i, item) in text.split(',').enumerate() {
        let key = item.trim();
        if let Some(problem) = key_problem(key) {
            return Err(ParamError::new(
                "keys",
                text,
                format!(
                    "a comma-separated list of keys (item {} is {problem}: {:?})",
                    i + 1,
                    shorten(key)
                ),
            ));
        }
        if keys.len() >= MAX_ACCESSES {
            return Err(ParamError::new(
                "keys",
                text,
                format!("at most {MAX_ACCESSES} keys"),
            ));
        }
        keys.push(interner.intern(key));
    }
    Ok(Stream {
        keys,
        names: interner.into_names(),
    })
}

/// A trace document: one key per line, `#` comments, blank lines skipped.
pub fn parse_trace(text: &str) -> Result<Stream, ParamError> {
    let mut interner = Interner::default();
    let mut keys = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let content = line.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        let bad = |what: String| {
            ParamError::new(
                "trace",
                format!("line {}: {}", i + 1, shorten(line.trim_end())),
                what,
            )
        };
        if let Some(problem) = key_problem(content) {
            return Err(bad(format!(
                "one key per line, # for comments (line {} has {problem})",
                i + 1
            )));
        }
        if keys.len() >= MAX_ACCESSES {
            return Err(bad(format!("at most {MAX_ACCESSES} accesses in a trace")));
        }
        keys.push(interner.intern(content));
    }
    if keys.is_empty() {
        return Err(ParamError::new(
            "trace",
            shorten(text),
            "a trace with at least one key (one key per line, # for comments)",
        ));
    }
    Ok(Stream {
        keys,
        names: interner.into_names(),
    })
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &Stream) -> String {
        s.keys
            .iter()
            .map(|&k| s.names.name(k))
            .collect::<Vec<_>>()
            .join(",")
    }

    #[test]
    fn typed_keys_keep_their_order_and_text() {
        let s = parse_keys(" a, user:42 ,a,b").unwrap();
        assert_eq!(s.keys, vec![0, 1, 0, 2]);
        assert_eq!(names(&s), "a,user:42,a,b");
        let e = parse_keys("a,,b").unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"keys="a,,b": expected a comma-separated list of keys (item 2 is an empty key: "")"#
        );
        assert!(parse_keys("a,b c").unwrap_err().allowed.contains("item 2"));
    }

    #[test]
    fn traces_skip_comments_and_blank_lines_and_report_bad_lines() {
        let s = parse_trace("# a trace\nuser:1\n\n  user:2  # inline comment\nuser:1\n").unwrap();
        assert_eq!(names(&s), "user:1,user:2,user:1");
        let e = parse_trace("a\nb\nGET c\n").unwrap_err();
        expect_test::expect![[
            r#"trace="line 3: GET c": expected one key per line, # for comments (line 3 has a key with a space inside (one key per item, no spaces))"#
        ]]
        .assert_eq(&e.to_string());
        assert!(parse_trace("# only comments\n\n").is_err());
    }

    #[test]
    fn generated_shapes() {
        let w = |shape, accesses, scan_len, phases| Workload::Generated {
            shape,
            alpha: 1.0,
            key_space: 4,
            accesses,
            scan_len,
            phases,
        };
        let l = w(Shape::Loop, 6, 0, 1).stream(1);
        assert_eq!(names(&l), "user:1,user:2,user:3,user:4,user:1,user:2");
        let s = w(Shape::Scan, 4, 3, 1).stream(1);
        assert_eq!(s.keys.len(), 7);
        assert_eq!(
            &names(&s).split(',').collect::<Vec<_>>()[2..5],
            ["scan:1", "scan:2", "scan:3"]
        );
        let sh = w(Shape::Shifting, 100, 0, 2).stream(1);
        assert!(sh.keys[..50].iter().all(|&k| k < 4));
        assert!(sh.keys[50..].iter().all(|&k| (4..8).contains(&k)));
        assert_eq!(
            w(Shape::Zipf, 50, 0, 1).stream(9),
            w(Shape::Zipf, 50, 0, 1).stream(9)
        );
        let u = w(Shape::Uniform, 1000, 0, 1).stream(2);
        assert!(u.keys.iter().all(|&k| k < 4));
    }
}
