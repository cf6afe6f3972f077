//! The Compare toggle and, while comparing, what to compare by: the parameter, A's value (the
//! form's) and B's value (a menu for a choice, a field otherwise), with B's problems under it.

use super::choice::{comparable, default_value, value_of, Compare, CompareAction};
use super::Compared;
use crate::scenario_form::Scenario;
use hopscope_sim::{ParamError, ParamKind};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CompareBarProps {
    /// Scenario A: the form's.
    pub scenario: Rc<Scenario>,
    pub compare: Compare,
    /// Why B cannot run with A's other values, if it cannot.
    #[prop_or_default]
    pub problem: Option<ParamError>,
    pub on_action: Callback<CompareAction>,
}

#[component]
pub fn CompareBar(props: &CompareBarProps) -> Html {
    let c = &props.compare;
    let block = props.scenario.block;
    let a_of = {
        let scenario = props.scenario.clone();
        move |key: &str| value_of(&scenario.params, key)
    };
    let on_toggle = {
        let (cb, on, spec, a_params) = (
            props.on_action.clone(),
            c.on,
            c.spec,
            props.scenario.clone(),
        );
        Callback::from(move |_: MouseEvent| match spec {
            Some(_) if on => cb.emit(CompareAction::Stop),
            Some(spec) => cb.emit(CompareAction::Start {
                default: default_value(block, spec, &a_params.params),
            }),
            None => {}
        })
    };
    let toggle = html! {
        <button type="button" class={classes!("button", "compare-toggle", c.on.then_some("is-active"))} data-testid="compare-toggle"
            aria-pressed={c.on.to_string()} disabled={c.spec.is_none()} onclick={on_toggle}
            title="Run the same traffic twice with one parameter changed, side by side">
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h7v16H4zM13 4h7v16h-7z" /></svg>
            { if c.on { "Comparing" } else { "Compare" } }
        </button>
    };
    let Some(spec) = c.spec.filter(|_| c.on) else {
        return toggle;
    };
    let on_key = {
        let (cb, a_params) = (props.on_action.clone(), props.scenario.clone());
        Callback::from(move |e: Event| {
            let Some(select) = e.target_dyn_into::<HtmlSelectElement>() else {
                return;
            };
            let key = select.value();
            if let Some(spec) = comparable(block.params()).find(|s| s.key == key) {
                let value = default_value(block, spec, &a_params.params);
                cb.emit(CompareAction::SetKey { spec, value });
            }
        })
    };
    let value_control = match spec.kind {
        ParamKind::Choice(words) => {
            let cb = props.on_action.clone();
            let onchange = Callback::from(move |e: Event| {
                if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                    cb.emit(CompareAction::SetValue(select.value()));
                }
            });
            html! {
                <select id="compare-value" data-testid="compare-value" onchange={onchange}>
                    { for words.iter().map(|w| html! { <option value={*w} selected={*w == c.text.trim()}>{ *w }</option> }) }
                </select>
            }
        }
        _ => {
            let cb = props.on_action.clone();
            let oninput = Callback::from(move |e: InputEvent| {
                if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                    cb.emit(CompareAction::SetValue(input.value()));
                }
            });
            html! {
                <input id="compare-value" type="text" autocomplete="off" spellcheck="false" data-testid="compare-value"
                    value={c.text.clone()} oninput={oninput} aria-invalid={c.error.is_some().to_string()} />
            }
        }
    };
    let message = match (&c.error, &props.problem) {
        (Some(e), _) => Some(format!(
            "B “{}” is not allowed: expected {}. B keeps its last good value.",
            e.value, e.allowed
        )),
        (None, Some(e)) => Some(format!(
            "B cannot run with A’s other values: {e}. Showing A alone."
        )),
        (None, None) => None,
    };
    let seed = props.scenario.seed;
    let note = if c.value.as_deref() == Some(a_of(spec.key).as_str()) {
        "B is the same as A: pick another value for B.".to_string()
    } else {
        format!(
            "A runs the form’s value. Both run seed {seed}: the same arrivals, only {} differs.",
            spec.label.to_ascii_lowercase()
        )
    };
    html! {
        <>
            { toggle }
            <div class={classes!("compare-bar", message.is_some().then_some("has-error"))} data-testid="compare-bar" role="group" aria-label="Compare">
                <label class="compare-field">
                    <span class="compare-caption">{ "Compare by" }</span>
                    <select data-testid="compare-key" onchange={on_key}>
                        { for comparable(block.params()).map(|s| html! {
                            <option value={s.key} selected={s.key == spec.key}>{ s.label }</option>
                        }) }
                    </select>
                </label>
                <div class="compare-field" title="A runs the form’s value">
                    { super::badge("A") }
                    <code class="compare-a" data-testid="compare-a">{ Compared::shown(&a_of(spec.key)) }</code>
                </div>
                <label class="compare-field">
                    { super::badge("B") }
                    { value_control }
                </label>
                <p class="compare-note" data-testid="compare-note">{ note }</p>
                <div class="field-message">
                    { for message.map(|m| html! { <p class="field-error" role="alert" data-testid="compare-error">{ m }</p> }) }
                </div>
            </div>
        </>
    }
}
