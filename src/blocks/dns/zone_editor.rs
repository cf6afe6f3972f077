//! The zone files of the internet the resolver walks, editable in the page (issue 3, item 5).
//!
//! One tab per zone, prefilled with the run's zones (the default internet unless the permalink
//! says otherwise). Each keystroke re-checks the zones with the engine's parser
//! (`zone_check`): an error is marked at its line in the gutter and under the text, with its
//! line and column. "Apply" sends every zone at once as the `zone` parameter's documents
//! (`FormAction::SetDocuments`), and only when all of them parse and fit together; the run and
//! the address follow. The editor never re-runs anything by itself while the text is wrong.

use super::zone_check::{self, ZoneCheck};
use crate::run_data::SharedRun;
use crate::scenario_form::FormAction;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use yew::prelude::*;

/// The parameter holding the zone files.
const ZONE: &str = "zone";

/// What "New zone" starts from: a subzone of example.com, with how to make it reachable.
const NEW_ZONE: &str =
    "; A new zone. Resolvers find it only through its parent: add to example.com's zone
; an NS record and its glue,
;   shop      IN NS  ns1.shop
;   ns1.shop  IN A   192.0.2.99
; apply, and look up www.shop.example.com.
$ORIGIN shop.example.com.
$TTL 3600
@     IN SOA  ns1 hostmaster 1 7200 3600 1209600 300
      IN NS   ns1
ns1   IN A    192.0.2.99
www   IN A    192.0.2.100
";

#[derive(Properties, PartialEq)]
pub struct ZoneEditorProps {
    pub run: SharedRun,
    pub on_form: Callback<FormAction>,
}

#[derive(Clone, PartialEq)]
struct Editor {
    texts: Vec<String>,
    selected: usize,
    /// The zones the run uses, to tell edits from what is in force.
    running: Rc<Vec<String>>,
    /// Applied, and the run has not picked the zones up yet (the form refused them if it never
    /// does: another field is invalid, or a rule across fields fails).
    applying: bool,
}

enum EditorAction {
    /// The run's zones changed (applied, restored, a preset): start over from them.
    Load(Rc<Vec<String>>),
    Select(usize),
    Edit(String),
    Add,
    Remove,
    Applying,
}

impl Reducible for Editor {
    type Action = EditorAction;

    fn reduce(self: Rc<Self>, action: EditorAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            EditorAction::Load(running) => {
                next.texts = (*running).clone();
                next.selected = next.selected.min(next.texts.len().saturating_sub(1));
                next.running = running;
                next.applying = false;
            }
            EditorAction::Select(i) => next.selected = i.min(next.texts.len().saturating_sub(1)),
            EditorAction::Edit(text) => {
                if let Some(slot) = next.texts.get_mut(next.selected) {
                    *slot = text;
                }
                next.applying = false;
            }
            EditorAction::Add => {
                next.texts.push(NEW_ZONE.to_string());
                next.selected = next.texts.len() - 1;
            }
            EditorAction::Remove if next.texts.len() > 1 => {
                next.texts.remove(next.selected);
                next.selected = next.selected.min(next.texts.len() - 1);
            }
            EditorAction::Remove => {}
            EditorAction::Applying => next.applying = true,
        }
        Rc::new(next)
    }
}

