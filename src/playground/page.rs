//! The playground page for one block: wires the URL, the two reducers (form and cursor), the
//! engine worker's runs and the views. It never asks which block it shows.
//!
//! Two components: [`Playground`] owns the form and asks the engine (in its Web Worker) for the
//! form's run, showing progress until the first one is in; [`PlaygroundView`] is the page around
//! a finished run, and stays mounted (cursor and all) while newer runs compute.

use super::computing::{Computing, ComputingNow, EngineStatus};
use super::controls::Controls;
use super::export::Export;
use super::narration::Narration;
use super::node_state::NodeState;
use super::param_form::ParamForm;
use super::presets::Presets;
use super::results::Results;
use super::topology::Topology;
use super::url_banner::UrlBanner;
use crate::animation::use_animation_frames;
use crate::chart::panel::Charts;
use crate::compare::bar::CompareBar;
use crate::compare::charts::CompareCharts;
use crate::compare::choice::{Compare, CompareAction};
use crate::compare::stage::{CompareNodes, CompareStage};
use crate::compare::table::CompareTable;
use crate::compare::use_compared;
use crate::embed::bridge::use_embed_bridge;
use crate::engine::hook::use_engine_run;
use crate::playback::{Playback, PlaybackAction};
use crate::run_data::SharedRun;
use crate::scenario_form::{FormAction, ScenarioForm};
use crate::shortcuts::KeyboardShortcuts;
use crate::url_state::{
    format_cursor_query, format_hash, format_scenario_query, parse_query, resolve_params,
    DEFAULT_SEED,
};
use crate::url_sync::use_url_sync;
use hopscope_sim::{BlockSpec, ParamError};
use std::rc::Rc;
use yew::html::ImplicitClone;
use yew::prelude::*;

