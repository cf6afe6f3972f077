//! The ID block's parameters and presets: one block (`ids`), one parameter per knob, every
//! failure a parameter too (NTP steps, a misconfigured worker id, a sequencer outage), so a
//! permalink captures the whole story.

use super::snowflake::MAX_TIMESTAMP;
use super::sonyflake;
use crate::block::Preset;
use crate::kernel::time::{SimDuration, SimTime};
use crate::params::{ParamError, ParamKind, ParamSpec, Params};

pub const GENERATORS: &[&str] = &[
    "snowflake",
    "sonyflake",
    "uuid4",
    "uuid7",
    "ulid",
    "ticket",
    "central",
    "naive",
];
const MAX_STEPS: usize = 16;

pub static SPECS: &[ParamSpec] = &[
    ParamSpec {
        key: "generator",
        label: "Generator",
        unit: "",
        help: "Which scheme issues the IDs: snowflake (Twitter), sonyflake, uuid4, uuid7, ulid, ticket (Flickr's two ticket servers), central (one sequencer) or naive (timestamp + counter with no clock check).",
        kind: ParamKind::Choice(GENERATORS),
        default: "snowflake",
    },
    ParamSpec {
        key: "count",
        label: "IDs",
        unit: "",
        help: "How many IDs the workers ask for in all.",
        kind: ParamKind::Int { min: 1, max: 1_000_000 },
        default: "2000",
    },
    ParamSpec {
        key: "rate",
        label: "Rate per worker",
        unit: "IDs/s",
        help: "Mean requests per second at each worker (Poisson arrivals).",
        kind: ParamKind::Float { min: 0.1, max: 100_000_000.0 },
        default: "200",
    },
    ParamSpec {
        key: "datacenters",
        label: "Datacenters",
        unit: "",
        help: "Datacenters; Snowflake gives each a 5-bit id, so at most 32.",
        kind: ParamKind::Int { min: 1, max: 32 },
        default: "2",
    },
    ParamSpec {
        key: "workers_per_dc",
        label: "Workers per datacenter",
        unit: "",
        help: "Workers in each datacenter; Snowflake gives each a 5-bit id, so at most 32.",
        kind: ParamKind::Int { min: 1, max: 32 },
        default: "2",
    },
    ParamSpec {
        key: "skew_ms",
        label: "Clock skew",
        unit: "ms",
        help: "Each worker's clock starts off true time by a random amount within ± this many ms.",
        kind: ParamKind::Float { min: 0.0, max: 60_000.0 },
        default: "1",
    },
    ParamSpec {
        key: "drift_ppm",
        label: "Clock drift",
        unit: "ppm",
        help: "Each worker's clock runs fast or slow by a random rate within ± this many parts per million (10 000 ppm = 1 %).",
        kind: ParamKind::Float { min: 0.0, max: 10_000.0 },
        default: "0",
    },
    ParamSpec {
        key: "ntp_steps",
        label: "NTP steps",
        unit: "",
        help: "Clock steps as worker@at_ms:step_ms, comma-separated: 1@2000:-500 steps worker 1's clock back 500 ms at 2 s (worker * means every worker).",
        kind: ParamKind::Text { max_len: 400 },
        default: "",
    },
    ParamSpec {
        key: "on_backwards",
        label: "Snowflake on a clock step back",
        unit: "",
        help: "refuse: reject requests until the clock catches up (Twitter's IdWorker); wait: hold them until it does.",
        kind: ParamKind::Choice(&["refuse", "wait"]),
        default: "refuse",
    },
    ParamSpec {
        key: "same_worker_id",
        label: "Duplicate worker id",
        unit: "",
        help: "on: the last worker is misconfigured with the first worker's datacenter and worker id (Sonyflake: machine id).",
        kind: ParamKind::Choice(&["off", "on"]),
        default: "off",
    },
    ParamSpec {
        key: "start_unix_ms",
        label: "Start time",
        unit: "Unix ms",
        help: "The true Unix time in milliseconds when the run starts (default 2024-01-01T00:00:00Z).",
        kind: ParamKind::Int { min: 1_409_529_600_000, max: 3_400_000_000_000 },
        default: "1704067200000",
    },
    ParamSpec {
        key: "epoch_ms",
        label: "Snowflake epoch",
        unit: "Unix ms",
        help: "Snowflake's epoch: Twitter's is 1288834974657 (2010-11-04T01:42:54.657Z); 41 bits of ms last 69.7 years from it.",
        kind: ParamKind::Int { min: 0, max: 3_400_000_000_000 },
        default: "1288834974657",
    },
    ParamSpec {
        key: "sonyflake_start_ms",
        label: "Sonyflake start time",
        unit: "Unix ms",
        help: "Sonyflake's start time: 2014-09-01T00:00:00Z (1409529600000) by default; 39 bits of 10 ms last 174 years from it.",
        kind: ParamKind::Int { min: 0, max: 3_400_000_000_000 },
        default: "1409529600000",
    },
    ParamSpec {
        key: "link_ms",
        label: "Link latency",
        unit: "ms",
        help: "One-way latency of every hop: worker to database, worker to sequencer or ticket server and back.",
        kind: ParamKind::Float { min: 0.0, max: 10_000.0 },
        default: "1",
    },
    ParamSpec {
        key: "lease",
        label: "Lease size",
        unit: "IDs",
        help: "central only: IDs per round trip; 1 asks the sequencer for every ID, more leases a range and hands it out locally.",
        kind: ParamKind::Int { min: 1, max: 1_000_000 },
        default: "1",
    },
    ParamSpec {
        key: "service_us",
        label: "Server time per request",
        unit: "µs",
        help: "central and ticket: the sequencer's or ticket server's time per request; 1 / this is its ceiling.",
        kind: ParamKind::Float { min: 0.0, max: 1_000_000.0 },
        default: "50",
    },
    ParamSpec {
        key: "outage_at_ms",
        label: "Outage starts",
        unit: "ms",
        help: "central and ticket: when the sequencer (or ticket server 1) goes down.",
        kind: ParamKind::Float { min: 0.0, max: 86_400_000.0 },
        default: "0",
    },
    ParamSpec {
        key: "outage_ms",
        label: "Outage length",
        unit: "ms",
        help: "central and ticket: how long it stays down (0: no outage).",
        kind: ParamKind::Float { min: 0.0, max: 86_400_000.0 },
        default: "0",
    },
    ParamSpec {
        key: "timeout_ms",
        label: "Request timeout",
        unit: "ms",
        help: "central and ticket: how long a worker waits for an answer before giving up (ticket: before trying the other server).",
        kind: ParamKind::Float { min: 0.1, max: 60_000.0 },
        default: "50",
    },
    ParamSpec {
        key: "index_compare",
        label: "Compare index locality",
        unit: "",
        help: "on: also insert a UUIDv4, a UUIDv7 and a ULID for every request into their own B-tree indexes and chart their page splits.",
        kind: ParamKind::Choice(&["off", "on"]),
        default: "off",
    },
    ParamSpec {
        key: "page_keys",
        label: "Keys per index page",
        unit: "keys",
        help: "B-tree page capacity (an 8 KiB page holds a few hundred 16-byte keys).",
        kind: ParamKind::Int { min: 4, max: 4096 },
        default: "128",
    },
];

