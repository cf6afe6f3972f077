//! The block's presets: one button each, applying the defaults plus the preset's values.

use crate::scenario_form::FormAction;
use hopscope_sim::Preset;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PresetsProps {
    pub presets: &'static [Preset],
    /// The preset the running parameters match exactly.
    pub active: Option<&'static str>,
    pub on_action: Callback<FormAction>,
}

#[component]
pub fn Presets(props: &PresetsProps) -> Html {
    if props.presets.is_empty() {
        return Html::default();
    }
    let story = props
        .active
        .and_then(|id| props.presets.iter().find(|p| p.id == id))
        .map(|p| p.story);
    html! {
        <div class="presets">
            <div class="preset-buttons" role="group" aria-label="Presets">
                { for props.presets.iter().map(|p| {
                    let cb = props.on_action.clone();
                    let id = p.id;
                    let active = props.active == Some(p.id);
                    html! {
                        <button type="button" class={classes!("chip", active.then_some("is-active"))} data-testid={format!("preset-{}", p.id)}
                            title={p.story} aria-pressed={active.to_string()}
                            onclick={Callback::from(move |_: MouseEvent| cb.emit(FormAction::ApplyPreset(id.to_string())))}>
                            { p.title }
                        </button>
                    }
                }) }
            </div>
            <p class="preset-story">{ story.unwrap_or("Custom parameters: pick a preset to start from a story.") }</p>
        </div>
    }
}
