//! Scenario documents: `hopscope run --from FILE` re-runs a scenario written as JSON, either a
//! small `{"scenario":"lb","seed":7,"params":{…}}` or a whole run document as `run --json`
//! prints it (its other keys are ignored). Parameter values go back through `Params::parse`, so
//! a document is validated exactly like `--set`, the URL and the form.
//!
//! JSON types map to the text `--set` takes: a string as it is, a number in its shortest form,
//! a boolean as `true`/`false`, an array of numbers as a comma-separated list, and an array of
//! strings as one document each (zone files, traces) — the shapes `Params::to_json` writes.

use crate::block::Block;
use crate::params::{ParamKind, Params};
use crate::registry;
use serde::Deserialize;
use serde_json::Value;

/// A scenario read from a document: which block, the seed if it gives one, and the parameter
/// overrides as `(key, text)` pairs in key order (documents in array order).
#[derive(Clone)]
pub struct ScenarioDoc {
    pub block: &'static dyn Block,
    pub seed: Option<u64>,
    pub overrides: Vec<(String, String)>,
}

impl PartialEq for ScenarioDoc {
    fn eq(&self, other: &Self) -> bool {
        self.block.id() == other.block.id()
            && self.seed == other.seed
            && self.overrides == other.overrides
    }
}

impl std::fmt::Debug for ScenarioDoc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScenarioDoc")
            .field("block", &self.block.id())
            .field("seed", &self.seed)
            .field("overrides", &self.overrides)
            .finish()
    }
}

/// The three keys read; any others (a run document's `events`, `series`, …) are skipped
/// unparsed.
#[derive(Deserialize)]
struct Raw {
    scenario: Option<Value>,
    seed: Option<Value>,
    params: Option<Value>,
}

/// Reads a scenario document. Errors are one line naming what is wrong and where: a JSON
/// syntax error by line and column, anything else by its key (`params.backends`).
pub fn parse(text: &str) -> Result<ScenarioDoc, String> {
    let raw: Raw = serde_json::from_str(text).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Eof => "the JSON ends early".to_string(),
            serde_json::error::Category::Data => {
                "expected a JSON object with \"scenario\", \"seed\" and \"params\"".to_string()
            }
            _ => format!("not valid JSON: {}", strip_position(&e.to_string())),
        };
        format!("line {} column {}: {what}", e.line(), e.column())
    })?;
    let id = match raw.scenario {
        Some(Value::String(s)) => s,
        None => return Err("scenario: missing (the scenario id, e.g. \"lb\")".into()),
        Some(other) => return Err(format!("scenario: expected a string, got {}", kind(&other))),
    };
    let block =
        registry::find(&id).ok_or_else(|| format!("scenario: {}", registry::unknown(&id)))?;
    let seed = match raw.seed {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.is_u64() => n.as_u64(),
        Some(other) => {
            return Err(format!(
                "seed: expected a non-negative integer below 2^64, got {}",
                shown(&other)
            ))
        }
    };
    let params = match raw.params {
        None | Some(Value::Null) => serde_json::Map::new(),
        Some(Value::Object(m)) => m,
        Some(other) => return Err(format!("params: expected an object, got {}", kind(&other))),
    };
    let mut overrides = Vec::new();
    for (key, value) in &params {
        let at = key_path(key);
        let spec = block
            .params()
            .iter()
            .find(|s| s.key == key)
            .ok_or_else(|| {
                let known: Vec<&str> = block.params().iter().map(|s| s.key).collect();
                format!(
                    "{at}: not a parameter of {}; known: {}",
                    block.id(),
                    known.join(", ")
                )
            })?;
        let wrong = |got: &Value| {
            format!(
                "{at}: expected {} as {}, got {}",
                spec.kind.allowed(),
                json_shape(&spec.kind),
                shown(got)
            )
        };
        match (&spec.kind, value) {
            (ParamKind::Documents { .. }, Value::Array(docs)) => {
                if docs.is_empty() {
                    // An empty first override replaces the default documents with none.
                    overrides.push((key.clone(), String::new()));
                }
                for (i, d) in docs.iter().enumerate() {
                    match d {
                        Value::String(s) => overrides.push((key.clone(), s.clone())),
                        other => {
                            return Err(format!(
                                "{at}[{i}]: expected a document (a string), got {}",
                                shown(other)
                            ))
                        }
                    }
                }
            }
            (ParamKind::Documents { .. }, Value::String(s)) => {
                overrides.push((key.clone(), s.clone()))
            }
            (ParamKind::List { .. } | ParamKind::FloatList { .. }, Value::Array(items)) => {
                let mut texts = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::Number(n) => texts.push(number_text(n)),
                        other => {
                            return Err(format!(
                                "{at}[{i}]: expected a number, got {}",
                                shown(other)
                            ))
                        }
                    }
                }
                overrides.push((key.clone(), texts.join(",")));
            }
            (ParamKind::Documents { .. }, other) | (_, other @ Value::Array(_)) => {
                return Err(wrong(other))
            }
            (_, Value::String(s)) => overrides.push((key.clone(), s.clone())),
            (_, Value::Number(n)) => overrides.push((key.clone(), number_text(n))),
            (_, Value::Bool(b)) => overrides.push((key.clone(), b.to_string())),
            (_, other) => return Err(wrong(other)),
        }
    }
    Params::parse(block.params(), &overrides).map_err(|e| format!("params.{e}"))?;
    Ok(ScenarioDoc {
        block,
        seed,
        overrides,
    })
}

