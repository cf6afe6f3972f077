//! The failure schedule (`faults=`): comma-separated `ACTION[:NODE]@TIME` items.
//!
//! - `crash:N@T` — cache node N loses everything it holds (dirty write-back entries included)
//!   and restarts empty at once; `crash@T` is node 1.
//! - `remove:N@T` — node N leaves the cluster (mode `cluster`): its keys move to other nodes.
//! - `add@T` — a new, empty node joins the cluster (mode `cluster`), numbered after the last.
//!
//! TIME is `1.5s`, `250ms` or `800us`. Nodes are numbered from 1; numbers are never reused.

use crate::kernel::time::SimTime;
use crate::params::ParamError;

/// Most nodes a cluster can have had (initial plus added).
pub const MAX_NODES: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// 0-based node number.
    Crash(usize),
    Remove(usize),
    Add,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fault {
    pub at: SimTime,
    pub kind: FaultKind,
}

/// `1.5s`, `250ms`, `800us` / `800µs` → virtual time.
pub fn parse_time(t: &str) -> Option<SimTime> {
    let (num, scale) = if let Some(n) = t.strip_suffix("ms") {
        (n, 1e3)
    } else if let Some(n) = t.strip_suffix("us").or_else(|| t.strip_suffix("µs")) {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1e6)
    } else {
        return None;
    };
    let v: f64 = num.trim().parse().ok()?;
    (v.is_finite() && v >= 0.0 && v * scale < 1e15).then(|| SimTime((v * scale).round() as u64))
}

/// Parses and checks a schedule for `nodes` initial nodes; `cluster` allows `add` and
/// `remove`. Items are returned in time order (ties keep their written order).
pub fn parse_faults(text: &str, nodes: usize, cluster: bool) -> Result<Vec<Fault>, ParamError> {
    let mut out: Vec<(Fault, usize, String)> = Vec::new();
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    for (i, raw) in text.split(',').enumerate() {
        let item = raw.trim();
        let fail = |why: String| {
            ParamError::new(
                "faults",
                text,
                format!(
                    "ACTION[:NODE]@TIME items (crash, remove, add); item {} ({item:?}): {why}",
                    i + 1
                ),
            )
        };
        let (head, time) = item
            .split_once('@')
            .ok_or_else(|| fail("missing @TIME, e.g. crash:1@2s".into()))?;
        let at = parse_time(time.trim()).ok_or_else(|| {
            fail(format!(
                "time {:?} is not a duration like 1.5s, 250ms or 800us",
                time.trim()
            ))
        })?;
        let (action, node) = match head.split_once(':') {
            Some((a, n)) => {
                let n: usize =
                    n.trim().parse().ok().filter(|&n| n >= 1).ok_or_else(|| {
                        fail(format!("node {:?} is not a number from 1", n.trim()))
                    })?;
                (a.trim(), Some(n - 1))
            }
            None => (head.trim(), None),
        };
        let kind = match (action, node) {
            ("crash", n) => FaultKind::Crash(n.unwrap_or(0)),
            ("remove", Some(n)) if cluster => FaultKind::Remove(n),
            ("remove", None) if cluster => {
                return Err(fail("remove needs a node, e.g. remove:2@5s".into()))
            }
            ("add", None) if cluster => FaultKind::Add,
            ("add", Some(_)) if cluster => {
                return Err(fail(
                    "add takes no node: the new node is numbered after the last".into(),
                ))
            }
            ("remove" | "add", _) => return Err(fail("add and remove need mode=cluster".into())),
            (other, _) => {
                return Err(fail(format!(
                    "unknown action {other:?}; expected crash, remove or add"
                )))
            }
        };
        out.push((Fault { at, kind }, i, item.to_string()));
    }
    out.sort_by_key(|(f, i, _)| (f.at, *i));
    // Replay membership to check every node named exists at its time.
    let mut alive: Vec<bool> = vec![true; nodes];
    for (f, i, item) in &out {
        let fail = |why: String| {
            ParamError::new(
                "faults",
                text,
                format!(
                    "ACTION[:NODE]@TIME items (crash, remove, add); item {} ({item:?}): {why}",
                    i + 1
                ),
            )
        };
        match f.kind {
            FaultKind::Crash(n) | FaultKind::Remove(n) => {
                if n >= alive.len() || !alive[n] {
                    let live: Vec<String> = (0..alive.len())
                        .filter(|&j| alive[j])
                        .map(|j| (j + 1).to_string())
                        .collect();
                    return Err(fail(format!(
                        "node {} is not in the cluster at that time (nodes: {})",
                        n + 1,
                        live.join(", ")
                    )));
                }
                if let FaultKind::Remove(_) = f.kind {
                    if alive.iter().filter(|a| **a).count() == 1 {
                        return Err(fail("the last node cannot be removed".into()));
                    }
                    alive[n] = false;
                }
            }
            FaultKind::Add => {
                if alive.len() >= MAX_NODES {
                    return Err(fail(format!("at most {MAX_NODES} nodes in all")));
                }
                alive.push(true);
            }
        }
    }
    Ok(out.into_iter().map(|(f, _, _)| f).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, nodes: usize, cluster: bool, expect: expect_test::Expect) {
        let got = match parse_faults(text, nodes, cluster) {
            Ok(f) => format!("{f:?}"),
            Err(e) => e.allowed,
        };
        expect.assert_eq(&got);
    }

    #[test]
    fn schedules() {
        use expect_test::expect;
        check("", 1, false, expect!["[]"]);
        check(
            "crash@2s",
            1,
            false,
            expect!["[Fault { at: SimTime(2000000), kind: Crash(0) }]"],
        );
        check(
            "add@3s, remove:2@1s, crash:5@4s",
            4,
            true,
            expect!["[Fault { at: SimTime(1000000), kind: Remove(1) }, Fault { at: SimTime(3000000), kind: Add }, Fault { at: SimTime(4000000), kind: Crash(4) }]"],
        );
        check(
            "remove:2@1s,crash:2@2s",
            3,
            true,
            expect![[
                r#"ACTION[:NODE]@TIME items (crash, remove, add); item 2 ("crash:2@2s"): node 2 is not in the cluster at that time (nodes: 1, 3)"#
            ]],
        );
        check(
            "remove:1@1s",
            1,
            true,
            expect![[
                r#"ACTION[:NODE]@TIME items (crash, remove, add); item 1 ("remove:1@1s"): the last node cannot be removed"#
            ]],
        );
        check(
            "add@1s",
            1,
            false,
            expect![[
                r#"ACTION[:NODE]@TIME items (crash, remove, add); item 1 ("add@1s"): add and remove need mode=cluster"#
            ]],
        );
        check(
            "crash:x@1s",
            1,
            false,
            expect![[
                r#"ACTION[:NODE]@TIME items (crash, remove, add); item 1 ("crash:x@1s"): node "x" is not a number from 1"#
            ]],
        );
        check(
            "crash@soon",
            1,
            false,
            expect![[
                r#"ACTION[:NODE]@TIME items (crash, remove, add); item 1 ("crash@soon"): time "soon" is not a duration like 1.5s, 250ms or 800us"#
            ]],
        );
        check(
            "melt:1@1s",
            1,
            false,
            expect![[
                r#"ACTION[:NODE]@TIME items (crash, remove, add); item 1 ("melt:1@1s"): unknown action "melt"; expected crash, remove or add"#
            ]],
        );
    }
}