/// A registered block, compared by id.
#[derive(Clone, Copy)]
pub struct BlockRef(pub &'static dyn BlockSpec);

impl PartialEq for BlockRef {
    fn eq(&self, other: &Self) -> bool {
        self.0.id() == other.0.id()
    }
}

#[derive(Properties, PartialEq)]
pub struct PlaygroundProps {
    pub block: BlockRef,
    /// The query of the URL the page was opened with (`?seed=…`), read once.
    pub query: AttrValue,
}

/// What the URL asked for, after checking.
#[derive(Clone)]
struct Opening {
    form: ScenarioForm,
    t: Option<hopscope_sim::SimTime>,
    step: Option<usize>,
    speed: Option<crate::speed::Speed>,
    compare: Compare,
    errors: Vec<ParamError>,
    embed: crate::url_state::embed::EmbedFlags,
}

fn open(block: &'static dyn BlockSpec, query: &str) -> Opening {
    let (state, mut errors) = parse_query(query, block.params());
    let (params, rule_errors) = resolve_params(block, &state.params);
    errors.extend(rule_errors);
    let (compare, compare_errors) = Compare::from_url(block, &params, state.compare.as_deref());
    errors.extend(compare_errors);
    let form = ScenarioForm::new(block, params, state.seed.unwrap_or(DEFAULT_SEED));
    Opening {
        form,
        t: state.t,
        step: state.step,
        speed: state.speed,
        compare,
        errors,
        embed: state.embed,
    }
}

#[component]
pub fn Playground(props: &PlaygroundProps) -> Html {
    let block = props.block.0;
    let opening = use_memo((), {
        let query = props.query.clone();
        move |_| open(block, &query)
    });
    let form = use_reducer({
        let opening = opening.clone();
        move || opening.form.clone()
    });
    let engine = use_engine_run(Some(form.current.request()));
    let on_form = {
        let dispatcher = form.dispatcher();
        use_callback((), move |action: FormAction, _| dispatcher.dispatch(action))
    };
    // The engine's status reaches the two views that show it (progress, the JSON download)
    // through a context: a progress message re-renders them, not the whole page around the run.
    let status = EngineStatus {
        computing: engine.computing,
        failed: engine.failed.clone(),
        json_url: engine.json_url.clone(),
    };
    match engine.ready.clone() {
        Some(run) => html! {
            <ContextProvider<EngineStatus> context={status}>
                <PlaygroundView block={props.block} opening={OpeningRef(opening)} form={FormRef(form.clone())}
                    on_form={on_form} run={run} />
            </ContextProvider<EngineStatus>>
        },
        None => html! {
            <div class="playground" data-testid="playground-loading" data-scenario={block.id()} aria-busy="true">
                <header class="page-head">
                    <div class="page-title">
                        <h1>{ block.title() }</h1>
                        <p class="lede">{ block.summary() }</p>
                    </div>
                </header>
                <section class="panel stage" aria-label="Simulation">
                    <Computing status={status} />
                </section>
            </div>
        },
    }
}

/// The URL's opening, compared by pointer (it is read once).
#[derive(Clone)]
pub struct OpeningRef(Rc<Opening>);

impl PartialEq for OpeningRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl ImplicitClone for OpeningRef {}

/// The form's state handle.
#[derive(Clone, PartialEq)]
pub struct FormRef(UseReducerHandle<ScenarioForm>);

impl ImplicitClone for FormRef {}

#[derive(Properties, PartialEq)]
pub struct PlaygroundViewProps {
    pub block: BlockRef,
    pub opening: OpeningRef,
    pub form: FormRef,
    pub on_form: Callback<FormAction>,
    /// The latest finished run (of the form's scenario, or of an earlier one while it computes).
    pub run: SharedRun,
}

#[component]
pub fn PlaygroundView(props: &PlaygroundViewProps) -> Html {
    let block = props.block.0;
    let opening = props.opening.0.clone();
    let form = props.form.0.clone();
    let on_form = props.on_form.clone();
    let run = props.run.clone();
    let data = run.0.clone();
    // Compare mode: run B beside A; the cursor then moves over both runs' merged timeline.
    let compare = use_reducer({
        let opening = opening.clone();
        move || opening.compare.clone()
    });
    let compared = use_compared(form.current.clone(), run.clone(), &compare);
    let pair = (*compared).clone().and_then(Result::ok);
    let timeline = pair
        .as_ref()
        .map_or(data.timeline.clone(), |p| p.timeline.clone());
    // The cursor the URL asked for is checked against the first run.
    let start = use_memo((), {
        let (opening, timeline) = (opening.clone(), timeline.clone());
        move |_| Playback::from_url(timeline, opening.t, opening.step, opening.speed)
    });
    let playback = use_reducer({
        let start = start.clone();
        move || start.0.clone()
    });
    let url_errors = use_memo((), {
        let (opening, start) = (opening.clone(), start.clone());
        move |_| {
            Rc::new(
                opening
                    .errors
                    .iter()
                    .chain(start.1.iter())
                    .cloned()
                    .collect::<Vec<_>>(),
            )
        }
    });

    let on_playback = {
        let dispatcher = playback.dispatcher();
        use_callback((), move |action: PlaybackAction, _| {
            dispatcher.dispatch(action)
        })
    };
    let on_compare = {
        let dispatcher = compare.dispatcher();
        use_callback((), move |action: CompareAction, _| {
            dispatcher.dispatch(action)
        })
    };
    let on_frame = {
        let dispatcher = playback.dispatcher();
        use_callback((), move |ts: f64, _| {
            dispatcher.dispatch(PlaybackAction::Tick(ts))
        })
    };
    // A new run (a parameter changed, compare mode toggled) keeps the cursor where it still fits.
    {
        let dispatcher = playback.dispatcher();
        use_effect_with(timeline.clone(), move |timeline| {
            dispatcher.dispatch(PlaybackAction::LoadRun(timeline.clone()))
        });
    }
    use_animation_frames(playback.playing, on_frame);
    // The form, the charts and the results render a task after the rest (`use_settled`).
    let settled = super::settled::use_settled();
    use_embed_bridge(&opening.embed, block, &form, &playback, &data.timeline);
    let shortcuts = html! { <KeyboardShortcuts on_action={on_playback.clone()} /> };

    // The scenario's part of the address is kept between frames; only the cursor's is new.
    let scenario_query = use_memo(form.current.clone(), move |scenario| {
        format_scenario_query(block.params(), &scenario.params, scenario.seed)
    });
    let mut query = format!(
        "{scenario_query}{}",
        format_cursor_query(playback.t, playback.step, playback.speed)
    );
    if let Some(pair) = compare.to_query() {
        query = format!("{query}&{pair}");
    }
    let hash: AttrValue = format_hash(block.id(), &query).into();
    let synced = format!("{hash}{}", opening.embed.to_query());
    use_url_sync(synced.into(), playback.playing);

    let active_preset = use_memo(form.current.clone(), |scenario| scenario.preset());
    let frame = data.frame_at(playback.t);
    // In compare mode the cursor's step is a merged one; A's own step is what A's views show.
    let step_a = pair
        .as_ref()
        .map_or(playback.step, |p| p.steps.at(playback.step).0);
    let step_node = step_a
        .and_then(|i| data.run.steps.get(i))
        .and_then(|s| s.node);
    let beyond_log = frame.beyond_log;
    if opening.embed.on {
        return html! {
            <crate::embed::view::EmbedView flags={opening.embed.clone()} run={run} frame={frame} playback={(*playback).clone()}
                pair={pair} highlight={step_node} on_action={on_playback} errors={(*url_errors).clone()} hash={hash} />
        };
    }
    let controls = html! {
        <Controls t={playback.t} duration={playback.timeline.duration} step={playback.step} steps={playback.timeline.step_times.len()}
            playing={playback.playing} speed={playback.speed} can_step_back={playback.can_step_back()}
            can_step_forward={playback.can_step_forward()} on_action={on_playback} />
    };

    html! {
        <div class="playground" data-testid="playground" data-scenario={block.id()} data-settled={settled.then_some("true")}>
            <header class="page-head">
                <div class="page-title">
                    <h1>{ block.title() }</h1>
                    <p class="lede">{ block.summary() }</p>
                </div>
                <Export run={run.clone()} hash={hash} />
                <crate::embed::dialog::EmbedDialog scenario={form.current.clone()} compare={compare.to_query().map(AttrValue::from)}
                    timeline={playback.timeline.clone()} step={playback.step} speed={playback.speed} />
                { shortcuts }
                <CompareBar scenario={form.current.clone()} compare={(*compare).clone()} on_action={on_compare}
                    problem={(*compared).clone().and_then(Result::err)} />
            </header>
            <UrlBanner errors={(*url_errors).clone()} />
            <ComputingNow />
            <div class={classes!("playground-grid", pair.is_some().then_some("is-comparing"))}>
                if let Some(pair) = pair.clone() {
                    <CompareStage pair={pair} t={playback.t} step={playback.step}>{ controls }</CompareStage>
                } else {
                    <section class="panel stage" aria-label="Simulation">
                        <div class="stage-diagram">
                            <Topology run={run.clone()} frame={frame.clone()} highlight={step_node} />
                        </div>
                        { controls }
                        <Narration run={run.clone()} step={playback.step} beyond_log={beyond_log} />
                    </section>
                }
                if let Some(pair) = pair.clone() {
                    <CompareNodes pair={pair} t={playback.t} step={playback.step} />
                } else {
                    <NodeState run={run.clone()} frame={frame.clone()} highlight={step_node} />
                }
                { crate::blocks::extras(block.id(), crate::blocks::ExtrasProps { run: run.clone(), frame, t: playback.t, step: step_a, on_form: on_form.clone() }) }
                <aside class="panel side" aria-label="Scenario">
                    <div class="panel-head">
                        <h2>{ "Scenario" }</h2>
                        <button type="button" class="link-button" onclick={
                            let cb = on_form.clone();
                            Callback::from(move |_: MouseEvent| cb.emit(FormAction::Reset))
                        }>{ "Reset to defaults" }</button>
                    </div>
                    if settled {
                        <Presets presets={block.presets()} active={*active_preset} on_action={on_form.clone()} />
                        <ParamForm form={(*form).clone()} on_action={on_form} />
                    }
                </aside>
                <section class="panel charts-panel" aria-label="Charts">
                    <h2>{ "Metrics" }</h2>
                    if !settled {
                    } else if let Some(pair) = pair.clone() {
                        <CompareCharts pair={pair} t={playback.t} />
                    } else {
                        <Charts run={run.clone()} t={playback.t} />
                    }
                </section>
                <section class="panel results-panel" aria-label="Results">
                    <h2>{ "Results" }</h2>
                    if !settled {
                    } else if let Some(pair) = pair {
                        <CompareTable pair={pair} />
                    } else {
                        <Results run={run} />
                    }
                </section>
            </div>
        </div>
    }
}