/// The zone documents of a run's parameters.
fn docs_of(run: &SharedRun) -> Vec<String> {
    run.run.params[ZONE]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|d| d.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The text of the input or textarea an event came from.
fn value_of(e: &InputEvent) -> Option<String> {
    let target: JsValue = e.target()?.into();
    js_sys::Reflect::get(&target, &JsValue::from_str("value"))
        .ok()?
        .as_string()
}

#[component]
pub fn ZoneEditor(props: &ZoneEditorProps) -> Html {
    let running = use_memo(props.run.clone(), |run| {
        Rc::new(zone_check::running_texts(&docs_of(run)))
    });
    let editor = use_reducer({
        let running = (*running).clone();
        move || Editor {
            texts: (*running).clone(),
            selected: 0,
            running,
            applying: false,
        }
    });
    {
        let dispatcher = editor.dispatcher();
        use_effect_with((*running).clone(), move |running| {
            dispatcher.dispatch(EditorAction::Load(running.clone()))
        });
    }
    let defaults = use_memo((), |_| zone_check::default_texts());
    let check = use_memo(editor.texts.clone(), |texts| zone_check::check(texts));

    let texts = &editor.texts;
    let changed = *texts != *editor.running;
    let ok = check.ok();
    let apply = {
        let (on_form, dispatcher, texts) =
            (props.on_form.clone(), editor.dispatcher(), texts.clone());
        Callback::from(move |_: ()| {
            dispatcher.dispatch(EditorAction::Applying);
            on_form.emit(FormAction::SetDocuments {
                key: ZONE.to_string(),
                docs: zone_check::documents_for(&texts),
            });
        })
    };
    let restore = {
        let (on_form, dispatcher, defaults) =
            (props.on_form.clone(), editor.dispatcher(), defaults.clone());
        Callback::from(move |_: MouseEvent| {
            on_form.emit(FormAction::SetDocuments {
                key: ZONE.to_string(),
                docs: Vec::new(),
            });
            dispatcher.dispatch(EditorAction::Load(Rc::new((*defaults).clone())));
        })
    };
    let discard = {
        let (dispatcher, running) = (editor.dispatcher(), editor.running.clone());
        Callback::from(move |_: MouseEvent| {
            dispatcher.dispatch(EditorAction::Load(running.clone()))
        })
    };
    let act = |action: fn() -> EditorAction| {
        let dispatcher = editor.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(action()))
    };
    let select = |i: usize| {
        let dispatcher = editor.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(EditorAction::Select(i)))
    };
    let is_default = *texts == *defaults && *editor.running == *defaults;

    html! {
        <section class="panel zone-panel" aria-label="Zone files" data-testid="zone-editor">
            <div class="panel-head">
                <h2>{ "Zone files" }<span class="muted">{ format!(" · {} zones", texts.len()) }</span></h2>
                <button type="button" class="link-button" data-testid="zone-restore" disabled={is_default} onclick={restore}>
                    { "Restore default zones" }
                </button>
            </div>
            <div class="zone-body">
                <div class="zone-tabs">
                <div class="zone-tablist" role="tablist" aria-label="Zones">
                    { for texts.iter().enumerate().map(|(i, text)| {
                        let bad = check.errors.get(i).is_some_and(Option::is_some)
                            || check.setup.as_ref().is_some_and(|(at, _)| *at == Some(i));
                        let edited = !editor.running.contains(text);
                        let label = zone_check::label(text, i);
                        html! {
                            <button type="button" role="tab" aria-selected={(i == editor.selected).to_string()}
                                class={classes!("zone-tab", (i == editor.selected).then_some("is-selected"), bad.then_some("is-error"), edited.then_some("is-edited"))}
                                data-testid="zone-tab" data-zone={label.clone()} onclick={select(i)}>
                                { label }
                                if edited { <span class="zone-edited" title="edited, not applied">{ "•" }</span> }
                            </button>
                        }
                    }) }
                </div>
                    <button type="button" class="zone-tab zone-add" data-testid="zone-add" onclick={act(|| EditorAction::Add)}>{ "+ New zone" }</button>
                </div>
                { editor_view(&editor, &check, apply.clone()) }
                { messages(&editor, &check, changed, &select) }
                <div class="zone-actions">
                    <button type="button" class="button primary" data-testid="zone-apply" disabled={!(ok && changed)}
                        onclick={apply.reform(|_: MouseEvent| ())}>
                        { "Apply zones" }
                    </button>
                    if changed {
                        <button type="button" class="button" data-testid="zone-discard" onclick={discard}>{ "Discard edits" }</button>
                    }
                    <button type="button" class="link-button" data-testid="zone-remove" disabled={texts.len() < 2}
                        onclick={act(|| EditorAction::Remove)}>
                        { format!("Remove {}", zone_check::label(&texts[editor.selected.min(texts.len() - 1)], editor.selected)) }
                    </button>
                    <span class="muted zone-hint">{ "RFC 1035 master files. Ctrl+Enter applies; applied zones are part of the link." }</span>
                </div>
            </div>
        </section>
    }
}