/// The form's groups (`BlockSpec::param_groups`): what issues the IDs first, then the clocks that
/// break time-ordered IDs, the layout constants, the central servers' network, the index.
pub static GROUPS: &[(&str, &[&str])] = &[
    (
        "Generator",
        &[
            "generator",
            "count",
            "rate",
            "datacenters",
            "workers_per_dc",
        ],
    ),
    (
        "Clocks",
        &[
            "skew_ms",
            "drift_ppm",
            "ntp_steps",
            "on_backwards",
            "start_unix_ms",
        ],
    ),
    (
        "Epochs and worker ids",
        &["epoch_ms", "sonyflake_start_ms", "same_worker_id"],
    ),
    (
        "Ticket and central servers",
        &[
            "link_ms",
            "lease",
            "service_us",
            "outage_at_ms",
            "outage_ms",
            "timeout_ms",
        ],
    ),
    ("Index", &["index_compare", "page_keys"]),
];

pub static PRESETS: &[Preset] = &[
    Preset {
        id: "healthy",
        title: "Snowflake, healthy",
        story: "Four workers in two datacenters: every ID carries its millisecond, datacenter, worker and sequence, and none repeats.",
        values: &[],
    },
    Preset {
        id: "clock_skew",
        title: "Clock skew",
        story: "Six workers whose clocks disagree by up to 40 ms and drift apart: IDs from different workers sort out of the order they were made, more as the clocks spread.",
        values: &[("datacenters", "3"), ("skew_ms", "20"), ("drift_ppm", "2000"), ("rate", "100"), ("count", "6000")],
    },
    Preset {
        id: "ntp_step_refuse",
        title: "NTP steps back: Snowflake refuses",
        story: "Worker 1's clock is stepped back 300 ms at 2 s: Snowflake refuses its requests until the clock catches up, and no ID repeats.",
        values: &[("ntp_steps", "1@2000:-300"), ("rate", "400"), ("count", "6000")],
    },
    Preset {
        id: "ntp_step_wait",
        title: "NTP steps back: Snowflake waits",
        story: "The same step, with the wait policy: worker 1 holds its requests for 300 ms instead of failing them; latency spikes, nothing repeats.",
        values: &[("ntp_steps", "1@2000:-300"), ("on_backwards", "wait"), ("rate", "400"), ("count", "6000")],
    },
    Preset {
        id: "ntp_step_naive",
        title: "NTP steps back: timestamp + counter duplicates",
        story: "The same step under a naïve timestamp+counter generator: it walks back over milliseconds it already used and re-issues their IDs.",
        values: &[("generator", "naive"), ("ntp_steps", "1@2000:-300"), ("rate", "400"), ("count", "6000")],
    },
    Preset {
        id: "exhaustion",
        title: "Sequence exhaustion",
        story: "One worker asked for 6 000 IDs per millisecond: its 12-bit sequence gives 4 096, then it spins until the next millisecond.",
        values: &[("datacenters", "1"), ("workers_per_dc", "1"), ("rate", "6000000"), ("count", "40000"), ("skew_ms", "0")],
    },
    Preset {
        id: "same_worker_id",
        title: "Two workers, one worker id",
        story: "The last worker was configured with the first one's ids: whenever both issue in the same millisecond, they issue the same ID.",
        values: &[("same_worker_id", "on"), ("skew_ms", "0"), ("rate", "500"), ("count", "4000")],
    },
    Preset {
        id: "sonyflake",
        title: "Sonyflake: 256 per 10 ms",
        story: "Sonyflake trades Snowflake's 4 096 per ms for 174 years of 10 ms ticks: past 25 600 IDs/s a machine sleeps into the next tick.",
        values: &[("generator", "sonyflake"), ("datacenters", "1"), ("workers_per_dc", "1"), ("rate", "40000"), ("count", "8000")],
    },
    Preset {
        id: "uuid4_birthday",
        title: "UUIDv4: the birthday bound",
        story: "100 000 random UUIDs never collide; the chance they could is about 10^-27, and a 50 % chance takes 2.7 × 10^18 of them.",
        values: &[("generator", "uuid4"), ("rate", "25000"), ("count", "100000")],
    },
    Preset {
        id: "index_locality",
        title: "Index locality: v4 vs v7 vs ULID",
        story: "The same inserts into three B-tree indexes: time-ordered v7 and ULID keys fill one hot page at a time, random v4 keys split pages all over the index.",
        values: &[("generator", "uuid7"), ("index_compare", "on"), ("rate", "2500"), ("count", "50000")],
    },
    Preset {
        id: "uuid7_clock_step",
        title: "UUIDv7 through a clock step",
        story: "A v7 generator reuses its last timestamp and counts on when the clock goes back (RFC 9562 §6.2), so its UUIDs stay in order.",
        values: &[("generator", "uuid7"), ("ntp_steps", "1@2000:-300"), ("rate", "400"), ("count", "6000")],
    },
    Preset {
        id: "ulid_monotonic",
        title: "ULID: monotonic within a millisecond",
        story: "Many ULIDs per millisecond: each one is the previous plus 1, so they sort in the order they were made.",
        values: &[("generator", "ulid"), ("datacenters", "1"), ("workers_per_dc", "1"), ("rate", "200000"), ("count", "5000")],
    },
    Preset {
        id: "central",
        title: "Central sequencer: a round trip per ID",
        story: "Every ID is a round trip to one sequencer, whose 20 000 per second is the ceiling for everyone: near it, queues and latency grow.",
        values: &[("generator", "central"), ("rate", "4500"), ("count", "20000")],
    },
    Preset {
        id: "central_outage",
        title: "Central sequencer down",
        story: "The sequencer is down for 400 ms: every worker's requests time out, because nothing else can issue an ID.",
        values: &[("generator", "central"), ("outage_at_ms", "1000"), ("outage_ms", "400"), ("rate", "500"), ("count", "6000")],
    },
    Preset {
        id: "range_lease",
        title: "Range leasing rides out the outage",
        story: "Leasing 1000 IDs per round trip: workers ride out the same outage on IDs they already hold, at the price of IDs out of order across workers.",
        values: &[("generator", "central"), ("lease", "1000"), ("outage_at_ms", "1000"), ("outage_ms", "400"), ("rate", "500"), ("count", "6000")],
    },
    Preset {
        id: "ticket_servers",
        title: "Flickr ticket servers",
        story: "Two MySQL servers hand out odd and even IDs; when server 1 goes down, workers fail over to server 2 and its even IDs run ahead.",
        values: &[("generator", "ticket"), ("outage_at_ms", "1000"), ("outage_ms", "500"), ("rate", "500"), ("count", "6000")],
    },
];

