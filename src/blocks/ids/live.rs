//! Live mode: real IDs from the browser's real clock (`Date.now()`) and its cryptographic random
//! source (`crypto.getRandomValues`), made by the engine's own generators (`ids::live`), with
//! their anatomy and a copy button. This is the only place Hopscope reads a real clock; the
//! engine never does.

use super::anatomy::Anatomy;
use crate::browser;
use hopscope_sim::ids::{snowflake, sonyflake, Decoded, Entropy, Live, LiveKind};
use std::rc::Rc;
use web_sys::{Crypto, HtmlInputElement};
use yew::prelude::*;

/// The kinds offered: (key, what the chip says).
const KINDS: &[(&str, &str)] = &[
    ("snowflake", "Snowflake"),
    ("sonyflake", "Sonyflake"),
    ("uuid7", "UUIDv7"),
    ("uuid4", "UUIDv4"),
    ("ulid", "ULID"),
];
/// Generated IDs kept on screen, newest first.
const KEPT: usize = 8;
/// IDs made by one press of "Generate 5".
const BURST: usize = 5;

/// `crypto.getRandomValues`: the browser's cryptographically strong random source.
struct BrowserEntropy {
    crypto: Crypto,
    failed: bool,
}

impl BrowserEntropy {
    fn new() -> Option<Self> {
        let crypto = web_sys::window()?.crypto().ok()?;
        Some(BrowserEntropy {
            crypto,
            failed: false,
        })
    }
}

impl Entropy for BrowserEntropy {
    fn fill(&mut self, buf: &mut [u8]) {
        // At most 65 536 bytes per call; generators ask for 16 at a time.
        for chunk in buf.chunks_mut(65_536) {
            self.failed |= self.crypto.get_random_values_with_u8_array(chunk).is_err();
        }
    }
}

/// The kind to generate from the chosen key and the settings as typed; an error names the
/// setting that is out of range.
pub fn live_kind(
    key: &str,
    datacenter: &str,
    worker: &str,
    machine: &str,
) -> Result<LiveKind, String> {
    let small = |name: &str, text: &str| match text.trim().parse::<u8>() {
        Ok(v) if v <= snowflake::MAX_NODE_ID => Ok(v),
        _ => Err(format!(
            "{name} id must be a whole number from 0 to 31 (5 bits); got “{}”",
            text.trim()
        )),
    };
    Ok(match key {
        "snowflake" => LiveKind::Snowflake {
            datacenter: small("datacenter", datacenter)?,
            worker: small("worker", worker)?,
            epoch_ms: snowflake::TWITTER_EPOCH_MS,
        },
        "sonyflake" => LiveKind::Sonyflake {
            machine: machine.trim().parse::<u16>().map_err(|_| {
                format!(
                    "machine id must be a whole number from 0 to 65535 (16 bits); got “{}”",
                    machine.trim()
                )
            })?,
            start_ms: sonyflake::DEFAULT_START_MS,
        },
        "uuid4" => LiveKind::UuidV4,
        "uuid7" => LiveKind::UuidV7,
        _ => LiveKind::Ulid,
    })
}

/// One generator per kind and settings, kept for the page's life: UUIDv7 counters, ULID
/// monotonicity and Snowflake sequences carry on across presses.
#[derive(Default)]
struct Generators(Vec<(LiveKind, Live)>);

impl Generators {
    fn get(&mut self, kind: LiveKind) -> Option<&mut Live> {
        let i = match self.0.iter().position(|(k, _)| *k == kind) {
            Some(i) => i,
            None => {
                self.0.push((kind, Live::new(kind)?));
                self.0.len() - 1
            }
        };
        Some(&mut self.0[i].1)
    }
}

#[derive(Clone, PartialEq)]
struct Settings {
    kind: &'static str,
    datacenter: String,
    worker: String,
    machine: String,
}

