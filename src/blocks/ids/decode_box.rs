//! "Decode an ID": paste any supported ID and see its anatomy, or the decoder's message with the
//! offending character (or bits) marked. Everything here is text in text nodes: what a person
//! pastes is never parsed as HTML.
//!
//! A decimal ID carries no mark of its layout, so the engine reads one as Snowflake unless told
//! otherwise; the reader can say "Sonyflake" or "ticket", and give the epoch or start time the
//! issuer configured (decode.rs, `DecodeOptions`).

use super::anatomy::Anatomy;
use crate::engine::checks::{ask, Answer, DecodeFailure, Question};
use hopscope_sim::ids::decode::{parse_decimal, show};
use hopscope_sim::ids::ulid::Ulid;
use hopscope_sim::ids::uuid::Uuid;
use hopscope_sim::ids::{snowflake, sonyflake};
use hopscope_sim::ids::{DecodeOptions, Decoded, ErrorAt, Reading};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The readings offered, with what the menu says.
const READINGS: &[(&str, &str)] = &[
    ("auto", "Recognise by its shape"),
    ("snowflake", "Snowflake (decimal)"),
    ("sonyflake", "Sonyflake (decimal)"),
    ("ticket", "Flickr ticket (decimal)"),
    ("uuid", "UUID (8-4-4-4-12 hex)"),
    ("ulid", "ULID (26 characters)"),
];

/// Examples a person can try with one click: (what the chip says, the text).
const EXAMPLES: &[(&str, &str)] = &[
    ("UUIDv7 (RFC 9562)", "017f22e2-79b0-7cc3-98c4-dc0c0c07398f"),
    ("UUIDv4 (RFC 9562)", "919108f7-52d1-4320-9bac-f847db4148a8"),
    ("ULID (spec)", "01ARZ3NDEKTSV4RRFFQ69G5FAV"),
    ("A tweet's Snowflake", "1050118621198921728"),
    ("A typo", "017f22e2-79b0-7cc3-98c4-dc0c0c07398g"),
];

/// The largest epoch or start time accepted (the scenario's own limit, year 2077).
const MAX_EPOCH_MS: u64 = 3_400_000_000_000;
/// Characters shown either side of a marked character in a long text.
const WINDOW: usize = 24;

/// What to draw attention to in a malformed ID.
#[derive(Clone, Debug, PartialEq)]
pub enum Mark {
    Nothing,
    /// The text around the wrong character (cut with `…` when long) and the character itself.
    Char {
        before: String,
        ch: String,
        after: String,
    },
    /// The ID's bits with the wrong ones (`first..=last`, from the most significant) marked.
    Bits {
        bits: String,
        first: u32,
        last: u32,
    },
}

/// A malformed ID: the decoder's message and where it points.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub message: String,
    pub mark: Mark,
}

/// Decodes `text` as `opts` say, with the engine's decoder (`engine::checks`); a failure
/// carries what to mark.
pub fn attempt(text: &str, opts: &DecodeOptions) -> Result<Decoded, Failure> {
    let answer = ask(Question::Decode {
        text: text.to_string(),
        options: *opts,
    });
    let Answer::Decode(decoded) = answer else {
        return Err(Failure {
            message: "the decoder did not answer; reload the page".into(),
            mark: Mark::Nothing,
        });
    };
    decoded.map_err(|DecodeFailure { error: e, bits }| Failure {
        mark: match e.at {
            Some(ErrorAt::Char(i)) => char_mark(text, i),
            Some(ErrorAt::Bits { first, last }) => {
                bits.map_or(Mark::Nothing, |bits| Mark::Bits { bits, first, last })
            }
            Some(ErrorAt::Length) | None => Mark::Nothing,
        },
        message: e.message,
    })
}

fn char_mark(text: &str, i: usize) -> Mark {
    let chars: Vec<char> = text.chars().collect();
    let Some(&c) = chars.get(i) else {
        return Mark::Nothing;
    };
    let lo = i.saturating_sub(WINDOW);
    let hi = (i + 1 + WINDOW).min(chars.len());
    let cut = |on: bool| if on { "…" } else { "" };
    Mark::Char {
        before: format!("{}{}", cut(lo > 0), chars[lo..i].iter().collect::<String>()),
        // An invisible character is shown by its code point, as the message names it.
        ch: if c.is_whitespace() || c.is_control() {
            show(c)
        } else {
            c.to_string()
        },
        after: format!(
            "{}{}",
            chars[i + 1..hi].iter().collect::<String>(),
            cut(hi < chars.len())
        ),
    }
}

/// The bits of a text that parsed but holds a wrong bit (a set top bit, a wrong UUID version):
/// the engine's side of [`attempt`].
pub fn value_bits(text: &str) -> Option<String> {
    let t = text.trim();
    let (value, width) = match parse_decimal(t) {
        Ok(v) => (u128::from(v), 64),
        Err(_) => Uuid::parse(t)
            .map(|u| u.0)
            .or_else(|_| Ulid::parse(t).map(|u| u.0))
            .map(|v| (v, 128))
            .ok()?,
    };
    Some(format!("{value:0width$b}"))
}

