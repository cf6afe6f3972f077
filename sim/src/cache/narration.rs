//! Sentences the cache scenarios share: introductions and number formatting.

use super::config::Config;
use crate::kernel::time::SimDuration;

/// 12345 → "12,345".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "LRU" or "all six policies (LRU, FIFO, …)".
pub fn policies(cfg: &Config) -> String {
    match cfg.policies.as_slice() {
        [one] => one.title().to_string(),
        all => format!(
            "{} policies side by side ({})",
            all.len(),
            all.iter().map(|p| p.title()).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// "one every 50 ms" or "about 400 per second (Poisson)".
pub fn pace(cfg: &Config) -> String {
    if cfg.poisson {
        format!(
            "about {} per second (Poisson arrivals)",
            trim(1e6 / cfg.gap_us)
        )
    } else {
        format!("one every {}", SimDuration::from_micros_f64(cfg.gap_us))
    }
}

fn trim(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

pub fn eviction_intro(cfg: &Config, n: usize, hit: SimDuration, miss: SimDuration) -> String {
    let ttl = cfg.ttl.map_or(String::new(), |t| {
        format!(" Entries expire {t} after they are loaded.")
    });
    let caches = match cfg.policies.as_slice() {
        [one] => format!(
            "The cache ({}, {} entries) starts empty.",
            one.title(),
            thousands(cfg.capacity as u64)
        ),
        all => format!(
            "{} caches of {} entries each — {} — start empty and see the very same accesses.",
            all.len(),
            thousands(cfg.capacity as u64),
            all.iter().map(|p| p.title()).collect::<Vec<_>>().join(", ")
        ),
    };
    format!(
        "{caches} {} accesses follow {}, {}. A hit answers in {hit}; a miss goes on to the database and takes {miss}.{ttl}",
        thousands(n as u64),
        cfg.workload.describe(),
        pace(cfg),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_separators() {
        let got: Vec<String> = [0, 999, 1_000, 123_456, 1_000_000]
            .iter()
            .map(|&n| super::thousands(n))
            .collect();
        assert_eq!(got, ["0", "999", "1,000", "123,456", "1,000,000"]);
    }
}
