//! The engine's input checks, asked synchronously from the page: a block's cross-field `check`,
//! the zone files, a cache trace and a pasted ID are judged by the engine's own code, which the
//! page's bundle does not carry.
//!
//! The page's wasm holds block descriptions and per-field parsing only (`ParamSpec::parse`). The
//! parsers behind the deeper checks — DNS's zone-file parser, every block's `check`, the ID
//! decoders — are already in the engine's bundle (the worker runs them before each run), so
//! `static/boot.js` also instantiates that same file on the main thread, and the page asks it
//! through [`ask`]: a [`Question`] in, an [`Answer`] out, both bincode, no thread hop, so a
//! form still marks a bad value on the keystroke that made it. Natively (tests, the CLI's
//! crate) [`answer`] runs inline.
//!
//! The worker checks every run again, so a page whose engine instance failed to load still
//! never runs bad input: [`ask`] then answers "no objection" and the run's failure says why.

use crate::blocks::dns::zone_check::ZoneCheck;
use hopscope_sim::ids::{DecodeError, DecodeOptions, Decoded};
use hopscope_sim::ParamError;
use serde::{Deserialize, Serialize};

/// What the page asks the engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Question {
    /// Do these `key=value` pairs (each already valid on its own) make a valid scenario of the
    /// block? Its `Params::parse` and cross-field `check`.
    Params {
        scenario: String,
        pairs: Vec<(String, String)>,
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
}

/// A malformed ID: the decoder's error and, when the text parsed as a number but holds a wrong
/// bit, the value's bits to mark.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecodeFailure {
    pub error: DecodeError,
    pub bits: Option<String>,
}

/// The engine's answer to each [`Question`], variant for variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    Params(Result<(), ParamError>),
    Zones(ZoneCheck),
    Trace(Option<ParamError>),
    Decode(Result<Decoded, DecodeFailure>),
    Issued(Option<Decoded>),
    /// The question could not be answered (no engine instance, a garbled message): the page
    /// goes on as if the input were fine and the worker's own check has the last word.
    Unanswered,
}

/// Answers `question` with the engine's code: the engine bundle's export and the native path.
/// Never called from the page's bundle (which would then link every parser again).
pub fn answer(question: Question) -> Answer {
    use hopscope_sim::Params;
    match question {
        Question::Params { scenario, pairs } => Answer::Params(match find(&scenario) {
            None => Err(ParamError::new(
                "scenario",
                &scenario,
                "a scenario of `hopscope list`",
            )),
            Some(block) => Params::parse(block.params(), &pairs).and_then(|p| block.check(&p)),
        }),
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

    pub fn ask(question: &Question) -> Answer {
        let Ok(bytes) = bincode::serialize(question) else {
            return Answer::Unanswered;
        };
        engine_answer(&bytes)
            .ok()
            .and_then(|a| bincode::deserialize(&a).ok())
            .unwrap_or(Answer::Unanswered)
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
    }) {
        Answer::Params(verdict) => verdict,
        _ => Ok(()),
    }
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
            },
            Question::Params {
                scenario: "nope".into(),
                pairs: vec![],
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

    #[test]
    fn garbled_bytes_are_unanswered_not_a_panic() {
        let a: Answer = bincode::deserialize(&answer_bytes(&[255, 1, 2])).unwrap();
        assert_eq!(a, Answer::Unanswered);
    }
}