/// An epoch or start time as typed: whole Unix milliseconds, within the scenario's range.
pub fn parse_ms(text: &str) -> Result<u64, String> {
    let t = text.trim();
    match t.parse::<u64>() {
        Ok(v) if v <= MAX_EPOCH_MS => Ok(v),
        Ok(_) => Err(format!("{t} is after {MAX_EPOCH_MS} (year 2077)")),
        Err(_) => Err(format!(
            "“{t}” is not a whole number of milliseconds since 1970-01-01T00:00:00Z"
        )),
    }
}

/// Whether a text is read as a decimal ID (where the layout is the reader's guess).
fn is_decimal(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit())
}

#[derive(Clone, PartialEq)]
struct Inputs {
    text: String,
    reading: &'static str,
    epoch: String,
    start: String,
}

#[component]
pub fn DecodeBox() -> Html {
    let inputs = use_state(|| Inputs {
        text: String::new(),
        reading: "auto",
        epoch: snowflake::TWITTER_EPOCH_MS.to_string(),
        start: sonyflake::DEFAULT_START_MS.to_string(),
    });
    let set = |change: fn(&mut Inputs, String)| {
        let inputs = inputs.clone();
        move |value: String| {
            let mut next = (*inputs).clone();
            change(&mut next, value);
            inputs.set(next);
        }
    };
    let on_text = set(|i, v| i.text = v);
    let on_epoch = set(|i, v| i.epoch = v);
    let on_start = set(|i, v| i.start = v);
    let on_reading = set(|i, v| {
        i.reading = READINGS
            .iter()
            .find(|(k, _)| *k == v)
            .map_or("auto", |(k, _)| k)
    });
    let typed = |f: Box<dyn Fn(String)>| {
        Callback::from(move |e: InputEvent| {
            f(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };

    let reading = Reading::parse(inputs.reading).unwrap_or(Reading::Auto);
    let decimal = is_decimal(&inputs.text);
    let wants_epoch = reading == Reading::Snowflake || (reading == Reading::Auto && decimal);
    let wants_start = reading == Reading::Sonyflake;
    let epoch = parse_ms(&inputs.epoch);
    let start = parse_ms(&inputs.start);
    let option_error = (wants_epoch && epoch.is_err()) || (wants_start && start.is_err());
    let outcome = (!inputs.text.trim().is_empty() && !option_error).then(|| {
        let opts = DecodeOptions {
            reading,
            snowflake_epoch_ms: *epoch.as_ref().unwrap_or(&snowflake::TWITTER_EPOCH_MS),
            sonyflake_start_ms: *start.as_ref().unwrap_or(&sonyflake::DEFAULT_START_MS),
        };
        attempt(&inputs.text, &opts)
    });

    let ms_field = |id: &'static str,
                    label: &'static str,
                    value: &str,
                    err: &Result<u64, String>,
                    on: Callback<InputEvent>,
                    help: Html| {
        html! {
            <div class={classes!("field", err.is_err().then_some("has-error"))}>
                <label for={id}>{ label }<span class="unit">{ "Unix ms" }</span></label>
                <input id={id} type="text" inputmode="numeric" data-testid={id} value={value.to_string()} oninput={on} />
                if let Err(e) = err { <p class="field-error">{ e.clone() }</p> }
                <p class="help">{ help }</p>
            </div>
        }
    };
    let epoch_preset = |ms: u64| {
        let on_epoch = on_epoch.clone();
        Callback::from(move |_: MouseEvent| on_epoch(ms.to_string()))
    };

    html! {
        <section class="panel ids-decode" data-testid="ids-decode" aria-label="Decode an ID">
            <h2>{ "Decode an ID" }</h2>
            <div class="ids-body">
                <p class="ids-intro">{ "Paste a Snowflake or Sonyflake ID, a UUID (version 4 or 7), a ULID or a Flickr ticket: its bits come apart into their fields." }</p>
                <div class="decode-row">
                    <input type="text" data-testid="decode-input" aria-label="ID to decode" spellcheck="false" autocomplete="off"
                        placeholder="e.g. 017f22e2-79b0-7cc3-98c4-dc0c0c07398f" value={inputs.text.clone()} oninput={typed(Box::new(on_text.clone()))} />
                    <select data-testid="decode-reading" aria-label="Read it as" onchange={
                        let on_reading = on_reading.clone();
                        Callback::from(move |e: Event| on_reading(e.target_unchecked_into::<HtmlSelectElement>().value()))
                    }>
                        { for READINGS.iter().map(|(k, label)| html! { <option value={*k} selected={*k == inputs.reading}>{ *label }</option> }) }
                    </select>
                </div>
                <div class="decode-examples">
                    <span class="muted">{ "Try:" }</span>
                    { for EXAMPLES.iter().map(|(label, text)| {
                        let on_text = on_text.clone();
                        html! { <button type="button" class="chip" onclick={Callback::from(move |_: MouseEvent| on_text(text.to_string()))}>{ *label }</button> }
                    }) }
                </div>
                if wants_epoch || wants_start {
                    <div class="decode-options">
                        if wants_epoch {
                            { ms_field("decode-epoch", "Snowflake epoch", &inputs.epoch, &epoch, typed(Box::new(on_epoch.clone())), html! {
                                <>
                                    { "Twitter's is 1288834974657; Discord's IDs use the same bit layout from 1420070400000. " }
                                    <button type="button" class="link-button" onclick={epoch_preset(snowflake::TWITTER_EPOCH_MS)}>{ "Twitter" }</button>
                                    <button type="button" class="link-button" onclick={epoch_preset(1_420_070_400_000)}>{ "Discord" }</button>
                                </>
                            }) }
                        }
                        if wants_start {
                            { ms_field("decode-start", "Sonyflake start time", &inputs.start, &start, typed(Box::new(on_start)), html! {
                                { "Sonyflake's default is 1409529600000 (2014-09-01T00:00:00Z)." }
                            }) }
                        }
                    </div>
                }
                if reading == Reading::Auto && decimal {
                    <p class="decode-note" data-testid="decode-note">
                        { "A decimal number does not say which layout made it: it is read as a Snowflake ID. If it came from Sonyflake or a ticket server, choose that above. " }
                        <button type="button" class="link-button" onclick={
                            let on_reading = on_reading.clone();
                            Callback::from(move |_: MouseEvent| on_reading("sonyflake".into()))
                        }>{ "Read as Sonyflake" }</button>
                    </p>
                }
                { outcome.map(failure_or_anatomy).unwrap_or_default() }
            </div>
        </section>
    }
}

fn failure_or_anatomy(outcome: Result<Decoded, Failure>) -> Html {
    match outcome {
        Ok(d) => html! { <Anatomy decoded={Rc::new(d)} /> },
        Err(f) => html! {
            <div class="decode-error" data-testid="decode-error" aria-live="polite">
                <p class="field-error" data-testid="decode-message">{ f.message }</p>
                { match f.mark {
                    Mark::Nothing => Html::default(),
                    Mark::Char { before, ch, after } => html! {
                        <code class="decode-echo" data-testid="decode-echo">{ before }<mark data-testid="decode-mark">{ ch }</mark>{ after }</code>
                    },
                    Mark::Bits { bits, first, last } => {
                        let (a, b) = (first as usize, last as usize + 1);
                        html! {
                            <code class="decode-echo is-bits" data-testid="decode-echo" aria-label={format!("the bits, with bits {first}–{last} marked")}>
                                { bits[..a].to_string() }<mark data-testid="decode-mark">{ bits[a..b].to_string() }</mark>{ bits[b..].to_string() }
                            </code>
                        }
                    }
                } }
            </div>
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(text: &str, reading: Reading) -> Failure {
        let opts = DecodeOptions {
            reading,
            ..DecodeOptions::default()
        };
        attempt(text, &opts).expect_err(text)
    }

    #[test]
    fn a_wrong_character_is_marked_in_its_text() {
        let f = failure("017f22e2-79b0-7cc3-98c4-dc0c0c07398g", Reading::Auto);
        assert_eq!(f.message, "character 36 ('g') is not a hexadecimal digit");
        assert_eq!(
            f.mark,
            Mark::Char {
                before: "…b0-7cc3-98c4-dc0c0c07398".into(),
                ch: "g".into(),
                after: String::new()
            }
        );
        let f = failure(" 12\t4", Reading::Auto);
        assert_eq!(
            f.mark,
            Mark::Char {
                before: " 12".into(),
                ch: "U+0009".into(),
                after: "4".into()
            }
        );
    }

    #[test]
    fn wrong_bits_are_marked_in_the_ids_bits() {
        // Version 1, not 4 or 7: bits 48–51.
        let f = failure("c232ab00-9414-11ec-b3c8-9f6bdeced846", Reading::Auto);
        let Mark::Bits { bits, first, last } = f.mark else {
            panic!("{:?}", f.mark)
        };
        assert_eq!((bits.len(), first, last), (128, 48, 51));
        assert_eq!(&bits[48..52], "0001");
        // The top bit of a Sonyflake ID.
        let f = failure("9223372036854775808", Reading::Sonyflake);
        assert!(
            matches!(f.mark, Mark::Bits { first: 0, last: 0, ref bits } if bits.starts_with('1'))
        );
    }

    #[test]
    fn length_errors_mark_nothing_and_options_are_checked() {
        assert_eq!(
            failure("01ARZ3NDEKTSV4RRFFQ69G5FA", Reading::Auto).mark,
            Mark::Nothing
        );
        assert_eq!(parse_ms(" 1420070400000 "), Ok(1_420_070_400_000));
        expect_test::expect![
            "“12x” is not a whole number of milliseconds since 1970-01-01T00:00:00Z"
        ]
        .assert_eq(&parse_ms("12x").unwrap_err());
        assert!(parse_ms("9999999999999").is_err());
    }

    #[test]
    fn every_example_decodes_except_the_typo() {
        for (label, text) in EXAMPLES {
            let ok = attempt(text, &DecodeOptions::default()).is_ok();
            assert_eq!(ok, *label != "A typo", "{label}");
        }
    }
}