/// An NTP step: which worker (`None`: all), when, by how much.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NtpStep {
    pub worker: Option<u32>,
    pub at: SimTime,
    pub step_us: i64,
}

const STEP_FORMAT: &str = "steps as worker@at_ms:step_ms, comma-separated, e.g. 1@2000:-500 (worker 1 to N or *, at 0 to 86400000 ms, step -86400000 to 86400000 ms and not 0)";

/// Parses `ntp_steps` for `workers` workers.
pub fn parse_steps(text: &str, workers: u32) -> Result<Vec<NtpStep>, ParamError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let items: Vec<&str> = text.split(',').map(str::trim).collect();
    let bad = |i: usize, why: &str| {
        ParamError::new(
            "ntp_steps",
            text,
            format!("{STEP_FORMAT}; item {} {why}", i + 1),
        )
    };
    if items.len() > MAX_STEPS {
        return Err(ParamError::new(
            "ntp_steps",
            text,
            format!("at most {MAX_STEPS} {STEP_FORMAT}"),
        ));
    }
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let (who, rest) = item
            .split_once('@')
            .ok_or_else(|| bad(i, &format!("{item:?} has no @")))?;
        let (at, step) = rest
            .split_once(':')
            .ok_or_else(|| bad(i, &format!("{item:?} has no :")))?;
        let worker = match who.trim() {
            "*" => None,
            w => match w.parse::<u32>() {
                Ok(n) if (1..=workers).contains(&n) => Some(n - 1),
                _ => {
                    return Err(bad(
                        i,
                        &format!("names worker {w:?}, but there are workers 1 to {workers}"),
                    ))
                }
            },
        };
        let at: f64 = at
            .trim()
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && (0.0..=86_400_000.0).contains(v))
            .ok_or_else(|| bad(i, &format!("has time {:?}", at.trim())))?;
        let step: f64 = step
            .trim()
            .trim_start_matches('+')
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v != 0.0 && v.abs() <= 86_400_000.0)
            .ok_or_else(|| bad(i, &format!("has step {:?}", step.trim())))?;
        out.push(NtpStep {
            worker,
            at: SimTime(SimDuration::from_millis_f64(at).0),
            step_us: (step * 1000.0).round() as i64,
        });
    }
    out.sort_by_key(|s| s.at);
    Ok(out)
}