#[component]
pub fn LiveIds() -> Html {
    let settings = use_state(|| Settings {
        kind: "snowflake",
        datacenter: "1".into(),
        worker: "1".into(),
        machine: "258".into(),
    });
    let made = use_state(Vec::<Rc<Decoded>>::new);
    let shown = use_state_eq(|| 0usize);
    let problem = use_state(|| None::<String>);
    let generators = use_mut_ref(Generators::default);
    let kind = live_kind(
        settings.kind,
        &settings.datacenter,
        &settings.worker,
        &settings.machine,
    );

    let generate = |n: usize| {
        let (kind, made, shown, problem, generators) = (
            kind.clone(),
            made.clone(),
            shown.clone(),
            problem.clone(),
            generators.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Ok(kind) = kind.clone() else { return };
            let Some(mut entropy) = BrowserEntropy::new() else {
                problem.set(Some(
                    "This browser offers no crypto.getRandomValues: no random bits, no IDs.".into(),
                ));
                return;
            };
            let mut gens = generators.borrow_mut();
            let Some(live) = gens.get(kind) else { return };
            let mut list = (*made).clone();
            let mut trouble = None;
            for _ in 0..n {
                // The real clock, read once per ID, as a server would.
                let now_ms = js_sys::Date::now() as u64;
                match live.next(now_ms, &mut entropy) {
                    Ok(_) if entropy.failed => {
                        trouble =
                            Some("crypto.getRandomValues failed: the ID was discarded.".into());
                        break;
                    }
                    Ok(d) => list.insert(0, Rc::new(d)),
                    Err(e) => {
                        trouble = Some(format!(
                            "The generator declined: {e}. Press again in a moment."
                        ));
                        break;
                    }
                }
            }
            list.truncate(KEPT);
            made.set(list);
            shown.set(0);
            problem.set(trouble);
        })
    };
    let edit = |change: fn(&mut Settings, String)| {
        let settings = settings.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*settings).clone();
            change(
                &mut next,
                e.target_unchecked_into::<HtmlInputElement>().value(),
            );
            settings.set(next);
        })
    };
    let number = |id: &'static str, label: &'static str, value: &str, on: Callback<InputEvent>| {
        html! {
            <div class="field live-setting">
                <label for={id}>{ label }</label>
                <input id={id} type="text" inputmode="numeric" data-testid={id} value={value.to_string()} oninput={on} />
            </div>
        }
    };

    let current = made.get(*shown).cloned();
    html! {
        <section class="panel ids-live" data-testid="ids-live" aria-label="Live IDs">
            <h2>{ "Live IDs from your clock" }</h2>
            <div class="ids-body">
                <p class="ids-intro">{ "Real IDs, made right now from this browser's clock (Date.now()) and its cryptographic random source, by the same generators the simulation runs. Copy one and use it anywhere." }</p>
                <div class="preset-buttons" role="group" aria-label="Kind of ID">
                    { for KINDS.iter().map(|(key, label)| {
                        let settings = settings.clone();
                        let on = *key == settings.kind;
                        html! {
                            <button type="button" class={classes!("chip", on.then_some("is-active"))} aria-pressed={on.to_string()}
                                data-testid="live-kind" data-kind={*key}
                                onclick={Callback::from(move |_: MouseEvent| settings.set(Settings { kind: key, ..(*settings).clone() }))}>
                                { *label }
                            </button>
                        }
                    }) }
                </div>
                <div class="live-controls">
                    if settings.kind == "snowflake" {
                        { number("live-datacenter", "Datacenter id", &settings.datacenter, edit(|s, v| s.datacenter = v)) }
                        { number("live-worker", "Worker id", &settings.worker, edit(|s, v| s.worker = v)) }
                    }
                    if settings.kind == "sonyflake" {
                        { number("live-machine", "Machine id", &settings.machine, edit(|s, v| s.machine = v)) }
                    }
                    <div class="live-buttons">
                        <button type="button" class="button primary" data-testid="live-generate" disabled={kind.is_err()} onclick={generate(1)}>{ "Generate" }</button>
                        <button type="button" class="button" data-testid="live-burst" disabled={kind.is_err()} onclick={generate(BURST)}>{ format!("Generate {BURST} at once") }</button>
                    </div>
                </div>
                if let Err(e) = &kind { <p class="field-error">{ e.clone() }</p> }
                if let Some(p) = &*problem { <p class="field-error" data-testid="live-problem">{ p.clone() }</p> }
                if made.is_empty() {
                    <p class="muted live-empty">{ "Nothing generated yet: press Generate." }</p>
                } else {
                    <ol class="live-list" data-testid="live-list">
                        { for made.iter().enumerate().map(|(i, d)| live_row(i, d, i == *shown, &shown)) }
                    </ol>
                }
                if let Some(d) = current { <Anatomy decoded={d} /> }
            </div>
        </section>
    }
}

