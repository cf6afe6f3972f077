//! The load-balancer scenario's inputs in engine units, and the failure-schedule parser.

use super::algo::Options;
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::DEFAULT_EVENT_CAP;
use crate::params::{ParamError, Params};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Service {
    Exponential,
    LogNormal { sigma: f64 },
    Constant,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Arrivals {
    Poisson,
    /// On/off: exponential on and off periods; all arrivals fall in on periods.
    Bursty {
        on_us: f64,
        off_us: f64,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sticky {
    None,
    Cookie,
    SourceIp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tls {
    Off,
    Terminate,
    Passthrough,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HealthCheck {
    pub interval: SimDuration,
    pub timeout: SimDuration,
    pub rise: u32,
    pub fall: u32,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FaultKind {
    Down,
    Up,
    /// Service takes this many times longer from now on (1 = back to normal).
    Slow(f64),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fault {
    pub at: SimTime,
    /// 0-based backend index.
    pub backend: usize,
    pub kind: FaultKind,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TlsCost {
    pub mode: Tls,
    /// Round trips of a full and of a resumed handshake.
    pub full_rtts: u32,
    pub resume_rtts: u32,
    pub resume_share: f64,
    pub full_cpu: SimDuration,
    pub resume_cpu: SimDuration,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub algorithm: String,
    pub weights: Vec<f64>,
    pub speeds: Vec<f64>,
    pub capacities: Vec<u32>,
    pub queue: u32,
    pub queue_at_lb: bool,
    pub requests: u64,
    pub rate_per_s: f64,
    pub arrivals: Arrivals,
    pub service: Service,
    pub service_mean_us: f64,
    pub link: SimDuration,
    pub clients: u32,
    pub nat_share: f64,
    pub faults: Vec<Fault>,
    pub health: Option<HealthCheck>,
    pub eject_after: u32,
    pub eject_base: SimDuration,
    pub timeout: SimDuration,
    pub retries: u32,
    pub retry_budget_pct: f64,
    pub sticky: Sticky,
    pub tls: TlsCost,
    pub lb_cores: u32,
    pub algo: Options,
    pub event_cap: usize,
    /// The caller wants only the summary (`Run::summary_json`): no event log, steps or series
    /// are kept; the result is the same as in a full run.
    pub summary_only: bool,
}

fn per_backend(list: &[f64], n: usize, fallback: f64) -> Vec<f64> {
    match list.len() {
        0 => vec![fallback; n],
        1 => vec![list[0]; n],
        _ => list.to_vec(),
    }
}

impl Config {
    /// From parameters that passed `params::check` (so lists have the right length and the
    /// fault schedule parses).
    pub fn from_params(p: &Params) -> Self {
        let n = p.int("backends") as usize;
        let service = match p.text("service") {
            "lognormal" => Service::LogNormal {
                sigma: p.float("service_sigma"),
            },
            "const" => Service::Constant,
            _ => Service::Exponential,
        };
        let arrivals = match p.text("arrivals") {
            "bursty" => Arrivals::Bursty {
                on_us: p.float("burst_on_ms") * 1e3,
                off_us: p.float("burst_off_ms") * 1e3,
            },
            _ => Arrivals::Poisson,
        };
        let ms = |k: &str| SimDuration::from_millis_f64(p.float(k));
        let tls_mode = match p.text("tls") {
            "terminate" => Tls::Terminate,
            "passthrough" => Tls::Passthrough,
            _ => Tls::Off,
        };
        Config {
            algorithm: p.text("algorithm").to_string(),
            weights: per_backend(p.list("weights"), n, 1.0),
            speeds: per_backend(p.list("speeds"), n, 1.0),
            capacities: per_backend(p.list("capacities"), n, p.int("capacity") as f64)
                .into_iter()
                .map(|c| c as u32)
                .collect(),
            queue: p.int("queue") as u32,
            queue_at_lb: p.text("queue_at") == "lb",
            requests: p.int("requests") as u64,
            rate_per_s: p.float("rate"),
            arrivals,
            service,
            service_mean_us: p.float("service_ms") * 1e3,
            link: ms("link_ms"),
            clients: p.int("clients") as u32,
            nat_share: p.float("nat_share"),
            faults: parse_faults(p.text("faults"), n).unwrap_or_default(),
            health: (p.text("health") == "active").then(|| HealthCheck {
                interval: ms("hc_interval_ms").max(SimDuration(1)),
                timeout: ms("hc_timeout_ms").max(SimDuration(1)),
                rise: p.int("hc_rise") as u32,
                fall: p.int("hc_fall") as u32,
            }),
            eject_after: p.int("eject_after") as u32,
            eject_base: ms("eject_ms"),
            timeout: ms("timeout_ms").max(SimDuration(1)),
            retries: p.int("retries") as u32,
            retry_budget_pct: p.float("retry_budget"),
            sticky: match p.text("sticky") {
                "cookie" => Sticky::Cookie,
                "source_ip" => Sticky::SourceIp,
                _ => Sticky::None,
            },
            tls: TlsCost {
                mode: tls_mode,
                full_rtts: if p.text("tls_version") == "1.2" { 2 } else { 1 },
                resume_rtts: 1,
                resume_share: p.float("tls_resume"),
                full_cpu: ms("tls_full_ms"),
                resume_cpu: ms("tls_resume_ms"),
            },
            lb_cores: p.int("lb_cores") as u32,
            algo: Options {
                ring_vnodes: p.int("vnodes") as u32,
                maglev_table: p.int("maglev_table") as u64,
                ewma_tau: ms("ewma_tau_ms"),
                ewma_default_rtt: SimDuration::from_micros_f64(p.float("service_ms") * 1e3),
            },
            event_cap: DEFAULT_EVENT_CAP,
            summary_only: false,
        }
    }
}

/// Parses `ACTION:BACKEND[xFACTOR]@TIME` items separated by commas, e.g.
/// `down:2@1s, up:2@3.5s, slow:1x4@500ms`. Backends are 1-based as on screen. The result is
/// sorted by time (stable, so items at the same time keep their written order).
pub fn parse_faults(text: &str, backends: usize) -> Result<Vec<Fault>, ParamError> {
    let mut out = Vec::new();
    if text.trim().is_empty() {
        return Ok(out);
    }
    let mut offset = 0;
    for (i, raw) in text.split(',').enumerate() {
        let item = raw.trim();
        let col = offset + (raw.len() - raw.trim_start().len()) + 1;
        offset += raw.len() + 1;
        let fail = |why: String| {
            ParamError::new(
                "faults",
                text,
                format!(
                    "ACTION:BACKEND@TIME items; item {} at character {col} ({item:?}): {why}",
                    i + 1
                ),
            )
        };
        let (head, time) = item
            .split_once('@')
            .ok_or_else(|| fail("missing @TIME, e.g. down:2@1s".into()))?;
        let (action, target) = head
            .split_once(':')
            .ok_or_else(|| fail("missing :BACKEND, e.g. down:2@1s".into()))?;
        let (backend_text, factor) = match target.split_once(['x', '×']) {
            Some((b, f)) => (b, Some(f)),
            None => (target, None),
        };
        let backend: usize = backend_text
            .trim()
            .parse()
            .map_err(|_| fail(format!("backend {:?} is not a number", backend_text.trim())))?;
        if backend == 0 || backend > backends {
            return Err(fail(format!(
                "backend {backend} does not exist (1 to {backends})"
            )));
        }
        let at = parse_time(time.trim()).ok_or_else(|| {
            fail(format!(
                "time {:?} is not a duration like 1.5s, 250ms or 800us",
                time.trim()
            ))
        })?;
        let kind = match (action.trim(), factor) {
            ("down", None) => FaultKind::Down,
            ("up", None) => FaultKind::Up,
            ("slow", Some(f)) => match f.trim().parse::<f64>() {
                Ok(f) if f.is_finite() && (0.01..=1000.0).contains(&f) => FaultKind::Slow(f),
                _ => {
                    return Err(fail(format!(
                        "slow factor {:?} must be a number from 0.01 to 1000",
                        f.trim()
                    )))
                }
            },
            ("slow", None) => return Err(fail("slow needs a factor, e.g. slow:1x4@2s".into())),
            ("down" | "up", Some(_)) => return Err(fail("only slow takes a factor".into())),
            (other, _) => {
                return Err(fail(format!(
                    "unknown action {other:?}; expected down, up or slow"
                )))
            }
        };
        out.push(Fault {
            at,
            backend: backend - 1,
            kind,
        });
    }
    out.sort_by_key(|f| f.at);
    Ok(out)
}

/// `1.5s`, `250ms`, `800us` / `800µs` → virtual time.
fn parse_time(t: &str) -> Option<SimTime> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: expect_test::Expect) {
        let got = match parse_faults(text, 3) {
            Ok(f) => format!("{f:?}"),
            Err(e) => e.allowed,
        };
        expect.assert_eq(&got);
    }

    #[test]
    fn fault_schedules() {
        use expect_test::expect;
        check("", expect!["[]"]);
        check("down:2@1s, up:2@3.5s, slow:1x4@500ms", expect!["[Fault { at: SimTime(500000), backend: 0, kind: Slow(4.0) }, Fault { at: SimTime(1000000), backend: 1, kind: Down }, Fault { at: SimTime(3500000), backend: 1, kind: Up }]"]);
        check(
            "down:2",
            expect![[
                r#"ACTION:BACKEND@TIME items; item 1 at character 1 ("down:2"): missing @TIME, e.g. down:2@1s"#
            ]],
        );
        check(
            "down:4@1s",
            expect![[
                r#"ACTION:BACKEND@TIME items; item 1 at character 1 ("down:4@1s"): backend 4 does not exist (1 to 3)"#
            ]],
        );
        check(
            "down:2@1s,dwn:1@2s",
            expect![[
                r#"ACTION:BACKEND@TIME items; item 2 at character 11 ("dwn:1@2s"): unknown action "dwn"; expected down, up or slow"#
            ]],
        );
        check(
            "slow:1@2s",
            expect![[
                r#"ACTION:BACKEND@TIME items; item 1 at character 1 ("slow:1@2s"): slow needs a factor, e.g. slow:1x4@2s"#
            ]],
        );
        check(
            "slow:1x0@2s",
            expect![[
                r#"ACTION:BACKEND@TIME items; item 1 at character 1 ("slow:1x0@2s"): slow factor "0" must be a number from 0.01 to 1000"#
            ]],
        );
        check(
            "down:1@soon",
            expect![[
                r#"ACTION:BACKEND@TIME items; item 1 at character 1 ("down:1@soon"): time "soon" is not a duration like 1.5s, 250ms or 800us"#
            ]],
        );
        check(
            "down:1@-1s",
            expect![[
                r#"ACTION:BACKEND@TIME items; item 1 at character 1 ("down:1@-1s"): time "-1s" is not a duration like 1.5s, 250ms or 800us"#
            ]],
        );
    }
}
