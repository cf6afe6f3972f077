//! The engine's input checks, asked synchronously from the page: parameter values, a block's
//! cross-field `check`, the zone files, a cache trace and a pasted ID are judged by the engine's
//! own code, which the page's bundle does not carry.
//!
//! The page's wasm holds block descriptions only (`ParamSpec`s, presets). The parsers — each
//! parameter's (`ParamSpec::parse`, with Rust's exact decimal-to-float conversion and its
//! tables), DNS's zone-file parser, every block's `check`, the ID decoders — are already in the
//! engine's bundle (the worker runs them before each run), so `static/boot.js` also
//! instantiates that same file on the main thread, and the page asks it through [`ask`]: a
//! [`Question`] in, an [`Answer`] out, both bincode, no thread hop, so a form still marks a bad
//! value on the keystroke that made it. Natively (tests) [`answer`] runs inline.
//!
//! When the engine instance failed to load, [`ask`] gets no answer: the page then has no block
//! to show and says why (`engine::catalog::unavailable`); the worker would load the same
//! files. Should a question still go unanswered, values read as errors that say so, and rules
//! across fields and documents raise no objection (the worker's own check has the last word).

use super::catalog::WireBlock;
use crate::blocks::dns::zone_check::ZoneCheck;
use hopscope_sim::ids::{DecodeError, DecodeOptions, Decoded};
use hopscope_sim::{BlockSpec, ParamError, ParamSpec, ParamValue, Params};
use serde::{Deserialize, Serialize};

/// What the page asks the engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Question {
    /// One parameter's text, read by its spec (`ParamSpec::parse`).
    Value {
        scenario: String,
        key: String,
        text: String,
    },
    /// The block's defaults overridden by these `key=value` pairs (`Params::parse`), and, when
    /// `check`, the block's rules across fields (`Block::check`).
    Params {
        scenario: String,
        pairs: Vec<(String, String)>,
        check: bool,
    },
    /// Each zone text's first error, and whether together they make an internet.
    Zones { texts: Vec<String> },
    /// A cache access trace's first bad line.
    Trace { text: String },
    /// A pasted ID read as `options` say.
    Decode {
        text: String,
        options: DecodeOptions,
    },
    /// An issued ID of a run read back with the run's own layout (`blocks::ids::issued`).
    Issued {
        text: String,
        generator: String,
        epoch_ms: u64,
        start_ms: u64,
    },
    /// Every block's description (`engine::catalog`), asked once when the page starts.
    Catalog,
    /// The default internet's zone texts (DNS runs on them when no `zone` is given).
    DefaultZones,
}

/// A malformed ID: the decoder's error and, when the text parsed as a number but holds a wrong
/// bit, the value's bits to mark.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecodeFailure {
    pub error: DecodeError,
    pub bits: Option<String>,
}

/// A [`ParamValue`] on the wire: the same variants, tagged (`ParamValue` serialises untagged,
/// for JSON, which bincode cannot read back). Not `protocol::WireValue`, which mirrors a JSON
/// value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WireParam {
    Int(i64),
    Float(f64),
    Text(String),
    List(Vec<f64>),
    Docs(Vec<String>),
}

impl From<&ParamValue> for WireParam {
    fn from(v: &ParamValue) -> WireParam {
        match v {
            ParamValue::Int(i) => WireParam::Int(*i),
            ParamValue::Float(f) => WireParam::Float(*f),
            ParamValue::Text(t) => WireParam::Text(t.clone()),
            ParamValue::List(l) => WireParam::List(l.clone()),
            ParamValue::Docs(d) => WireParam::Docs(d.clone()),
        }
    }
}

impl From<WireParam> for ParamValue {
    fn from(v: WireParam) -> ParamValue {
        match v {
            WireParam::Int(i) => ParamValue::Int(i),
            WireParam::Float(f) => ParamValue::Float(f),
            WireParam::Text(t) => ParamValue::Text(t),
            WireParam::List(l) => ParamValue::List(l),
            WireParam::Docs(d) => ParamValue::Docs(d),
        }
    }
}

