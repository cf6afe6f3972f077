//! The browser half of the postMessage API (`protocol.rs` is the pure half) and the embed flags
//! that act over time: autoplay and loop. Listens to `message` on the window, obeys by
//! dispatching to the page's two reducers (like its own buttons do), and tells the host page
//! about steps, finished runs, new runs and errors.
//!
//! Origin policy: events go to `window.parent` with the `origin=` flag as target origin (`*`
//! without it: they only say where a public simulation's cursor is); error replies go back to
//! the sender (`event.source`, at `event.origin`). With `origin=` set, messages from any other
//! origin are ignored. Messages from this window itself are ignored (no echo loops when a page
//! is opened on its own).

use super::message;
use super::protocol::{self, Command, Event, ProtocolError, Request, Status};
use crate::playback::{Playback, PlaybackAction};
use crate::scenario_form::{FormAction, ScenarioForm};
use crate::url_state::embed::EmbedFlags;
use crate::url_state::SEED;
use gloo::events::EventListener;
use hopscope_sim::{BlockSpec, ParamKind};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Window};
use yew::prelude::*;

/// The page state the listener reads when a message arrives (the latest render's handles).
struct Latest {
    form: UseReducerHandle<ScenarioForm>,
    playback: UseReducerHandle<Playback>,
}

/// What was last told to the host, so each event goes out once per change.
#[derive(Default)]
struct Told {
    ready: bool,
    step: Option<Option<usize>>,
    playing: bool,
    run: Option<Rc<crate::playback::Timeline>>,
}

/// Wires an embedded page to its host. Does nothing unless the URL said `embed=1`.
#[hook]
pub fn use_embed_bridge(
    flags: &EmbedFlags,
    block: &'static dyn BlockSpec,
    form: &UseReducerHandle<ScenarioForm>,
    playback: &UseReducerHandle<Playback>,
    data_timeline: &Rc<crate::playback::Timeline>,
) {
    let latest = use_mut_ref(|| Latest {
        form: form.clone(),
        playback: playback.clone(),
    });
    *latest.borrow_mut() = Latest {
        form: form.clone(),
        playback: playback.clone(),
    };
    let flags = flags.clone();
    let on = flags.on;

    // Autoplay: once, at opening. (`theme=` is applied by `crate::theme` for any page.)
    {
        let (autoplay, dispatcher) = (on && flags.autoplay, playback.dispatcher());
        use_effect_with((), move |_| {
            if autoplay {
                dispatcher.dispatch(PlaybackAction::Play);
            }
        });
    }

    // Incoming commands.
    {
        let latest = latest.clone();
        let origin = flags.origin.clone();
        use_effect_with(on, move |on| {
            let listener = on.then(web_sys::window).flatten().map(|w| {
                EventListener::new(&w, "message", move |e| {
                    if let Some(e) = e.dyn_ref::<MessageEvent>() {
                        receive(e, block, &latest, origin.as_deref());
                    }
                })
            });
            move || drop(listener)
        });
    }

    // Outgoing events: ready once, then step, finished (and loop) and run as they change.
    let told = use_mut_ref(Told::default);
    {
        let p = (**playback).clone();
        let form = (**form).clone();
        let dispatcher = playback.dispatcher();
        let deps = (p.step, p.playing, data_timeline.clone(), on);
        use_effect_with(deps, move |(_, _, timeline, on)| {
            if *on {
                tell(&told, block, &form, &p, timeline, &flags, &dispatcher);
            }
        });
    }
}

