//! A trace typed or pasted in the page: one key per line, `#` starts a comment, blank lines
//! skipped (the engine's `parse_trace`). Each edit sets the `trace` parameter through the form
//! (whose own field is one line and cannot hold a file), and a bad line is shown here with its
//! number, checked by the same parser the run uses (in the engine's bundle: `engine::checks`).

use crate::engine::checks::{ask, Answer, Question};
use crate::run_data::SharedRun;
use crate::scenario_form::FormAction;
use wasm_bindgen::JsValue;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TraceEditorProps {
    pub run: SharedRun,
    pub on_form: Callback<FormAction>,
}

/// The run's own trace, if it has one.
fn running_trace(run: &SharedRun) -> String {
    run.run
        .params
        .get("trace")
        .and_then(|v| v.get(0))
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

#[component]
pub fn TraceEditor(props: &TraceEditorProps) -> Html {
    let text = use_state(|| running_trace(&props.run));
    let oninput = {
        let (text, on_form) = (text.clone(), props.on_form.clone());
        Callback::from(move |e: InputEvent| {
            let Some(value) = e.target().and_then(|t| {
                js_sys::Reflect::get(&JsValue::from(t), &JsValue::from_str("value"))
                    .ok()?
                    .as_string()
            }) else {
                return;
            };
            on_form.emit(FormAction::SetParam {
                key: "trace".into(),
                text: value.clone(),
            });
            text.set(value);
        })
    };
    let error = (!text.trim().is_empty())
        .then(|| {
            match ask(Question::Trace {
                text: (*text).clone(),
            }) {
                Answer::Trace(error) => error,
                _ => None,
            }
        })
        .flatten();
    html! {
        <section class="panel cache-trace" data-testid="trace-panel" aria-label="Access trace">
            <h2>{ "Access trace" }<span class="muted">{ " one key per line, # for comments; replaces the workload" }</span></h2>
            <div class="cache-trace-body">
                <textarea data-testid="trace-editor" rows="6" spellcheck="false" aria-label="Access trace, one key per line"
                    aria-invalid={error.is_some().to_string()} value={(*text).clone()} oninput={oninput} />
                if let Some(e) = error {
                    <p class="cache-trace-error" data-testid="trace-error" role="alert">{ e.to_string() }</p>
                }
            </div>
        </section>
    }
}
