//! The page's side of the engine worker: numbers requests, sends one at a time, reassembles the
//! run from its pieces and tells the view that asked.
//!
//! Each view that shows a run holds a *slot* (run A, run B of compare mode, a curve); a new
//! request from a slot replaces its waiting one, so while a big run computes, only the latest
//! parameters of each slot wait behind it, and the answers to a superseded request are dropped.
//! Natively (tests, SSR) there is no worker: requests run at once on the calling thread.

use super::protocol::JobId;
use crate::run_data::RunData;
use std::rc::Rc;
use yew::Callback;

/// What to run: a block, its parameters as `key=value` pairs, a seed.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRequest {
    pub scenario: &'static str,
    pub params: Vec<(String, String)>,
    pub seed: u64,
}

/// What a slot hears about its request, in order: progress (maybe), then the run or a failure,
/// then (in the browser) the download URL of the whole run.
#[derive(Clone)]
pub enum Update {
    Progress { done: u64, total: u64 },
    Ready(Rc<RunData>),
    Json(Option<String>),
    Failed(String),
}

/// A view's place in the queue.
pub type Slot = u64;

#[cfg(target_arch = "wasm32")]
pub use browser::{cancel, new_slot, submit};
#[cfg(not(target_arch = "wasm32"))]
pub use native::{cancel, new_slot, submit};

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::*;
    use hopscope_sim::block::run_params;
    use hopscope_sim::{registry, Params};
    use std::cell::Cell;

    thread_local! {
        static NEXT: Cell<u64> = const { Cell::new(1) };
    }

    pub fn new_slot() -> Slot {
        NEXT.with(|n| {
            let s = n.get();
            n.set(s + 1);
            s
        })
    }

    /// Runs the request at once and reports the outcome.
    pub fn submit(_slot: Slot, request: RunRequest, on: Callback<Update>) -> JobId {
        let outcome = registry::find(request.scenario)
            .ok_or_else(|| registry::unknown(request.scenario))
            .and_then(|block| {
                let params =
                    Params::parse(block.params(), &request.params).map_err(|e| e.to_string())?;
                block.check(&params).map_err(|e| e.to_string())?;
                Ok(run_params(block, &params, request.seed))
            });
        match outcome {
            Ok(run) => on.emit(Update::Ready(Rc::new(RunData::new(run)))),
            Err(message) => on.emit(Update::Failed(message)),
        }
        new_slot()
    }

    pub fn cancel(_job: JobId) {}
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::*;
    use crate::engine::protocol::{Request, Response};
    use crate::engine::worker::EngineWorker;
    use crate::run_data::{RunBuilder, RunData};
    use gloo::worker::{Bincode, Spawnable, WorkerBridge};
    use hopscope_sim::Event;
    use std::cell::RefCell;
    use std::collections::VecDeque;
    use std::time::Duration;

    /// The worker's start script (`static/engine-loader.js`, copied next to index.html).
    const LOADER: &str = "./engine-loader.js";

    struct Listener {
        slot: Slot,
        on: Callback<Update>,
        /// The run being reassembled.
        partial: Option<RunBuilder>,
    }

    struct Client {
        bridge: WorkerBridge<EngineWorker>,
        next: u64,
        /// The job the worker is on (it takes one at a time).
        running: Option<JobId>,
        waiting: VecDeque<(JobId, Slot, Request)>,
        /// The jobs whose updates a view still wants: a job leaves when its slot asks for
        /// something newer, when it is cancelled, or once its last update is delivered. At most
        /// one per slot (a handful), so a list.
        listeners: Vec<(JobId, Listener)>,
    }

    impl Client {
        fn listening(&mut self, job: JobId) -> Option<&mut Listener> {
            self.listeners
                .iter_mut()
                .find(|(j, _)| *j == job)
                .map(|(_, l)| l)
        }

        fn stop_listening(&mut self, job: JobId) {
            self.listeners.retain(|(j, _)| *j != job);
        }
    }

    /// Page work a message left to do, each piece in a task of its own, in order (see [`later`]).
    #[derive(Default)]
    struct Outbox {
        tasks: VecDeque<Box<dyn FnOnce()>>,
        draining: bool,
    }

    thread_local! {
        static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
        static OUTBOX: RefCell<Outbox> = RefCell::new(Outbox::default());
    }

    fn with_client<R>(f: impl FnOnce(&mut Client) -> R) -> R {
        CLIENT.with(|c| {
            let mut c = c.borrow_mut();
            let client = c.get_or_insert_with(|| {
                let bridge = EngineWorker::spawner()
                    .encoding::<Bincode>()
                    .callback(received)
                    .spawn_with_loader(LOADER);
                Client {
                    bridge,
                    next: 1,
                    running: None,
                    waiting: VecDeque::new(),
                    listeners: Vec::new(),
                }
            });
            f(client)
        })
    }

    pub fn new_slot() -> Slot {
        with_client(|c| {
            c.next += 1;
            c.next
        })
    }

    pub fn submit(slot: Slot, request: RunRequest, on: Callback<Update>) -> JobId {
        with_client(|c| {
            c.next += 1;
            let job = c.next;
            // The slot's older request, waiting or running, is superseded.
            c.waiting.retain(|(_, s, _)| *s != slot);
            c.listeners.retain(|(_, l)| l.slot != slot);
            c.listeners.push((
                job,
                Listener {
                    slot,
                    on,
                    partial: None,
                },
            ));
            let RunRequest {
                scenario,
                params,
                seed,
            } = request;
            c.waiting.push_back((
                job,
                slot,
                Request::Run {
                    job,
                    scenario: scenario.to_string(),
                    params,
                    seed,
                },
            ));
            pump(c);
            job
        })
    }

    /// Forgets a job: its answers, if any still come, are dropped.
    pub fn cancel(job: JobId) {
        with_client(|c| {
            c.waiting.retain(|(j, _, _)| *j != job);
            c.stop_listening(job);
        })
    }

    fn pump(c: &mut Client) {
        if c.running.is_none() {
            if let Some((job, _, request)) = c.waiting.pop_front() {
                c.running = Some(job);
                c.bridge.send(request);
            }
        }
    }

    /// One message from the worker. What it means for the view (an update, or the assembly
    /// of a complete run and then an update) is queued with [`later`]: the view hears of it in
    /// a task of its own, after the client is released, so a listener may submit again.
    fn received(response: Response) {
        let job = response.job();
        mark(&response);
        with_client(|c| {
            let finished = matches!(
                response,
                Response::Finished { .. } | Response::Failed { .. }
            );
            if let Some(l) = c.listening(job) {
                match response {
                    Response::Progress { done, total, .. } => {
                        deliver(job, Update::Progress { done, total }, false)
                    }
                    Response::Head {
                        head,
                        series,
                        events,
                        cut,
                        ..
                    } => {
                        l.partial = Some(
                            RunBuilder::new(head.into_run(), cut, events).expect_series(series),
                        );
                        complete(job, l);
                    }
                    Response::Series { series, .. } => {
                        if let Some(builder) = l.partial.as_mut() {
                            builder.push_series(series);
                        }
                        complete(job, l);
                    }
                    Response::Events { events, .. } => {
                        if let Some(builder) = l.partial.as_mut() {
                            builder.push(events.into_iter().map(Event::from).collect());
                        }
                        complete(job, l);
                    }
                    Response::Finished { json_url, .. } => {
                        deliver(job, Update::Json(json_url), true)
                    }
                    Response::Failed { message, .. } => deliver(job, Update::Failed(message), true),
                }
            }
            // The listener itself goes with the job's last update (`deliver`).
            if finished {
                if c.running == Some(job) {
                    c.running = None;
                }
                pump(c);
            }
        });
    }

    /// Queues `update` for the view that asked for `job`, if it still wants it then; `last`:
    /// nothing more comes for the job, whose listener then goes.
    fn deliver(job: JobId, update: Update, last: bool) {
        later(move || {
            if let Some(on) = listener(job, last) {
                on.emit(update);
            }
        });
    }

    /// The callback of `job`'s view, if it still listens; `remove`: it stops listening.
    fn listener(job: JobId, remove: bool) -> Option<Callback<Update>> {
        with_client(|c| {
            let on = c.listening(job).map(|l| l.on.clone());
            if remove {
                c.stop_listening(job);
            }
            on
        })
    }

    /// Runs `task` in a task of its own (a zero-delay timer), after every task queued before it.
    /// A complete run is assembled in one such task and shown in the next: a million-request
    /// run's last event chunk, its assembly and the view's first render were one long task.
    fn later(task: impl FnOnce() + 'static) {
        let start = OUTBOX.with(|o| {
            let mut o = o.borrow_mut();
            o.tasks.push_back(Box::new(task));
            !std::mem::replace(&mut o.draining, true)
        });
        if start {
            yew::platform::spawn_local(async {
                loop {
                    yew::platform::time::sleep(Duration::ZERO).await;
                    let next = OUTBOX.with(|o| {
                        let mut o = o.borrow_mut();
                        let next = o.tasks.pop_front();
                        o.draining = next.is_some();
                        next
                    });
                    match next {
                        Some(task) => task(),
                        None => break,
                    }
                }
            });
        }
    }

    /// A `performance.mark` per message that shapes the page's work (the head, the end), so the
    /// performance harness can line long tasks up with them.
    fn mark(response: &Response) {
        let name = match response {
            Response::Head { .. } => "hopscope:head",
            Response::Finished { .. } => "hopscope:finished",
            _ => return,
        };
        mark_latest(name);
    }

    /// Marks `name`, dropping its earlier marks: the browser keeps every mark until it is
    /// cleared, so marking each run's messages grew the page's memory by three entries a run
    /// for as long as it stayed open (the soak's re-mount harness, bench/browser/remount.mjs).
    /// The harnesses read the latest run's marks only.
    fn mark_latest(name: &str) {
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            p.clear_marks_with_mark_name(name);
            let _ = p.mark(name);
        }
    }

    /// Once all of a run's pieces are in: assembles it in one task, shows it in the next.
    fn complete(job: JobId, l: &mut Listener) {
        if !l.partial.as_ref().is_some_and(RunBuilder::is_complete) {
            return;
        }
        let Some(builder) = l.partial.take() else {
            return;
        };
        let assembled: Rc<RefCell<Option<RunData>>> = Rc::default();
        let into = assembled.clone();
        later(move || {
            if listener(job, false).is_some() {
                *into.borrow_mut() = Some(builder.finish());
                mark_latest("hopscope:ready");
            }
        });
        later(move || {
            let data = assembled.borrow_mut().take();
            if let (Some(data), Some(on)) = (data, listener(job, false)) {
                on.emit(Update::Ready(Rc::new(data)));
            }
        });
    }
}
