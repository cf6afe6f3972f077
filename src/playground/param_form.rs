//! The parameter form, generated from the block's `ParamSpec`s: a field per parameter (a menu
//! for a choice), its label, unit and help, and the seed. A bad value gets its message right
//! under the field and changes nothing else.
//!
//! Messages live in wrappers that are always there: Yew diffs unkeyed children by position, and
//! a message appearing beside an input would otherwise re-create the input and lose its focus.

use super::param_groups::{param_groups, FieldGroup};
use crate::scenario_form::{FormAction, ScenarioForm};
use crate::url_state::SEED;
use hopscope_sim::{ParamError, ParamKind, ParamSpec};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ParamFormProps {
    pub form: ScenarioForm,
    pub on_action: Callback<FormAction>,
}

#[component]
pub fn ParamForm(props: &ParamFormProps) -> Html {
    let form = &props.form;
    let specs = form.block.params();
    let known = |key: &str| key == SEED || specs.iter().any(|s| s.key == key);
    let stray = form
        .errors
        .values()
        .filter(|e| !known(&e.key))
        .map(error_line);
    let on_seed = {
        let cb = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                cb.emit(FormAction::SetSeed(input.value()));
            }
        })
    };
    let seed_error = form.errors.get(SEED);
    html! {
        <form class="param-form" novalidate=true onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <div class="form-message">{ for stray }</div>
            { for param_groups(form.block).into_iter().enumerate().map(|(i, (title, members))| {
                let errors = members.iter().filter(|s| form.errors.contains_key(s.key)).count();
                let changed = members.iter().filter(|s| form.changed.contains(s.key)).count();
                html! {
                    <FieldGroup key={title} title={title} first={i == 0} errors={errors} changed={changed}>
                        { for members.iter().map(|spec| field(spec, form.draft(spec.key), form.errors.get(spec.key), &props.on_action)) }
                    </FieldGroup>
                }
            }) }
            <div class={classes!("field", seed_error.is_some().then_some("has-error"))}>
                <label for="param-seed">{ "Seed" }</label>
                <input id="param-seed" type="text" inputmode="numeric" autocomplete="off" spellcheck="false" data-testid="seed"
                    value={form.seed_text.clone()} oninput={on_seed} aria-invalid={seed_error.is_some().to_string()}
                    aria-describedby="help-seed" />
                <p class="help" id="help-seed">{ "The same seed always gives the same run." }</p>
                <div class="field-message">{ for seed_error.map(error_line) }</div>
            </div>
        </form>
    }
}

fn field(
    spec: &ParamSpec,
    text: &str,
    error: Option<&ParamError>,
    on_action: &Callback<FormAction>,
) -> Html {
    let key = spec.key;
    let id = format!("param-{key}");
    let help_id = format!("help-{key}");
    let invalid = error.is_some().to_string();
    let control = match spec.kind {
        ParamKind::Choice(words) => {
            let cb = on_action.clone();
            let onchange = Callback::from(move |e: Event| {
                if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                    cb.emit(FormAction::SetParam {
                        key: key.to_string(),
                        text: select.value(),
                    });
                }
            });
            html! {
                <select id={id.clone()} data-testid={id.clone()} onchange={onchange} aria-invalid={invalid} aria-describedby={help_id.clone()}>
                    { for words.iter().map(|w| html! { <option value={*w} selected={*w == text.trim()}>{ *w }</option> }) }
                </select>
            }
        }
        // Several whole files (zone files) have no one-line form: a block's own panel edits
        // them together (`FormAction::SetDocuments`), and the CLI reads them from paths.
        ParamKind::Documents { max_docs, .. } if max_docs > 1 => html! {
            <p class="docs-note" id={id.clone()} data-testid={id.clone()}>
                { "Whole files, edited together in this page's own editor, or given to the CLI as " }
                <code>{ format!("--set {key}=PATH") }</code>{ "." }
            </p>
        },
        kind => {
            let cb = on_action.clone();
            let oninput = Callback::from(move |e: InputEvent| {
                if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                    cb.emit(FormAction::SetParam {
                        key: key.to_string(),
                        text: input.value(),
                    });
                }
            });
            let mode = match kind {
                ParamKind::Int { .. } => "numeric",
                _ => "decimal",
            };
            html! {
                <input id={id.clone()} type="text" inputmode={mode} autocomplete="off" spellcheck="false" data-testid={id.clone()}
                    value={text.to_string()} oninput={oninput} aria-invalid={invalid} aria-describedby={help_id.clone()} />
            }
        }
    };
    html! {
        <div class={classes!("field", error.is_some().then_some("has-error"))} key={key}>
            <label for={id}>
                { spec.label }
                if !spec.unit.is_empty() {
                    <span class="unit">{ spec.unit }</span>
                }
            </label>
            { control }
            <p class="help" id={help_id}>{ spec.help }<span class="allowed">{ format!(" Allowed: {}.", spec.kind.allowed()) }</span></p>
            <div class="field-message">{ for error.map(error_line) }</div>
        </div>
    }
}

/// The message beside a field: what was given and what is allowed.
fn error_line(e: &ParamError) -> Html {
    let shown: String = if e.value.chars().count() > 40 {
        format!("{}…", e.value.chars().take(40).collect::<String>())
    } else {
        e.value.clone()
    };
    html! {
        <p class="field-error" role="alert" data-testid={format!("param-error-{}", e.key)}>
            { format!("{} “{shown}” is not allowed: expected {}.", e.key, e.allowed) }
        </p>
    }
}
