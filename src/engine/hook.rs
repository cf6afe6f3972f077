//! `use_engine_run`: the Yew hook through which a view asks the engine for a run and follows it,
//! keeping the last finished run on screen while a newer one computes.

use super::client::{self, RunRequest, Update};
use crate::run_data::SharedRun;
use std::rc::Rc;
use yew::prelude::*;

/// What a view has of the run it asked for.
#[derive(Clone, Default, PartialEq)]
pub struct EngineRun {
    /// The latest finished run (it stays while a newer request computes).
    pub ready: Option<SharedRun>,
    /// `Some((done, total))` while the latest request is computing (`(0, 0)`: not started).
    pub computing: Option<(u64, u64)>,
    /// Why the latest request could not run.
    pub failed: Option<String>,
    /// The download of `ready` as JSON, once the worker has written it.
    pub json_url: Option<AttrValue>,
}

/// What happened to the latest request.
pub enum Action {
    Start,
    Update(Update),
}

impl Reducible for EngineRun {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Start => {
                next.computing = Some((0, 0));
                next.failed = None;
            }
            Action::Update(Update::Progress { done, total }) => {
                next.computing = Some((done, total));
            }
            Action::Update(Update::Ready(data)) => {
                next.ready = Some(SharedRun(data));
                next.computing = None;
                next.json_url = None;
            }
            Action::Update(Update::Json(url)) => next.json_url = url.map(AttrValue::from),
            Action::Update(Update::Failed(message)) => {
                next.computing = None;
                next.failed = Some(message);
            }
        }
        Rc::new(next)
    }
}

/// Runs `request` in the engine worker whenever it changes (`None`: nothing to run).
#[hook]
pub fn use_engine_run(request: Option<RunRequest>) -> EngineRun {
    let state = use_reducer(EngineRun::default);
    let slot = use_memo((), |_| client::new_slot());
    {
        let dispatcher = state.dispatcher();
        let slot = *slot;
        use_effect_with(request, move |request| {
            let job = request.clone().map(|request| {
                dispatcher.dispatch(Action::Start);
                let on = Callback::from(move |u: Update| dispatcher.dispatch(Action::Update(u)));
                client::submit(slot, request, on)
            });
            move || {
                if let Some(job) = job {
                    client::cancel(job);
                }
            }
        });
    }
    (*state).clone()
}
