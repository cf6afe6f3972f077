//! The transport bar: play/pause, step back/forward by narrated step, the scrub slider over the
//! whole run, the speed menu, the clock and the step counter.
//!
//! It only reports actions; where the cursor goes is the playback reducer's business.

use crate::playback::PlaybackAction;
use crate::speed::Speed;
use hopscope_sim::SimTime;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub t: SimTime,
    pub duration: SimTime,
    pub step: Option<usize>,
    pub steps: usize,
    pub playing: bool,
    pub speed: Speed,
    pub can_step_back: bool,
    pub can_step_forward: bool,
    pub on_action: Callback<PlaybackAction>,
}

#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    let act = |action: PlaybackAction| {
        let cb = props.on_action.clone();
        Callback::from(move |_: MouseEvent| cb.emit(action.clone()))
    };
    let on_scrub = {
        let cb = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                if let Ok(t) = input.value().parse::<u64>() {
                    cb.emit(PlaybackAction::Seek(SimTime(t)));
                }
            }
        })
    };
    let on_speed = {
        let cb = props.on_action.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                if let Some(speed) = Speed::parse(&select.value()) {
                    cb.emit(PlaybackAction::SetSpeed(speed));
                }
            }
        })
    };
    let (play_label, play_icon) = if props.playing {
        ("Pause", ICON_PAUSE)
    } else {
        ("Play", ICON_PLAY)
    };
    let step_text = match (props.step, props.steps) {
        (_, 0) => "no narrated steps".to_string(),
        (Some(i), n) => format!("step {} of {n}", i + 1),
        (None, n) => format!("before step 1 of {n}"),
    };
    let progress = if props.duration.0 == 0 {
        0.0
    } else {
        props.t.0 as f64 / props.duration.0 as f64 * 100.0
    };
    html! {
        <div class="controls" role="group" aria-label="Playback">
            <div class="transport">
                <button class="icon-button" data-testid="step-back" aria-label="Step back" title="Step back (←)" disabled={!props.can_step_back} onclick={act(PlaybackAction::StepBack)}>
                    { icon(ICON_BACK) }
                </button>
                <button class="icon-button primary" data-testid="play" aria-label={play_label} title={format!("{play_label} (Space)")} onclick={act(PlaybackAction::TogglePlay)}>
                    { icon(play_icon) }
                </button>
                <button class="icon-button" data-testid="step-forward" aria-label="Step forward" title="Step forward (→)" disabled={!props.can_step_forward} onclick={act(PlaybackAction::StepForward)}>
                    { icon(ICON_FORWARD) }
                </button>
            </div>
            <input class="scrub" type="range" data-testid="scrub" aria-label="Time" min="0" max={props.duration.0.to_string()} step="1"
                value={props.t.0.to_string()} oninput={on_scrub} style={format!("--progress: {progress:.3}%")} aria-valuetext={props.t.to_string()} />
            <div class="readout">
                <span class="clock" data-testid="clock" title="Virtual time of the cursor / length of the run">
                    { props.t.to_string() }<span class="muted">{ " / " }{ props.duration.to_string() }</span>
                </span>
                <span class="step-index" data-testid="step-index">{ step_text }</span>
            </div>
            <label class="speed">
                <span class="visually-hidden">{ "Speed" }</span>
                <select data-testid="speed" aria-label="Speed" onchange={on_speed}>
                    { for Speed::ALL.iter().map(|s| html! {
                        <option value={s.to_string()} selected={*s == props.speed}>{ format!("{s}×") }</option>
                    }) }
                </select>
            </label>
        </div>
    }
}

const ICON_PLAY: &str =
    "M8 5.5v13a1 1 0 0 0 1.5.86l10.5-6.5a1 1 0 0 0 0-1.72L9.5 4.64A1 1 0 0 0 8 5.5z";
const ICON_PAUSE: &str = "M7 5h3.5v14H7zM13.5 5H17v14h-3.5z";
const ICON_BACK: &str = "M6 5h2v14H6zM19 5.8v12.4a.8.8 0 0 1-1.24.66L9.5 13a1.2 1.2 0 0 1 0-2l8.26-5.86A.8.8 0 0 1 19 5.8z";
const ICON_FORWARD: &str = "M16 5h2v14h-2zM5 5.8v12.4a.8.8 0 0 0 1.24.66L14.5 13a1.2 1.2 0 0 0 0-2L6.24 5.14A.8.8 0 0 0 5 5.8z";

fn icon(d: &'static str) -> Html {
    html! { <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d={d} /></svg> }
}
