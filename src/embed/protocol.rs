//! The postMessage protocol between a host page and an embedded Hopscope, as pure functions:
//! a message (already turned into JSON) → a [`Request`] or a [`ProtocolError`] naming the field
//! at fault, and an [`Event`] → the JSON the host hears. No browser here, so every shape is
//! tested natively; `bridge.rs` does the listening and posting. The shapes are documented, with
//! examples, in `docs/embedding.md`; keep the two in step.

use crate::speed::Speed;
use hopscope_sim::scenario_doc::kind;
use serde_json::{json, Map, Value};

/// Every message of the protocol, both ways, has `type: "hopscope"`; anything else is not ours.
pub const TYPE: &str = "hopscope";
/// Bumped when a shape changes incompatibly; sent in the `ready` event.
pub const VERSION: u64 = 1;
const ACTIONS: &str = "one of play, pause, step, step_back, goto, set, speed, status";

/// What a host asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Play,
    Pause,
    /// One narrated step forward (pauses, like the → button).
    Step,
    /// One narrated step back.
    StepBack,
    /// To narrated step N, counted from 0 like the URL's `step=` (pauses).
    Goto(u64),
    /// Sets a parameter (or `seed`) from its text, like typing it into the form: the run is
    /// recomputed.
    Set {
        key: String,
        value: String,
    },
    Speed(Speed),
    /// Asks for a `status` event (where the cursor is, the seed and the parameters).
    Status,
}

/// A command with the host's optional `id`, echoed in the reply so it can pair them.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub id: Option<Value>,
    pub command: Command,
}

/// A message that could not be obeyed: which field, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct ProtocolError {
    pub field: String,
    pub message: String,
    pub action: Option<String>,
    pub id: Option<Value>,
}

impl ProtocolError {
    pub fn new(field: &str, message: impl Into<String>) -> ProtocolError {
        ProtocolError {
            field: field.to_string(),
            message: message.into(),
            action: None,
            id: None,
        }
    }

    /// The same error, tagged with the request it answers.
    pub fn answering(mut self, action: &str, id: Option<Value>) -> ProtocolError {
        self.action = Some(action.to_string());
        self.id = id;
        self
    }
}

/// `None` when the message is not for us (not an object, or no `type: "hopscope"`): such
/// messages are ignored without a word, since a page hears many messages that are none of its
/// business. Otherwise the request, or the first thing wrong with it.
pub fn parse(message: &Value) -> Option<Result<Request, ProtocolError>> {
    let obj = message.as_object()?;
    if obj.get("type").and_then(Value::as_str) != Some(TYPE) {
        return None;
    }
    Some(parse_request(obj))
}

fn parse_request(obj: &Map<String, Value>) -> Result<Request, ProtocolError> {
    let id = match obj.get("id") {
        None | Some(Value::Null) => None,
        Some(v @ (Value::String(_) | Value::Number(_))) => Some(v.clone()),
        Some(other) => {
            return Err(ProtocolError::new(
                "id",
                format!("expected a string or a number, got {}", kind(other)),
            ))
        }
    };
    let action = match obj.get("action") {
        Some(Value::String(a)) => a.as_str(),
        Some(other) => {
            return Err(ProtocolError::new(
                "action",
                format!("expected a string ({ACTIONS}), got {}", kind(other)),
            )
            .answering("", id))
        }
        None => {
            return Err(
                ProtocolError::new("action", format!("missing: expected {ACTIONS}"))
                    .answering("", id),
            )
        }
    };
    let command = match action {
        "play" => Ok(Command::Play),
        "pause" => Ok(Command::Pause),
        "step" => Ok(Command::Step),
        "step_back" => Ok(Command::StepBack),
        "status" => Ok(Command::Status),
        "goto" => step_field(obj).map(Command::Goto),
        "set" => set_fields(obj),
        "speed" => match obj.get("value") {
            None => Err(ProtocolError::new(
                "value",
                format!("missing: expected {}", Speed::ALLOWED),
            )),
            Some(v) => scalar_text(v)
                .and_then(|t| Speed::parse(&t))
                .map(Command::Speed)
                .ok_or_else(|| {
                    ProtocolError::new(
                        "value",
                        format!("expected {}, got {}", Speed::ALLOWED, shown(v)),
                    )
                }),
        },
        other => Err(ProtocolError::new(
            "action",
            format!(
                "unknown action {}: expected {ACTIONS}",
                shown(&json!(other))
            ),
        )),
    };
    match command {
        Ok(command) => Ok(Request { id, command }),
        Err(e) => Err(e.answering(action, id)),
    }
}

fn step_field(obj: &Map<String, Value>) -> Result<u64, ProtocolError> {
    const WANT: &str = "a step index: an integer from 0";
    match obj.get("step") {
        None => Err(ProtocolError::new(
            "step",
            format!("missing: expected {WANT}"),
        )),
        Some(v) => v.as_u64().ok_or_else(|| {
            ProtocolError::new("step", format!("expected {WANT}, got {}", shown(v)))
        }),
    }
}