/// Rules across parameters.
pub fn check(p: &Params) -> Result<(), ParamError> {
    let workers = (p.int("datacenters") * p.int("workers_per_dc")) as u32;
    parse_steps(p.text("ntp_steps"), workers)?;
    if p.text("same_worker_id") == "on" && workers < 2 {
        return Err(ParamError::new(
            "same_worker_id",
            "on",
            "off when there is only one worker (two are needed to share an id)",
        ));
    }
    let start = p.int("start_unix_ms");
    // A day of margin for the run itself and for clocks that run ahead.
    const DAY: i64 = 86_400_000;
    match p.text("generator") {
        "snowflake" | "naive" => {
            let epoch = p.int("epoch_ms");
            if epoch > start - DAY || start + DAY - epoch > MAX_TIMESTAMP as i64 {
                return Err(ParamError::new(
                    "epoch_ms",
                    epoch.to_string(),
                    format!(
                        "an epoch at least a day before the start time {start} and less than 2^41 ms (69.7 years) before it, from {} to {}",
                        (start + DAY - MAX_TIMESTAMP as i64).max(0),
                        start - DAY
                    ),
                ));
            }
        }
        "sonyflake" => {
            let s = p.int("sonyflake_start_ms");
            let span = (sonyflake::MAX_TIME * sonyflake::TICK_MS) as i64;
            if s > start - DAY || start + DAY - s > span {
                return Err(ParamError::new(
                    "sonyflake_start_ms",
                    s.to_string(),
                    format!("a start time at least a day before the run's start {start} and less than 2^39 × 10 ms (174 years) before it"),
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_parse_and_name_the_bad_item() {
        let s = parse_steps("2@1500:-300, *@10:+5", 4).unwrap();
        assert_eq!(
            s[0],
            NtpStep {
                worker: None,
                at: SimTime(10_000),
                step_us: 5_000
            }
        );
        assert_eq!(
            s[1],
            NtpStep {
                worker: Some(1),
                at: SimTime(1_500_000),
                step_us: -300_000
            }
        );
        let e = parse_steps("1@2000:-300,9@1:1", 4).unwrap_err();
        assert!(
            e.allowed
                .ends_with("item 2 names worker \"9\", but there are workers 1 to 4"),
            "{}",
            e.allowed
        );
        assert!(parse_steps("1@2000", 4)
            .unwrap_err()
            .allowed
            .ends_with("item 1 \"1@2000\" has no :"));
        assert!(parse_steps("1@2000:0", 4).is_err());
    }
}