fn tell(
    told: &Rc<RefCell<Told>>,
    block: &'static dyn BlockSpec,
    form: &ScenarioForm,
    p: &Playback,
    timeline: &Rc<crate::playback::Timeline>,
    flags: &EmbedFlags,
    dispatcher: &UseReducerDispatcher<Playback>,
) {
    let mut told = told.borrow_mut();
    let status = status_of(block, p);
    let params = || form.current.params.to_pairs();
    let target = flags.origin.as_deref();
    if !told.ready {
        told.ready = true;
        told.step = Some(p.step);
        told.run = Some(timeline.clone());
        told.playing = p.playing;
        post_to_parent(
            &Event::Ready {
                status,
                seed: form.current.seed,
                params: params(),
            },
            target,
        );
        return;
    }
    if told.run.as_ref().is_some_and(|r| !Rc::ptr_eq(r, timeline)) {
        told.run = Some(timeline.clone());
        post_to_parent(
            &Event::Run {
                status: status.clone(),
                seed: form.current.seed,
                params: params(),
            },
            target,
        );
    }
    if told.step != Some(p.step) {
        told.step = Some(p.step);
        post_to_parent(&Event::Step(status.clone()), target);
    }
    // Playing stopped by itself at the end: the run is finished.
    let finished = told.playing && !p.playing && p.t >= p.timeline.duration;
    told.playing = p.playing;
    if finished {
        post_to_parent(&Event::Finished(status), target);
        if flags.looping {
            // Play at the end starts over from 0.
            dispatcher.dispatch(PlaybackAction::Play);
        }
    }
}

fn status_of(block: &dyn BlockSpec, p: &Playback) -> Status {
    Status {
        scenario: block.id().to_string(),
        step: p.step,
        steps: p.timeline.step_times.len(),
        t_us: p.t.0,
        duration_us: p.timeline.duration.0,
        playing: p.playing,
        speed: p.speed,
    }
}

fn receive(
    e: &MessageEvent,
    block: &'static dyn BlockSpec,
    latest: &Rc<RefCell<Latest>>,
    allowed_origin: Option<&str>,
) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let source = e.source();
    if source
        .as_ref()
        .is_some_and(|s| js_sys::Object::is(s, window.as_ref()))
    {
        return;
    }
    if allowed_origin.is_some_and(|o| o != e.origin()) {
        return;
    }
    let data = e.data();
    // Only objects with `type: "hopscope"` are ours; everything else is ignored without a word.
    let is_ours = data.is_object()
        && js_sys::Reflect::get(&data, &JsValue::from_str("type"))
            .ok()
            .and_then(|t| t.as_string())
            .is_some_and(|t| t == protocol::TYPE);
    if !is_ours {
        return;
    }
    let json = message::json_of(&data);
    let result = match json {
        Some(value) => match protocol::parse(&value) {
            Some(request) => request,
            None => return,
        },
        None => Err(ProtocolError::new(
            "message",
            "could not be read as JSON (a function, a cycle or a BigInt inside?)",
        )),
    };
    let outcome = result.and_then(|request| {
        let Request { id, command } = request;
        let action = action_name(&command);
        let latest = latest.borrow();
        if command == Command::Status {
            let form = &latest.form.current;
            return Ok(Some(Event::Status {
                status: status_of(block, &latest.playback),
                seed: form.seed,
                params: form.params.to_pairs(),
                id,
            }));
        }
        obey(command, block, &latest)
            .map(|()| None)
            .map_err(|e| e.answering(action, id))
    });
    let answer = match outcome {
        Ok(answer) => answer,
        Err(error) => Some(Event::Error {
            scenario: block.id().to_string(),
            error,
        }),
    };
    if let Some(event) = answer {
        reply(source, &e.origin(), &event);
    }
}

fn action_name(command: &Command) -> &'static str {
    match command {
        Command::Play => "play",
        Command::Pause => "pause",
        Command::Step => "step",
        Command::StepBack => "step_back",
        Command::Goto(_) => "goto",
        Command::Set { .. } => "set",
        Command::Speed(_) => "speed",
        Command::Status => "status",
    }
}

