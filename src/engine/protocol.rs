//! The messages between the page and the engine worker: what to run, and the run coming back in
//! pieces small enough that decoding any one of them never blocks the page for long.
//!
//! Both sides are this crate, so a message that fails to decode is a bug, not bad input: the
//! codec panics (and the page shows its panic panel). Everything a person typed is validated in
//! the worker again by the same `Params::parse` as the CLI, and a problem comes back as
//! [`Response::Failed`].

use hopscope_sim::{Event, Run, Series};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// Events per [`Response::Events`] message: decoding and indexing this many takes the page a
/// few milliseconds (10,000 took 50–120 ms: long tasks).
pub const EVENTS_PER_CHUNK: usize = 2_000;

/// Series per [`Response::Series`] message: a 100-backend run's series in one head took the page
/// 60–90 ms to decode.
pub const SERIES_PER_CHUNK: usize = 4;

/// Arrays in a run's `result` longer than this reach the page cut to this length (the whole
/// result is in the downloaded JSON): a million-entry `assignments` list would take the page
/// longer to decode than a frame.
pub const RESULT_ARRAY_CAP: usize = 2_000;

/// A job number: the page numbers its requests, every response names the one it answers.
pub type JobId = u64;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Run a scenario: the block id, the parameters as `key=value` pairs, the seed.
    Run {
        job: JobId,
        scenario: String,
        params: Vec<(String, String)>,
        seed: u64,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// Work done so far, in the block's own units (requests, accesses).
    Progress {
        job: JobId,
        done: u64,
        total: u64,
    },
    /// The run without its series and events, which follow: `series` series in
    /// [`Response::Series`] messages, then `events` events in [`Response::Events`] messages.
    /// `cut` names the `result` arrays that were shortened, with their whole length (see
    /// [`RESULT_ARRAY_CAP`]).
    Head {
        job: JobId,
        run: Box<Run>,
        series: usize,
        events: usize,
        cut: Vec<(String, usize)>,
    },
    Series {
        job: JobId,
        series: Vec<Series>,
    },
    Events {
        job: JobId,
        events: Vec<Event>,
    },
    /// The last message of a run: the whole run as `hopscope run --json` prints it, as a
    /// `blob:` URL made by the worker (`None` if the browser refused to make one).
    Finished {
        job: JobId,
        json_url: Option<String>,
    },
    /// The scenario could not run (an unknown block or a parameter the worker refused).
    Failed {
        job: JobId,
        message: String,
    },
}

impl Response {
    pub fn job(&self) -> JobId {
        match self {
            Response::Progress { job, .. }
            | Response::Head { job, .. }
            | Response::Series { job, .. }
            | Response::Events { job, .. }
            | Response::Finished { job, .. }
            | Response::Failed { job, .. } => *job,
        }
    }
}

/// Shortens every array in `result` (down to a few levels of nesting) to `cap` items; returns
/// the dotted paths of the arrays it cut, with their lengths before.
pub fn cut_result(result: &mut serde_json::Value, cap: usize) -> Vec<(String, usize)> {
    const MAX_DEPTH: u32 = 4;
    fn walk(
        v: &mut serde_json::Value,
        path: String,
        depth: u32,
        cap: usize,
        cut: &mut Vec<(String, usize)>,
    ) {
        match v {
            serde_json::Value::Array(a) if a.len() > cap => {
                cut.push((path, a.len()));
                a.truncate(cap);
            }
            serde_json::Value::Array(a) if depth < MAX_DEPTH => {
                for (i, inner) in a.iter_mut().enumerate() {
                    walk(inner, format!("{path}.{i}"), depth + 1, cap, cut);
                }
            }
            serde_json::Value::Object(m) if depth < MAX_DEPTH => {
                for (k, inner) in m.iter_mut() {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(inner, p, depth + 1, cap, cut);
                }
            }
            _ => {}
        }
    }
    let mut cut = Vec::new();
    walk(result, String::new(), 0, cap, &mut cut);
    cut
}

/// gloo-worker's message codec: JSON text (`Run::result` is a `serde_json::Value`, which the
/// default bincode codec cannot decode).
pub struct Json;

impl gloo::worker::Codec for Json {
    fn encode<I: Serialize>(input: I) -> JsValue {
        JsValue::from_str(&serde_json::to_string(&input).expect("worker messages serialise"))
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        let text = input.as_string().expect("worker messages are JSON text");
        serde_json::from_str(&text).expect("worker messages decode (both sides are this crate)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_result_arrays_are_cut_and_named() {
        let mut r = json!({
            "assignments": [0, 1, 2, 0, 1],
            "served": [3, 2],
            "policies": { "lru": { "outcomes": [1, 0, 1, 1] }, "hits": 3 },
            "all": [{ "ids": [5, 6, 7, 8] }],
        });
        let cut = cut_result(&mut r, 3);
        let cut: Vec<(&str, usize)> = cut.iter().map(|(p, n)| (p.as_str(), *n)).collect();
        assert_eq!(
            cut,
            [
                ("all.0.ids", 4),
                ("assignments", 5),
                ("policies.lru.outcomes", 4)
            ]
        );
        assert_eq!(r["assignments"], json!([0, 1, 2]));
        assert_eq!(r["served"], json!([3, 2]));
        assert_eq!(r["policies"]["lru"]["outcomes"], json!([1, 0, 1]));
    }

    #[test]
    fn messages_round_trip_through_json() {
        let m = Response::Progress {
            job: 4,
            done: 10,
            total: 20,
        };
        let text = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<Response>(&text).unwrap(), m);
        assert_eq!(m.job(), 4);
    }
}