/// The selected zone's text with a line-number gutter; its error's line marked in both.
fn editor_view(editor: &UseReducerHandle<Editor>, check: &ZoneCheck, apply: Callback<()>) -> Html {
    let i = editor.selected;
    let Some(text) = editor.texts.get(i) else {
        return Html::default();
    };
    let error = check.errors.get(i).and_then(Option::as_ref);
    let lines = text.split('\n').count();
    // Sized to its text (no wrapping, no inner scrolling): the frame scrolls the gutter and the
    // text together, so line numbers stay beside their lines.
    let cols = text
        .split('\n')
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let bad_line = error.map(|e| e.line as usize);
    let oninput = {
        let dispatcher = editor.dispatcher();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = value_of(&e) {
                dispatcher.dispatch(EditorAction::Edit(v));
            }
        })
    };
    let can_apply = check.ok() && editor.texts != *editor.running;
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
            e.prevent_default();
            if can_apply {
                apply.emit(());
            }
        }
    });
    let label = zone_check::label(text, i);
    html! {
        <div class={classes!("zone-code", error.is_some().then_some("has-error"))}>
            <div class="zone-gutter" aria-hidden="true" data-testid="zone-gutter">
                { for (1..=lines).map(|n| html! {
                    <span class={classes!((bad_line == Some(n)).then_some("is-error"))} data-line={n.to_string()}>{ n }</span>
                }) }
            </div>
            <div class="zone-text">
                if let Some(e) = error {
                    <span class="zone-band" style={format!("--line:{};--col:{}", e.line.saturating_sub(1), e.col.saturating_sub(1))}></span>
                }
                <textarea key={i.to_string()} data-testid="zone-text" aria-label={format!("Zone file for {label}")}
                    spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off" rows={lines.to_string()} cols={cols.to_string()}
                    aria-invalid={error.is_some().to_string()} aria-describedby="zone-message"
                    value={text.clone()} {oninput} {onkeydown} />
            </div>
        </div>
    }
}

/// What is wrong (the selected zone's error first, with its line and column), or that all is well.
fn messages(
    editor: &UseReducerHandle<Editor>,
    check: &ZoneCheck,
    changed: bool,
    select: &dyn Fn(usize) -> Callback<MouseEvent>,
) -> Html {
    let i = editor.selected;
    let label = |k: usize| {
        editor
            .texts
            .get(k)
            .map_or_else(String::new, |t| zone_check::label(t, k))
    };
    let own = check.errors.get(i).and_then(Option::as_ref);
    let others: Vec<(usize, String)> = check
        .errors
        .iter()
        .enumerate()
        .filter(|(k, _)| *k != i)
        .filter_map(|(k, e)| e.as_ref().map(|e| (k, e.to_string())))
        .collect();
    html! {
        <div class="zone-messages" id="zone-message">
            if let Some(e) = own {
                <p class="zone-error" role="alert" data-testid="zone-error" data-line={e.line.to_string()}>
                    <strong>{ format!("Line {}, column {}: ", e.line, e.col) }</strong>
                    { format!("expected {}, found {}.", e.expected, e.found) }
                </p>
            }
            if !others.is_empty() {
                <ul class="zone-others" role="alert">
                    { for others.into_iter().map(|(k, e)| html! {
                        <li><button type="button" class="link-button" onclick={select(k)}>{ label(k) }</button>{ e }</li>
                    }) }
                </ul>
            }
            if let Some((at, message)) = &check.setup {
                <p class="zone-error" role="alert" data-testid="zone-error">
                    { "These zones do not make an internet: expected " }{ message.clone() }
                    if let Some(k) = at {
                        { " — see " }<button type="button" class="link-button" onclick={select(*k)}>{ label(*k) }</button>
                    }
                </p>
            }
            if check.ok() {
                <p class="zone-ok" data-testid="zone-status">{
                    match (changed, editor.applying) {
                        (true, true) => "Not applied: the scenario has another invalid setting (see its message in the Scenario panel).".to_string(),
                        (true, false) => format!("All {} zones parse. Apply them to re-run the lookups.", editor.texts.len()),
                        (false, _) => format!("All {} zones parse and are in use.", editor.texts.len()),
                    }
                }</p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hopscope_sim::{registry, run_scenario};

    #[test]
    fn a_new_zone_resolves_once_its_parent_delegates_to_it() {
        let mut texts = zone_check::default_texts();
        texts.push(NEW_ZONE.to_string());
        assert!(
            zone_check::check(&texts).ok(),
            "the template parses and fits"
        );
        texts[10].push_str("shop      IN NS  ns1.shop\nns1.shop  IN A   192.0.2.99\n");
        assert!(zone_check::check(&texts).ok());
        let dns = *registry::blocks()
            .iter()
            .find(|b| b.id() == "dns")
            .expect("dns is registered");
        let mut values: Vec<(&str, &str)> = texts.iter().map(|t| ("zone", t.as_str())).collect();
        values.push(("name", "www.shop.example.com"));
        let run = run_scenario(dns, &values, 1).expect("valid zones");
        let lookup = &run.result["lookups"][0];
        assert_eq!(
            lookup["answer"][0],
            "www.shop.example.com. 3600 IN A 192.0.2.100"
        );
        assert_eq!(lookup["queries"].as_array().map(Vec::len), Some(4));
    }
}