fn live_row(i: usize, d: &Rc<Decoded>, on: bool, shown: &UseStateHandle<usize>) -> Html {
    let show = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(i))
    };
    html! {
        <li class={classes!("live-row", on.then_some("is-active"))} key={d.canonical.clone()}>
            <button type="button" class="live-id" data-testid="live-id" aria-pressed={on.to_string()} title="Show its bits" onclick={show}>
                <code>{ d.canonical.clone() }</code>
            </button>
            <span class="live-time muted">{ d.utc.clone().unwrap_or_else(|| "no time inside".into()) }</span>
            <CopyButton text={AttrValue::from(d.canonical.clone())} />
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct CopyProps {
    text: AttrValue,
}

/// Copies its text; says whether that worked.
#[component]
fn CopyButton(props: &CopyProps) -> Html {
    let state = use_state_eq(|| None::<bool>);
    let onclick = {
        let (state, text) = (state.clone(), props.text.clone());
        Callback::from(move |_: MouseEvent| {
            let (state, text) = (state.clone(), text.clone());
            yew::platform::spawn_local(
                async move { state.set(Some(browser::copy_text(&text).await)) },
            );
        })
    };
    let label = match *state {
        None => "Copy",
        Some(true) => "Copied",
        Some(false) => "Copy failed: select the text",
    };
    html! {
        <button type="button" class={classes!("button", "live-copy", (*state == Some(true)).then_some("is-done"))}
            data-testid="live-copy" aria-label={format!("{label}: {}", props.text)} onclick={onclick}>{ label }</button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_become_a_kind_or_a_message() {
        assert_eq!(
            live_kind("snowflake", "3", " 31 ", "x"),
            Ok(LiveKind::Snowflake {
                datacenter: 3,
                worker: 31,
                epoch_ms: snowflake::TWITTER_EPOCH_MS
            })
        );
        expect_test::expect!["worker id must be a whole number from 0 to 31 (5 bits); got “32”"]
            .assert_eq(&live_kind("snowflake", "0", "32", "").unwrap_err());
        assert_eq!(
            live_kind("sonyflake", "", "", "65535"),
            Ok(LiveKind::Sonyflake {
                machine: 65535,
                start_ms: sonyflake::DEFAULT_START_MS
            })
        );
        assert!(live_kind("sonyflake", "", "", "65536").is_err());
        assert_eq!(live_kind("uuid7", "", "", ""), Ok(LiveKind::UuidV7));
    }

    #[test]
    fn generators_persist_per_kind() {
        let mut gens = Generators::default();
        let mut bytes = hopscope_sim::ids::generate::FixedBytes::new(&[]);
        let kind = live_kind("snowflake", "1", "1", "").unwrap();
        let a = gens
            .get(kind)
            .unwrap()
            .next(1_700_000_000_000, &mut bytes)
            .unwrap();
        gens.get(LiveKind::UuidV4).unwrap();
        let b = gens
            .get(kind)
            .unwrap()
            .next(1_700_000_000_000, &mut bytes)
            .unwrap();
        // The same millisecond: the sequence carried on, so no duplicate.
        assert_eq!(b.value, a.value + 1);
        assert_eq!(gens.0.len(), 2);
    }
}
