//! The engine's side of the worker: runs each requested scenario with the `hopscope-sim` engine
//! off the page's main thread and sends the run back in pieces (see `protocol`).
//!
//! Only the worker bundle (`src/bin/engine.rs`) links this module, and with it every block's
//! simulation; the page's bundle holds the blocks' descriptions only, as the engine gave them
//! (`engine::catalog`).

use super::protocol::{
    cut_result, JobId, Request, Response, RunHead, WireEvent, EVENTS_PER_CHUNK, RESULT_ARRAY_CAP,
    SERIES_PER_CHUNK,
};
use gloo::worker::{Bincode, HandlerId, Registrable, Worker, WorkerScope};
use hopscope_sim::block::run_params;
use hopscope_sim::kernel::progress;
use hopscope_sim::{registry, Params, Run};
use std::collections::VecDeque;

/// Progress messages at most this often (ms): enough for a smooth bar, few enough to be free.
const PROGRESS_EVERY_MS: f64 = 50.0;
/// Download URLs kept alive: the page shows at most a few runs at once (A, B, a curve).
const KEPT_URLS: usize = 8;

/// Registers the worker in this (worker) global scope: the worker bundle's `main`.
pub fn register() {
    EngineWorker::registrar().encoding::<Bincode>().register();
}

pub struct EngineWorker {
    /// `blob:` URLs of recent runs' JSON, oldest first; older ones are revoked.
    urls: VecDeque<String>,
}

impl Worker for EngineWorker {
    type Message = ();
    type Input = Request;
    type Output = Response;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        EngineWorker {
            urls: VecDeque::new(),
        }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: ()) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Request, who: HandlerId) {
        match msg {
            Request::Run {
                job,
                scenario,
                params,
                seed,
            } => match run(scope, who, job, &scenario, &params, seed) {
                Ok(run) => self.send_run(scope, who, job, run),
                Err(message) => scope.respond(who, Response::Failed { job, message }),
            },
        }
    }
}

/// Runs one scenario, reporting progress to the page meanwhile.
fn run(
    scope: &WorkerScope<EngineWorker>,
    who: HandlerId,
    job: JobId,
    scenario: &str,
    pairs: &[(String, String)],
    seed: u64,
) -> Result<Run, String> {
    let block = registry::find(scenario).ok_or_else(|| registry::unknown(scenario))?;
    let params = Params::parse(block.params(), pairs).map_err(|e| e.to_string())?;
    block.check(&params).map_err(|e| e.to_string())?;
    let mut last = f64::NEG_INFINITY;
    let reporter = scope.clone();
    Ok(progress::observe(
        move |done, total| {
            let now = js_sys::Date::now();
            if now - last >= PROGRESS_EVERY_MS {
                last = now;
                reporter.respond(who, Response::Progress { job, done, total });
            }
        },
        || run_params(block, &params, seed),
    ))
}

impl EngineWorker {
    /// The head, the series and the events in chunks, then the download URL of the whole
    /// document.
    fn send_run(&mut self, scope: &WorkerScope<Self>, who: HandlerId, job: JobId, mut run: Run) {
        let events = std::mem::take(&mut run.events);
        let series = std::mem::take(&mut run.series);
        let mut shown = run.result.clone();
        let cut = cut_result(&mut shown, RESULT_ARRAY_CAP);
        let head = RunHead::of(&run, &shown);
        scope.respond(
            who,
            Response::Head {
                job,
                head,
                series: series.len(),
                events: events.len(),
                cut,
            },
        );
        for chunk in series.chunks(SERIES_PER_CHUNK) {
            scope.respond(
                who,
                Response::Series {
                    job,
                    series: chunk.to_vec(),
                },
            );
        }
        for chunk in events.chunks(EVENTS_PER_CHUNK) {
            scope.respond(
                who,
                Response::Events {
                    job,
                    events: chunk.iter().map(WireEvent::from).collect(),
                },
            );
        }
        // The download is made last: the page can show the run while the worker writes it.
        run.events = events;
        run.series = series;
        // The CLI prints the document and a line break: so does the file.
        let json_url = crate::browser::json_blob_url(&format!("{}\n", run.to_json()));
        if let Some(url) = &json_url {
            self.urls.push_back(url.clone());
            while self.urls.len() > KEPT_URLS {
                if let Some(old) = self.urls.pop_front() {
                    crate::browser::revoke_url(&old);
                }
            }
        }
        scope.respond(who, Response::Finished { job, json_url });
    }
}