/// Does what a request asks, through the same reducer actions as the page's own controls.
fn obey(command: Command, block: &dyn BlockSpec, latest: &Latest) -> Result<(), ProtocolError> {
    let playback = &latest.playback;
    match command {
        Command::Play => playback.dispatch(PlaybackAction::Play),
        Command::Pause => playback.dispatch(PlaybackAction::Pause),
        Command::Step => playback.dispatch(PlaybackAction::StepForward),
        Command::StepBack => playback.dispatch(PlaybackAction::StepBack),
        Command::Speed(speed) => playback.dispatch(PlaybackAction::SetSpeed(speed)),
        Command::Status => {}
        Command::Goto(n) => {
            let tl = &playback.timeline;
            let s = protocol::check_step(n, tl.step_times.len())?;
            let t = tl.step_times[s];
            // Seeking lands on the last of the steps sharing that time; step back to the one asked.
            let landed = tl.step_at(t).unwrap_or(s);
            playback.dispatch(PlaybackAction::Pause);
            playback.dispatch(PlaybackAction::Seek(t));
            for _ in s..landed {
                playback.dispatch(PlaybackAction::StepBack);
            }
        }
        Command::Set { key, value } => {
            let action = set_action(block, &key, value)?;
            let next = latest.form.apply(action.clone());
            // A rule across fields (e.g. one weight per backend) may still refuse the value.
            if let Some(e) = next.errors.values().next() {
                return Err(ProtocolError::new(
                    "value",
                    format!("{}={}: expected {}", e.key, e.value, e.allowed),
                ));
            }
            latest.form.dispatch(action);
        }
    }
    Ok(())
}

/// The form action for `set key=value`, once the key is known and the value parses alone.
fn set_action(
    block: &dyn BlockSpec,
    key: &str,
    value: String,
) -> Result<FormAction, ProtocolError> {
    if key == SEED {
        return Ok(FormAction::SetSeed(value));
    }
    let keys: Vec<&str> = std::iter::once(SEED)
        .chain(
            block
                .params()
                .iter()
                .filter(|s| !matches!(s.kind, ParamKind::Documents { .. }))
                .map(|s| s.key),
        )
        .collect();
    let spec = block
        .params()
        .iter()
        .find(|s| s.key == key && !matches!(s.kind, ParamKind::Documents { .. }))
        .ok_or_else(|| {
            ProtocolError::new(
                "key",
                format!(
                    "unknown parameter {:?} for {}: expected one of {}",
                    key,
                    block.id(),
                    keys.join(", ")
                ),
            )
        })?;
    crate::engine::checks::parse_value(spec, &value).map_err(|e| {
        ProtocolError::new(
            "value",
            format!("{}={}: expected {}", e.key, e.value, e.allowed),
        )
    })?;
    Ok(FormAction::SetParam {
        key: key.to_string(),
        text: value,
    })
}

fn to_js(event: &Event) -> JsValue {
    js_sys::JSON::parse(&event.to_json().to_string()).unwrap_or(JsValue::NULL)
}

/// Posts to the page that embeds this one; nothing when the page is not in a frame.
fn post_to_parent(event: &Event, target_origin: Option<&str>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(parent) = window.parent().ok().flatten() else {
        return;
    };
    if js_sys::Object::is(parent.as_ref(), window.as_ref()) {
        return;
    }
    // With `origin=`, a parent known to be elsewhere gets nothing (the browser would drop the
    // message anyway, with a console warning). Chromium and Safari list the ancestors' origins.
    if let Some(origin) = target_origin {
        let parent_origin = js_sys::Reflect::get(&window.location(), &"ancestorOrigins".into())
            .ok()
            .filter(|list| list.is_object())
            .and_then(|list| js_sys::Reflect::get(&list, &0.into()).ok())
            .and_then(|o| o.as_string());
        if parent_origin.is_some_and(|p| p != origin) {
            return;
        }
    }
    let _ = parent.post_message(&to_js(event), target_origin.unwrap_or("*"));
}

/// Answers the sender of a message at its own origin (`*` for an opaque `null` origin, which
/// `postMessage` refuses as a target).
fn reply(source: Option<js_sys::Object>, origin: &str, event: &Event) {
    let Some(source) = source else {
        return;
    };
    // A cross-origin WindowProxy fails `instanceof Window`, yet posting to it is allowed.
    let target: Window = source.unchecked_into();
    let origin = if origin == "null" || origin.is_empty() {
        "*"
    } else {
        origin
    };
    let _ = target.post_message(&to_js(event), origin);
}
