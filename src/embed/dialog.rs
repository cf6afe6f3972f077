//! The Embed button and its dialog on every scenario page: the author picks the start step,
//! autoplay, loop, speed, theme, panels and size, and copies the `<iframe>` snippet for the
//! scenario as it is (parameters, seed, compare choice). A real modal `<dialog>`: focus stays
//! inside, Escape closes it. The preview, on request, is the snippet itself.

use super::choices::{ChoiceAction, Choices};
use super::snippet::{embed_hash, iframe_html, Shown};
use crate::playback::Timeline;
use crate::scenario_form::Scenario;
use crate::speed::Speed;
use crate::url_state::embed::{Panel, Theme};
use gloo::timers::callback::Timeout;
use std::rc::Rc;
use web_sys::{HtmlDialogElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EmbedDialogProps {
    pub scenario: Rc<Scenario>,
    /// Compare mode's `compare=KEY:VALUE`, when on.
    pub compare: Option<AttrValue>,
    pub timeline: Rc<Timeline>,
    pub step: Option<usize>,
    pub speed: Speed,
}

#[component]
pub fn EmbedDialog(props: &EmbedDialogProps) -> Html {
    let steps = props.timeline.step_times.len();
    let choices = use_reducer(|| Choices::new(props.step, props.speed, steps));
    let dialog_ref = use_node_ref();
    let open = use_state(|| false);
    let copied = use_state(|| None::<bool>);
    let reset_timer = use_mut_ref(|| None::<Timeout>);

    let on_open = {
        let (choices, dialog_ref, open) = (choices.dispatcher(), dialog_ref.clone(), open.clone());
        let (step, speed) = (props.step, props.speed);
        Callback::from(move |_: MouseEvent| {
            choices.dispatch(ChoiceAction::Open { step, speed, steps });
            if let Some(dialog) = dialog_ref.cast::<HtmlDialogElement>() {
                if dialog.show_modal().is_ok() {
                    open.set(true);
                }
            }
        })
    };
    let on_close_button = {
        let dialog_ref = dialog_ref.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(dialog) = dialog_ref.cast::<HtmlDialogElement>() {
                dialog.close();
            }
        })
    };
    let on_closed = {
        let open = open.clone();
        Callback::from(move |_: Event| open.set(false))
    };

    let s = &props.scenario;
    let shown = Shown {
        block: s.block.id(),
        specs: s.block.params(),
        params: &s.params,
        seed: s.seed,
        compare: props.compare.as_deref(),
        timeline: &props.timeline,
    };
    let options = &choices.options;
    let src = crate::browser::url_with_hash(&embed_hash(&shown, options));
    let title = format!("Hopscope: {}", s.block.title());
    let snippet = iframe_html(&src, options, &title);

    let on_copy = {
        let (copied, snippet) = (copied.clone(), snippet.clone());
        Callback::from(move |_: MouseEvent| {
            let (copied, snippet, reset_timer) =
                (copied.clone(), snippet.clone(), reset_timer.clone());
            yew::platform::spawn_local(async move {
                copied.set(Some(crate::browser::copy_text(&snippet).await));
                let copied = copied.clone();
                *reset_timer.borrow_mut() = Some(Timeout::new(2_000, move || copied.set(None)));
            });
        })
    };
    let copy_label = match *copied {
        None => "Copy snippet",
        Some(true) => "Snippet copied",
        Some(false) => "Copy failed: select the text",
    };
    let text = |make: fn(String) -> ChoiceAction| {
        let d = choices.dispatcher();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                d.dispatch(make(input.value()));
            }
        })
    };
    let tick = |make: Rc<dyn Fn(bool) -> ChoiceAction>| {
        let d = choices.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                d.dispatch(make(input.checked()));
            }
        })
    };
    let on_speed = {
        let d = choices.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(speed) = e
                .target_dyn_into::<HtmlSelectElement>()
                .and_then(|s| Speed::parse(&s.value()))
            {
                d.dispatch(ChoiceAction::Speed(speed));
            }
        })
    };
    let on_theme = {
        let d = choices.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(theme) = e
                .target_dyn_into::<HtmlSelectElement>()
                .and_then(|s| Theme::parse(&s.value()))
            {
                d.dispatch(ChoiceAction::Theme(theme));
            }
        })
    };
    let error = |id: &str, e: &Option<String>| match e {
        Some(e) => {
            html! { <p class="field-error" id={id.to_string()} role="alert">{ e.clone() }</p> }
        }
        None => html! {},
    };
    let c = &*choices;
    let start_hint = match steps {
        0 => "This run has no narrated steps.".to_string(),
        n => format!("1 to {n}; empty starts at the beginning."),
    };

    html! {
        <>
            <button type="button" class="button" data-testid="embed-button" aria-haspopup="dialog" onclick={on_open}>
                { "Embed" }
            </button>
            <dialog ref={dialog_ref} class="embed-dialog" data-testid="embed-dialog" aria-labelledby="embed-dialog-title" onclose={on_closed}>
                <div class="embed-dialog-head">
                    <h2 id="embed-dialog-title">{ "Embed this scenario" }</h2>
                    <button type="button" class="icon-button subtle" aria-label="Close" data-testid="embed-close" onclick={on_close_button}>{ "×" }</button>
                </div>
                <p class="muted">{ "Paste the snippet into any web page. It shows this scenario as it is now: its parameters, seed and comparison." }</p>
                <div class="embed-options">
                    <div class="embed-field">
                        <label for="embed-start">{ "Start at step" }</label>
                        <input id="embed-start" type="text" inputmode="numeric" data-testid="embed-start" value={c.start_text.clone()} oninput={text(ChoiceAction::Start)}
                            aria-invalid={c.start_error.is_some().to_string()} aria-describedby="embed-start-hint embed-start-error" />
                        <small id="embed-start-hint" class="muted">{ start_hint }</small>
                        { error("embed-start-error", &c.start_error) }
                    </div>
                    <label class="embed-field">
                        <span>{ "Speed" }</span>
                        <select data-testid="embed-speed" onchange={on_speed}>
                            { for Speed::ALL.iter().map(|sp| html! { <option value={sp.to_string()} selected={*sp == options.speed}>{ format!("{sp}×") }</option> }) }
                        </select>
                    </label>
                    <label class="embed-field">
                        <span>{ "Theme" }</span>
                        <select data-testid="embed-theme" onchange={on_theme}>
                            { for Theme::ALL.iter().map(|t| html! { <option value={t.name()} selected={*t == options.theme}>{ theme_label(*t) }</option> }) }
                        </select>
                    </label>
                    <div class="embed-field">
                        <label for="embed-width">{ "Width" }</label>
                        <input id="embed-width" type="text" inputmode="numeric" data-testid="embed-width" value={c.width_text.clone()} oninput={text(ChoiceAction::Width)}
                            aria-invalid={c.width_error.is_some().to_string()} aria-describedby="embed-width-error" />
                        { error("embed-width-error", &c.width_error) }
                    </div>
                    <div class="embed-field">
                        <label for="embed-height">{ "Height" }</label>
                        <input id="embed-height" type="text" inputmode="numeric" data-testid="embed-height" value={c.height_text.clone()} oninput={text(ChoiceAction::Height)}
                            aria-invalid={c.height_error.is_some().to_string()} aria-describedby="embed-height-error" />
                        { error("embed-height-error", &c.height_error) }
                    </div>
                    <fieldset class="embed-checks">
                        <legend>{ "Playback" }</legend>
                        <label><input type="checkbox" data-testid="embed-autoplay" checked={options.autoplay} onchange={tick(Rc::new(ChoiceAction::Autoplay))} />{ " Autoplay" }</label>
                        <label><input type="checkbox" data-testid="embed-loop" checked={options.looping} onchange={tick(Rc::new(ChoiceAction::Loop))} />{ " Loop" }</label>
                    </fieldset>
                    <fieldset class="embed-checks">
                        <legend>{ "Panels" }</legend>
                        { for Panel::ALL.iter().map(|panel| {
                            let panel = *panel;
                            html! {
                                <label><input type="checkbox" data-testid={format!("embed-panel-{}", panel.name())} checked={c.panels.has(panel)}
                                    onchange={tick(Rc::new(move |on| ChoiceAction::Panel(panel, on)))} />{ format!(" {}", capitalised(panel.name())) }</label>
                            }
                        }) }
                        { error("embed-panels-error", &c.panels_error) }
                    </fieldset>
                </div>
                <label class="embed-field embed-snippet">
                    <span>{ "Snippet" }</span>
                    <textarea readonly=true rows="4" data-testid="embed-snippet" value={snippet.clone()} onfocus={Callback::from(|e: FocusEvent| {
                        if let Some(area) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() { area.select(); }
                    })} />
                </label>
                <div class="embed-dialog-actions">
                    <label class="embed-preview-toggle"><input type="checkbox" data-testid="embed-preview-toggle" checked={c.preview} onchange={tick(Rc::new(ChoiceAction::Preview))} />{ " Show a live preview" }</label>
                    <button type="button" class={classes!("button", "primary", (*copied == Some(true)).then_some("is-done"))} data-testid="embed-copy" onclick={on_copy}>{ copy_label }</button>
                    <span class="visually-hidden" aria-live="polite">{ if copied.is_some() { copy_label } else { "" } }</span>
                </div>
                if *open && c.preview {
                    <div class="embed-preview">
                        <iframe src={src} width={options.width.to_string()} height={options.height.to_string()} title={format!("Preview: {title}")} data-testid="embed-preview" />
                    </div>
                }
            </dialog>
        </>
    }
}

fn theme_label(theme: Theme) -> &'static str {
    match theme {
        Theme::Auto => "Reader's setting",
        Theme::Light => "Light",
        Theme::Dark => "Dark",
    }
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}