fn set_fields(obj: &Map<String, Value>) -> Result<Command, ProtocolError> {
    let key = match obj.get("key") {
        Some(Value::String(k)) if !k.is_empty() => k.clone(),
        None => {
            return Err(ProtocolError::new(
                "key",
                "missing: expected the name of a parameter",
            ))
        }
        Some(v) => {
            return Err(ProtocolError::new(
                "key",
                format!("expected the name of a parameter, got {}", shown(v)),
            ))
        }
    };
    let value = match obj.get("value") {
        None => {
            return Err(ProtocolError::new(
                "value",
                format!("missing: expected the value of {key} as a string, number or boolean"),
            ))
        }
        Some(v) => scalar_text(v).ok_or_else(|| {
            ProtocolError::new(
                "value",
                format!("expected a string, number or boolean, got {}", kind(v)),
            )
        })?,
    };
    Ok(Command::Set { key, value })
}

/// A step index checked against the run's steps.
pub fn check_step(step: u64, steps: usize) -> Result<usize, ProtocolError> {
    match usize::try_from(step).ok().filter(|s| *s < steps) {
        Some(s) => Ok(s),
        None if steps == 0 => Err(ProtocolError::new(
            "step",
            format!("{step} is out of range: this run has no narrated steps"),
        )),
        None => Err(ProtocolError::new(
            "step",
            format!(
                "{step} is out of range: expected a step index from 0 to {}",
                steps - 1
            ),
        )),
    }
}

/// The text a form field would hold for a JSON scalar: `"lognormal"`, `5`, `0.5`, `true`.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A value as JSON, cut short: error messages quote what was sent without echoing a novel.
fn shown(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// Where the embed's cursor is: what every event but `error` carries.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    pub scenario: String,
    /// The narrated step showing, from 0; `None` before the first.
    pub step: Option<usize>,
    pub steps: usize,
    pub t_us: u64,
    pub duration_us: u64,
    pub playing: bool,
    pub speed: Speed,
}

/// What the embed tells its host.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// Once, when the first run is on screen: the status plus the seed and every parameter.
    Ready {
        status: Status,
        seed: u64,
        params: Vec<(String, String)>,
    },
    /// The narrated step changed (by playing, stepping, a `goto`, the reader's clicks).
    Step(Status),
    /// Playing reached the end of the run (with `loop=1` it then starts again).
    Finished(Status),
    /// The answer to a `status` request, to its sender only, with the request's `id`.
    Status {
        status: Status,
        seed: u64,
        params: Vec<(String, String)>,
        id: Option<Value>,
    },
    /// A `set` was applied: the run was recomputed with these parameters.
    Run {
        status: Status,
        seed: u64,
        params: Vec<(String, String)>,
    },
    Error {
        scenario: String,
        error: ProtocolError,
    },
}

impl Event {
    pub fn to_json(&self) -> Value {
        let (name, mut obj) = match self {
            Event::Ready {
                status,
                seed,
                params,
            } => {
                let mut obj = status_json(status);
                obj.insert("version".into(), json!(VERSION));
                obj.insert("seed".into(), json!(seed));
                obj.insert("params".into(), params_json(params));
                ("ready", obj)
            }
            Event::Step(status) => ("step", status_json(status)),
            Event::Finished(status) => ("finished", status_json(status)),
            Event::Run {
                status,
                seed,
                params,
            }
            | Event::Status {
                status,
                seed,
                params,
                ..
            } => {
                let mut obj = status_json(status);
                obj.insert("seed".into(), json!(seed));
                obj.insert("params".into(), params_json(params));
                let name = match self {
                    Event::Status { id: Some(id), .. } => {
                        obj.insert("id".into(), id.clone());
                        "status"
                    }
                    Event::Status { .. } => "status",
                    _ => "run",
                };
                (name, obj)
            }
            Event::Error { scenario, error } => {
                let mut obj = Map::new();
                obj.insert("scenario".into(), json!(scenario));
                obj.insert("field".into(), json!(error.field));
                obj.insert("message".into(), json!(error.message));
                if let Some(action) = error.action.as_deref().filter(|a| !a.is_empty()) {
                    obj.insert("action".into(), json!(action));
                }
                if let Some(id) = &error.id {
                    obj.insert("id".into(), id.clone());
                }
                ("error", obj)
            }
        };
        obj.insert("type".into(), json!(TYPE));
        obj.insert("event".into(), json!(name));
        Value::Object(obj)
    }
}

fn status_json(s: &Status) -> Map<String, Value> {
    let mut obj = Map::new();
    obj.insert("scenario".into(), json!(s.scenario));
    obj.insert("step".into(), json!(s.step));
    obj.insert("steps".into(), json!(s.steps));
    obj.insert("t_us".into(), json!(s.t_us));
    obj.insert("duration_us".into(), json!(s.duration_us));
    obj.insert("playing".into(), json!(s.playing));
    obj.insert("speed".into(), json!(s.speed.factor()));
    obj
}

/// Parameters as an object (keys sorted, values the canonical texts); a documents parameter
/// (several zone files under one key) becomes an array of its documents.
fn params_json(params: &[(String, String)]) -> Value {
    let mut obj = Map::new();
    for (k, v) in params {
        match obj.get_mut(k) {
            Some(Value::Array(list)) => list.push(json!(v)),
            Some(first) => *first = json!([first.clone(), v]),
            None => {
                obj.insert(k.clone(), json!(v));
            }
        }
    }
    Value::Object(obj)
}

#[cfg(test)]
mod tests;