/// Reads and parses the document at `path` (`-` is standard input); errors start with the path.
pub fn read(path: &str) -> Result<ScenarioDoc, String> {
    let text = if path == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| format!("--from -: cannot read standard input: {e}"))?;
        text
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| format!("--from {path:?}: cannot read the file: {e}"))?
    };
    let name = if path == "-" { "<stdin>" } else { path };
    parse(&text).map_err(|e| format!("{name}: {e}"))
}

/// The scenario document of a set of parameters: what [`parse`] reads back to the same run.
pub fn to_json(block: &dyn Block, seed: u64, params: &Params) -> String {
    serde_json::to_string(&serde_json::json!({
        "scenario": block.id(),
        "seed": seed,
        "params": params.to_json(),
    }))
    .expect("plain JSON")
}

/// A JSON number as `--set` would take it: integers exactly, others in Rust's shortest
/// round-tripping form (`50.0` → `50`, so an integer parameter written as `3.0` still reads).
fn number_text(n: &serde_json::Number) -> String {
    if let Some(v) = n.as_u64() {
        v.to_string()
    } else if let Some(v) = n.as_i64() {
        v.to_string()
    } else {
        format!("{}", n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Where a key is, for messages: `params.backends`, or `params["a\nb…"]` for a key that is not
/// a plain word (it may hold line breaks or be very long; a message stays one short line).
fn key_path(key: &str) -> String {
    let plain = !key.is_empty()
        && key.len() <= 40
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if plain {
        format!("params.{key}")
    } else {
        let head: String = key.chars().take(40).collect();
        let more = if key.chars().count() > 40 { "…" } else { "" };
        format!("params[{:?}]", format!("{head}{more}"))
    }
}

fn json_shape(kind: &ParamKind) -> &'static str {
    match kind {
        ParamKind::Int { .. } | ParamKind::Float { .. } => "a number or a string",
        ParamKind::Choice(_) | ParamKind::Text { .. } => "a string",
        ParamKind::List { .. } | ParamKind::FloatList { .. } => "an array of numbers or a string",
        ParamKind::Documents { .. } => "an array of strings or one string",
    }
}

/// What a JSON value is, as a message says it ("a string", "an array"): shared by every
/// reader of JSON documents and messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A value for a message: its kind and, when short, the value itself.
fn shown(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() <= 40 {
        format!("{} {text}", kind(v))
    } else {
        kind(v).to_string()
    }
}

/// serde_json appends " at line L column C"; the message already starts with the position.
fn strip_position(msg: &str) -> &str {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(input: &str, expect: Expect) {
        let got = match parse(input) {
            Ok(doc) => format!(
                "ok {} seed={:?} {:?}",
                doc.block.id(),
                doc.seed,
                doc.overrides
            ),
            Err(e) => format!("error {e}"),
        };
        expect.assert_eq(&got);
    }

    /// Found by the `scenario_json` fuzz target: a key holding a line break made a two-line
    /// message (fuzz/corpus/scenario_json/regression-key-with-newline).
    #[test]
    fn keys_that_are_not_words_stay_on_one_line() {
        check(
            r#"{"scenario":"dns","params":{"ttl2zon:mail\n$ORIGIN x.\n@ IN SOA":[]}}"#,
            expect![[
                r#"error params["ttl2zon:mail\n$ORIGIN x.\n@ IN SOA"]: not a parameter of dns; known: mode, name, type, clients, gap_s, rtt_stub_ms, rtt_resolver_ms, rtt_root_ms, rtt_tld_ms, rtt_auth_ms, timeout_ms, down, browser_ttl_max_s, zone, ttl, ttl2, resolvers, queries_per_min, change_at_s, new_value"#
            ]],
        );
        let long = format!(
            r#"{{"scenario":"lb","params":{{"{}":1}}}}"#,
            "k".repeat(500)
        );
        let e = parse(&long).unwrap_err();
        assert!(
            e.starts_with(&format!("params[\"{}…\"]", "k".repeat(40))),
            "{e}"
        );
        let doc = include_str!("../../fuzz/corpus/scenario_json/regression-key-with-newline");
        assert!(!parse(doc).unwrap_err().contains('\n'));
    }

    #[test]
    fn documents() {
        check(
            r#"{"scenario":"lb","seed":7,"params":{"algorithm":"maglev","backends":5}}"#,
            expect![[r#"ok lb seed=Some(7) [("algorithm", "maglev"), ("backends", "5")]"#]],
        );
        check(r#"{"scenario":"ids"}"#, expect!["ok ids seed=None []"]);
        check(
            "{\"scenario\":\"lb\",\n \"seed\": 1,\n \"params\": {\"backends\": }\n}",
            expect!["error line 3 column 25: not valid JSON: expected value"],
        );
        check(
            r#"{"scenario":"lb""#,
            expect!["error line 1 column 16: the JSON ends early"],
        );
        check(
            "[1,2]",
            expect![[
                r#"error line 1 column 5: expected a JSON object with "scenario", "seed" and "params""#
            ]],
        );
        check(
            r#"{"scenario":"nope"}"#,
            expect![[
                r#"error scenario: unknown scenario "nope": expected one of lb, dns, ids, cache"#
            ]],
        );
        check(
            r#"{"seed":3}"#,
            expect![[r#"error scenario: missing (the scenario id, e.g. "lb")"#]],
        );
        check(
            r#"{"scenario":"lb","seed":-1}"#,
            expect!["error seed: expected a non-negative integer below 2^64, got a number -1"],
        );
        check(
            r#"{"scenario":"lb","seed":"7"}"#,
            expect![[
                r#"error seed: expected a non-negative integer below 2^64, got a string "7""#
            ]],
        );
        check(
            r#"{"scenario":"lb","params":{"backends":{"n":3}}}"#,
            expect![[
                r#"error params.backends: expected an integer from 1 to 128 as a number or a string, got an object {"n":3}"#
            ]],
        );
        check(
            r#"{"scenario":"lb","params":{"backends":[3]}}"#,
            expect!["error params.backends: expected an integer from 1 to 128 as a number or a string, got an array [3]"],
        );
        check(
            r#"{"scenario":"lb","params":{"backend":3}}"#,
            expect!["error params.backend: not a parameter of lb; known: algorithm, backends, weights, speeds, requests, rate, arrivals, burst_on_ms, burst_off_ms, service, service_ms, service_sigma, capacity, capacities, queue, queue_at, link_ms, clients, nat_share, faults, health, hc_interval_ms, hc_timeout_ms, hc_rise, hc_fall, eject_after, eject_ms, timeout_ms, retries, retry_budget, sticky, tls, tls_version, tls_resume, tls_full_ms, tls_resume_ms, lb_cores, vnodes, maglev_table, ewma_tau_ms"],
        );
        check(
            r#"{"scenario":"lb","params":{"backends":999}}"#,
            expect![[r#"error params.backends="999": expected an integer from 1 to 128"#]],
        );
        check(
            r#"{"scenario":"lb","params":{"weights":[1,2.5,"x"]}}"#,
            expect![[r#"error params.weights[2]: expected a number, got a string "x""#]],
        );
    }
}
