//! A node's condition as words, so the diagram never says it with colour alone: a crashed
//! backend reads DOWN (and gets a dashed outline), one the balancer took out of rotation reads
//! OUT, a slowed one SLOW ×4. Read from the engine's gauges by name (`alive`, `in rotation`,
//! `slowdown`), like roles are read by `role`: a block that records none of them shows none.

use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    /// The badge text (`DOWN`, `OUT`, `SLOW ×4`).
    pub badge: String,
    /// The class on the node (`is-down`, `is-out`, `is-slow`).
    pub class: &'static str,
    /// The sentence for the node's tooltip.
    pub says: String,
}

/// The most serious condition the gauges show, if any: down, then out of rotation, then slow.
pub fn of(gauges: Option<&BTreeMap<String, f64>>) -> Option<Status> {
    let g = gauges?;
    let get = |k: &str| g.get(k).copied();
    if get("alive") == Some(0.0) {
        return Some(Status {
            badge: "DOWN".into(),
            class: "is-down",
            says: "down: crashed, answers nothing".into(),
        });
    }
    if get("in rotation") == Some(0.0) {
        return Some(Status {
            badge: "OUT".into(),
            class: "is-out",
            says: "out of rotation: the balancer sends it nothing".into(),
        });
    }
    match get("slowdown") {
        Some(f) if f > 1.0 => {
            let factor = if f == f.trunc() {
                format!("{}", f as i64)
            } else {
                format!("{f:.1}")
            };
            Some(Status {
                badge: format!("SLOW ×{factor}"),
                class: "is-slow",
                says: format!("slow: serves {factor} times slower than normal"),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gauges(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn conditions_get_words_most_serious_first() {
        let badge = |pairs: &[(&str, f64)]| of(Some(&gauges(pairs))).map(|s| s.badge);
        assert_eq!(badge(&[("busy", 2.0)]), None);
        assert_eq!(
            badge(&[("alive", 1.0), ("in rotation", 1.0), ("slowdown", 1.0)]),
            None
        );
        assert_eq!(
            badge(&[("alive", 0.0), ("in rotation", 0.0)]).as_deref(),
            Some("DOWN")
        );
        assert_eq!(
            badge(&[("alive", 1.0), ("in rotation", 0.0)]).as_deref(),
            Some("OUT")
        );
        assert_eq!(badge(&[("slowdown", 4.0)]).as_deref(), Some("SLOW ×4"));
        assert_eq!(badge(&[("slowdown", 2.5)]).as_deref(), Some("SLOW ×2.5"));
        assert_eq!(of(None), None);
    }
}