/// The engine's answer to each [`Question`], variant for variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    Value(Result<WireParam, ParamError>),
    Params(Result<Vec<(String, WireParam)>, ParamError>),
    Zones(ZoneCheck),
    Trace(Option<ParamError>),
    Decode(Result<Decoded, DecodeFailure>),
    Issued(Option<Decoded>),
    Catalog(Vec<WireBlock>),
    DefaultZones(Vec<String>),
    /// The question could not be answered (no engine instance, a garbled message): the page
    /// goes on as if the input were fine and the worker's own check has the last word.
    Unanswered,
}

/// Answers `question` with the engine's code: the engine bundle's export and the native path.
/// Never called from the page's bundle (which would then link every parser again).
pub fn answer(question: Question) -> Answer {
    let block = |scenario: &str| {
        find(scenario)
            .ok_or_else(|| ParamError::new("scenario", scenario, "a scenario of `hopscope list`"))
    };
    match question {
        Question::Value {
            scenario,
            key,
            text,
        } => Answer::Value(block(&scenario).and_then(|block| {
            let spec = block.params().iter().find(|s| s.key == key);
            let spec =
                spec.ok_or_else(|| ParamError::new(&key, &text, "a parameter of the block"))?;
            spec.parse(&text).map(|v| WireParam::from(&v))
        })),
        Question::Params {
            scenario,
            pairs,
            check,
        } => Answer::Params(block(&scenario).and_then(|block| {
            let params = Params::parse(block.params(), &pairs)?;
            if check {
                block.check(&params)?;
            }
            Ok(params
                .values()
                .map(|(k, v)| (k.to_string(), WireParam::from(v)))
                .collect())
        })),
        Question::Zones { texts } => Answer::Zones(crate::blocks::dns::zone_check::verdict(&texts)),
        Question::Trace { text } => {
            Answer::Trace(hopscope_sim::cache::workload::parse_trace(&text).err())
        }
        Question::Decode { text, options } => Answer::Decode(
            hopscope_sim::ids::decode_with(&text, &options).map_err(|error| DecodeFailure {
                bits: crate::blocks::ids::decode_box::value_bits(&text),
                error,
            }),
        ),
        Question::Issued {
            text,
            generator,
            epoch_ms,
            start_ms,
        } => Answer::Issued(crate::blocks::ids::issued::read_back(
            &text, &generator, epoch_ms, start_ms,
        )),
        Question::Catalog => Answer::Catalog(
            hopscope_sim::registry::specs()
                .iter()
                .map(|b| WireBlock::of(*b))
                .collect(),
        ),
        Question::DefaultZones => Answer::DefaultZones(
            hopscope_sim::dns::internet::DEFAULT_ZONES
                .iter()
                .map(|(_, z)| z.to_string())
                .collect(),
        ),
    }
}

/// The block with this scenario id: the registry's, or in the app's own tests also the
/// fixture block (`crate::fixture`), whose forms the tests check.
fn find(scenario: &str) -> Option<&'static dyn hopscope_sim::Block> {
    #[cfg(test)]
    if scenario == hopscope_sim::BlockSpec::id(&crate::fixture::TOY) {
        return Some(&crate::fixture::TOY);
    }
    hopscope_sim::registry::find(scenario)
}

/// [`answer`] over bincode bytes: what the engine bundle exports to the page.
pub fn answer_bytes(question: &[u8]) -> Vec<u8> {
    let answer = match bincode::deserialize::<Question>(question) {
        Ok(q) => answer(q),
        Err(_) => Answer::Unanswered,
    };
    bincode::serialize(&answer).unwrap_or_default()
}

/// Asks the engine; in the page through the engine instance `static/boot.js` started.
pub fn ask(question: Question) -> Answer {
    #[cfg(target_arch = "wasm32")]
    {
        browser::ask(&question)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        // The same bytes as in the browser, so the codec is exercised by every native test.
        let bytes = bincode::serialize(&question).expect("a question always encodes");
        bincode::deserialize(&answer_bytes(&bytes)).unwrap_or(Answer::Unanswered)
    }
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::{Answer, Question};
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// The engine bundle's `answer` export (`src/bin/engine.rs`), set by `static/boot.js`.
        #[wasm_bindgen(catch, js_namespace = hopscopeEngine, js_name = answer)]
        fn engine_answer(question: &[u8]) -> Result<Vec<u8>, JsValue>;
    }

    /// A started engine that throws (a parser's panic traps its instance) is a bug: it is
    /// logged as an error, which the browser tests fail on. An engine that never started was
    /// reported once by `static/boot.js`.
    pub fn ask(question: &Question) -> Answer {
        let Ok(bytes) = bincode::serialize(question) else {
            return Answer::Unanswered;
        };
        match engine_answer(&bytes) {
            Ok(answer) => bincode::deserialize(&answer).unwrap_or(Answer::Unanswered),
            Err(thrown) => {
                if super::engine_failure().is_none() {
                    web_sys::console::error_2(
                        &"Hopscope: the engine failed to answer:".into(),
                        &thrown,
                    );
                }
                Answer::Unanswered
            }
        }
    }
}

