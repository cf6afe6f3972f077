//! The ID scenario's inputs, read once from validated parameters into engine units.

use super::fleet::Generator;
use super::params::{parse_steps, NtpStep};
use super::snowflake::OnBackwards;
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::DEFAULT_EVENT_CAP;
use crate::params::Params;

/// The scenario's inputs in engine units.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub generator: Generator,
    pub count: u64,
    pub rate_per_worker: f64,
    pub datacenters: u32,
    pub workers_per_dc: u32,
    pub skew_ms: f64,
    pub drift_ppm: f64,
    pub steps: Vec<NtpStep>,
    pub on_backwards: OnBackwards,
    pub same_worker_id: bool,
    pub start_unix_ms: u64,
    pub epoch_ms: u64,
    pub sonyflake_start_ms: u64,
    pub link: SimDuration,
    pub lease: u64,
    pub service: SimDuration,
    /// The outage of the sequencer (or ticket server 1): [from, to).
    pub outage: Option<(SimTime, SimTime)>,
    pub timeout: SimDuration,
    pub index_compare: bool,
    pub page_keys: usize,
    pub event_cap: usize,
}

impl Config {
    /// From validated parameters (the block's `check` has accepted them).
    pub fn from_params(p: &Params) -> Self {
        let datacenters = p.int("datacenters") as u32;
        let workers_per_dc = p.int("workers_per_dc") as u32;
        let outage_ms = p.float("outage_ms");
        let at = SimTime(SimDuration::from_millis_f64(p.float("outage_at_ms")).0);
        Config {
            generator: Generator::from_key(p.text("generator")),
            count: p.int("count") as u64,
            rate_per_worker: p.float("rate"),
            datacenters,
            workers_per_dc,
            skew_ms: p.float("skew_ms"),
            drift_ppm: p.float("drift_ppm"),
            steps: parse_steps(p.text("ntp_steps"), datacenters * workers_per_dc)
                .unwrap_or_default(),
            on_backwards: if p.text("on_backwards") == "wait" {
                OnBackwards::Wait
            } else {
                OnBackwards::Refuse
            },
            same_worker_id: p.text("same_worker_id") == "on",
            start_unix_ms: p.int("start_unix_ms") as u64,
            epoch_ms: p.int("epoch_ms") as u64,
            sonyflake_start_ms: p.int("sonyflake_start_ms") as u64,
            link: SimDuration::from_millis_f64(p.float("link_ms")),
            lease: p.int("lease") as u64,
            service: SimDuration::from_micros_f64(p.float("service_us")),
            outage: (outage_ms > 0.0).then(|| (at, at + SimDuration::from_millis_f64(outage_ms))),
            timeout: SimDuration::from_millis_f64(p.float("timeout_ms")).max(SimDuration(1)),
            index_compare: p.text("index_compare") == "on",
            page_keys: p.int("page_keys") as usize,
            event_cap: DEFAULT_EVENT_CAP,
        }
    }

    pub fn workers(&self) -> u32 {
        self.datacenters * self.workers_per_dc
    }
}