/// Why the engine's bundle could not start on this page (`static/boot.js` records it), if it
/// could not: the worker loads the same files, so a run would never come.
pub fn engine_failure() -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        use js_sys::Reflect;
        let engine = Reflect::get(&js_sys::global(), &"hopscopeEngine".into()).ok()?;
        Reflect::get(&engine, &"failed".into()).ok()?.as_string()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// The block's verdict on a whole scenario: `Ok` also when the engine could not be asked.
pub fn check_params(scenario: &str, pairs: Vec<(String, String)>) -> Result<(), ParamError> {
    match ask(Question::Params {
        scenario: scenario.to_string(),
        pairs,
        check: true,
    }) {
        Answer::Params(verdict) => verdict.map(|_| ()),
        _ => Ok(()),
    }
}

/// The registered blocks, and in the app's own tests the fixture block too.
fn all_specs() -> impl Iterator<Item = &'static dyn BlockSpec> {
    let registered = super::catalog::specs().iter().copied();
    #[cfg(test)]
    let registered = registered.chain(std::iter::once(&crate::fixture::TOY as &dyn BlockSpec));
    registered
}

/// The block whose parameter `spec` is. Two blocks may declare equal specs (the same key, kind
/// and default); either reads a text the same way.
fn scenario_of(spec: &ParamSpec) -> Option<&'static str> {
    all_specs()
        .find(|b| b.params().iter().any(|s| s == spec))
        .map(|b| b.id())
}

/// The block whose parameters `specs` are.
fn scenario_of_specs(specs: &[ParamSpec]) -> Option<&'static str> {
    all_specs().find(|b| b.params() == specs).map(|b| b.id())
}

/// Why nothing could be read: the engine did not answer.
fn unanswered(key: &str, text: &str) -> ParamError {
    ParamError::new(
        key,
        text,
        "a value the engine can read (it could not start: reload the page)",
    )
}

/// `text` read as `spec` reads it: `ParamSpec::parse`, in the engine.
pub fn parse_value(spec: &ParamSpec, text: &str) -> Result<ParamValue, ParamError> {
    let Some(scenario) = scenario_of(spec) else {
        return Err(unanswered(spec.key, text));
    };
    match ask(Question::Value {
        scenario: scenario.to_string(),
        key: spec.key.to_string(),
        text: text.to_string(),
    }) {
        Answer::Value(v) => v.map(ParamValue::from),
        _ => Err(unanswered(spec.key, text)),
    }
}

/// The defaults of `specs` overridden by `pairs`: `Params::parse`, in the engine; with `check`,
/// also the block's rules across fields.
pub fn parse_params<K: AsRef<str>, V: AsRef<str>>(
    specs: &'static [ParamSpec],
    pairs: &[(K, V)],
    check: bool,
) -> Result<Params, ParamError> {
    let answer = scenario_of_specs(specs).map(|scenario| {
        ask(Question::Params {
            scenario: scenario.to_string(),
            pairs: pairs
                .iter()
                .map(|(k, v)| (k.as_ref().to_string(), v.as_ref().to_string()))
                .collect(),
            check,
        })
    });
    match answer {
        Some(Answer::Params(values)) => values.map(|values| {
            Params::from_parsed(specs, values.into_iter().map(|(k, v)| (k, v.into())))
        }),
        _ => Err(unanswered("…", "")),
    }
}

/// The defaults of `specs` (every registered block's parse); an empty set when the engine
/// could not be asked, so the page can still show why nothing runs.
pub fn defaults(specs: &'static [ParamSpec]) -> Params {
    parse_params::<&str, &str>(specs, &[], false)
        .unwrap_or_else(|_| Params::from_parsed(specs, std::iter::empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hopscope_sim::ids::Reading;

    #[test]
    fn answers_cross_the_codec_unchanged() {
        let questions = [
            Question::Params {
                scenario: "lb".into(),
                pairs: vec![
                    ("backends".into(), "3".into()),
                    ("weights".into(), "1,2".into()),
                ],
                check: true,
            },
            Question::Params {
                scenario: "dns".into(),
                pairs: vec![("zone".into(), "$ORIGIN a.\n".into())],
                check: false,
            },
            Question::Params {
                scenario: "nope".into(),
                pairs: vec![],
                check: false,
            },
            Question::Value {
                scenario: "lb".into(),
                key: "rate".into(),
                text: "0.1".into(),
            },
            Question::Zones {
                texts: vec!["$ORIGIN example.com.\nwww IN A 1.2.3".into()],
            },
            Question::Trace {
                text: "a\nb c\n".into(),
            },
            Question::Decode {
                text: "1541815603606036480".into(),
                options: DecodeOptions {
                    reading: Reading::Snowflake,
                    snowflake_epoch_ms: hopscope_sim::ids::snowflake::TWITTER_EPOCH_MS,
                    sonyflake_start_ms: hopscope_sim::ids::sonyflake::DEFAULT_START_MS,
                },
            },
            Question::Decode {
                text: "01ARZ3NDEKTSV4RRFFQ69G5FAVX".into(),
                options: DecodeOptions {
                    reading: Reading::Auto,
                    snowflake_epoch_ms: hopscope_sim::ids::snowflake::TWITTER_EPOCH_MS,
                    sonyflake_start_ms: hopscope_sim::ids::sonyflake::DEFAULT_START_MS,
                },
            },
        ];
        for q in questions {
            let direct = answer(q.clone());
            assert_ne!(direct, Answer::Unanswered, "{q:?}");
            assert_eq!(ask(q.clone()), direct, "{q:?}");
        }
    }

    #[test]
    fn a_cross_field_error_names_its_key() {
        let e = check_params(
            "lb",
            vec![
                ("backends".into(), "3".into()),
                ("weights".into(), "1,2".into()),
            ],
        )
        .unwrap_err();
        assert_eq!(e.key, "weights");
        assert_eq!(check_params("lb", vec![]), Ok(()));
    }

    /// The page's reading of every block's parameters through the engine is the engine's own:
    /// each spec's default and a handful of good and bad texts, value for value and error for
    /// error, and every block's defaults and presets as whole sets.
    #[test]
    fn values_read_through_the_engine_are_the_engines_own() {
        let texts = [
            "",
            "0",
            "1",
            "-1",
            "0.1",
            "1e3",
            "2.5e-7",
            "0x10",
            " 7",
            "nan",
            "inf",
            "1,2,3",
            "round_robin",
            "9999999999999999999999",
            "0.30000000000000004",
        ];
        for block in hopscope_sim::registry::specs() {
            for spec in block.params() {
                for text in texts.iter().copied().chain([spec.default]) {
                    assert_eq!(
                        parse_value(spec, text),
                        spec.parse(text),
                        "{} {text:?}",
                        spec.key
                    );
                }
            }
            assert_eq!(
                Ok(defaults(block.params())),
                Params::defaults(block.params()),
                "{}",
                block.id()
            );
            for preset in block.presets() {
                assert_eq!(
                    parse_params(block.params(), preset.values, false),
                    Params::parse(block.params(), preset.values),
                    "{} {}",
                    block.id(),
                    preset.id
                );
            }
        }
        let bad = [("backends", "4"), ("weights", "1,2")];
        let lb = hopscope_sim::registry::find_spec("lb").unwrap();
        assert!(parse_params(lb.params(), &bad, false).is_ok());
        assert_eq!(
            parse_params(lb.params(), &bad, true).unwrap_err().key,
            "weights"
        );
    }

    #[test]
    fn garbled_bytes_are_unanswered_not_a_panic() {
        let a: Answer = bincode::deserialize(&answer_bytes(&[255, 1, 2])).unwrap();
        assert_eq!(a, Answer::Unanswered);
    }
}
