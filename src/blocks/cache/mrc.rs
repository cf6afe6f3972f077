//! The miss-ratio curve panel: hit ratio against cache size for every policy on the run's own
//! access stream (Caffeine's simulator chart), computed on demand — or at once in `mode=mrc` —
//! with a progress bar.
//!
//! Honesty about "off the main thread": this is **main-thread slicing, not a Web Worker**.
//! [`MrcJob::advance`] replays accesses in slices of about [`SLICE_MS`] milliseconds; each slice
//! is a `setTimeout(0)` scheduled by an effect keyed on the progress, so between slices the
//! browser paints, scrolls and handles clicks. A worker would need a second wasm entry point and
//! bundle, which the size budget does not allow yet. (In `mode=mrc` the engine's run itself also
//! computes the curve once, synchronously, before the page shows it.)

use super::mrc_chart::draw_mrc;
use crate::run_data::SharedRun;
use crate::viewport::use_resize_epoch;
use gloo::timers::callback::Timeout;
use hopscope_sim::cache::config::{Config, Mode};
use hopscope_sim::cache::mrc::MrcJob;
use hopscope_sim::cache::policy::PolicyId;
use hopscope_sim::{Params, Run, Series};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

/// How long one slice may replay before yielding to the browser.
const SLICE_MS: f64 = 8.0;
/// Accesses replayed between clock checks.
const CHUNK: u64 = 4_096;

/// The run's parameters as a cache `Config` (`None` for a run that is not a valid cache run).
pub fn config_of(run: &Run) -> Option<Config> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (k, v) in &run.params {
        match v {
            serde_json::Value::String(s) => pairs.push((k.clone(), s.clone())),
            serde_json::Value::Array(a) if a.is_empty() => {}
            // Documents: one pair per document, in order.
            serde_json::Value::Array(a) if a.iter().all(|x| x.is_string()) => pairs.extend(
                a.iter()
                    .filter_map(|x| x.as_str())
                    .map(|d| (k.clone(), d.to_string())),
            ),
            serde_json::Value::Array(a) => {
                let list: Vec<String> = a.iter().map(|x| x.to_string()).collect();
                pairs.push((k.clone(), list.join(",")));
            }
            other => pairs.push((k.clone(), other.to_string())),
        }
    }
    let params = Params::parse(hopscope_sim::cache::params::SPECS, &pairs).ok()?;
    Config::from_params(&params).ok()
}

struct Job {
    job: MrcJob,
    policies: Vec<PolicyId>,
}

/// What the panel shows of a job: its progress and the curves so far.
#[derive(Clone, PartialEq)]
struct Shown {
    /// Which job (a new one per click), so the slicing effect restarts.
    generation: u32,
    done: u64,
    total: u64,
    points: usize,
    series: Rc<Vec<Series>>,
}

#[derive(Properties, PartialEq)]
pub struct MrcProps {
    pub run: SharedRun,
}

#[component]
pub fn MrcPanel(props: &MrcProps) -> Html {
    let cfg = use_memo(props.run.clone(), |run| config_of(&run.run));
    let job = use_mut_ref(|| None::<Job>);
    let shown = use_state(|| None::<Shown>);
    // Counts jobs started, read when a click starts one (never from a past render's state).
    let started = use_mut_ref(|| 0_u32);
    let applies = (*cfg)
        .as_ref()
        .is_some_and(|c| matches!(c.mode, Mode::Eviction | Mode::Mrc));

    let start = {
        let (job, shown, cfg, seed) = (job.clone(), shown.clone(), cfg.clone(), props.run.run.seed);
        use_callback((props.run.clone(),), move |_: (), _| {
            let Some(c) = (*cfg).as_ref() else {
                return;
            };
            let j = MrcJob::from_config(c, seed);
            let p = j.progress();
            let generation = {
                let mut n = started.borrow_mut();
                *n += 1;
                *n
            };
            *job.borrow_mut() = Some(Job {
                job: j,
                policies: c.policies.clone(),
            });
            shown.set(Some(Shown {
                generation,
                done: p.done,
                total: p.total,
                points: 0,
                series: Rc::new(Vec::new()),
            }));
        })
    };
    // A new run drops the old job (and any slice pending for it); `mode=mrc` starts at once.
    {
        let (job, shown, start) = (job.clone(), shown.clone(), start.clone());
        let auto = (*cfg).as_ref().is_some_and(|c| c.mode == Mode::Mrc);
        use_effect_with(props.run.clone(), move |_| {
            job.borrow_mut().take();
            shown.set(None);
            if auto {
                start.emit(());
            }
        });
    }
    // One slice per change of progress: the timer only advances the job and reports.
    {
        let (job, shown) = (job.clone(), shown.clone());
        let key = shown.as_ref().map(|s| (s.generation, s.done));
        use_effect_with(key, move |key| {
            let pending = key.and_then(|_| {
                let (job, shown) = (job.clone(), shown.clone());
                let unfinished = job.borrow().as_ref().is_some_and(|j| !j.job.is_finished());
                unfinished.then(|| Timeout::new(0, move || slice(&job, &shown)))
            });
            move || drop(pending)
        });
    }

    let canvas_ref = use_node_ref();
    let epoch = use_resize_epoch();
    {
        let canvas_ref = canvas_ref.clone();
        let series = shown.as_ref().map(|s| s.series.clone());
        let max = (*cfg).as_ref().map_or(1, |c| c.capacity);
        use_effect_with((series, epoch), move |(series, _)| {
            if let Some(series) = series {
                draw_into(&canvas_ref, series, max);
            }
        });
    }

    if !applies {
        return Html::default();
    }
    let onclick = {
        let start = start.clone();
        Callback::from(move |_: MouseEvent| start.emit(()))
    };
    let state = match shown.as_ref() {
        None => "idle",
        Some(s) if s.done >= s.total => "done",
        Some(_) => "running",
    };
    html! {
        <section class="panel cache-mrc" data-testid="mrc-panel" data-state={state} aria-label="Miss-ratio curve">
            <h2>{ "Miss-ratio curve" }<span class="muted">{ " hit ratio against cache size, every policy, this run's accesses" }</span></h2>
            <div class="cache-mrc-bar">
                <button type="button" class="button" data-testid="mrc-start" onclick={onclick} disabled={state == "running"}>
                    { if state == "done" { "Compute again" } else { "Compute miss-ratio curve" } }
                </button>
                if let Some(s) = shown.as_ref() {
                    <progress data-testid="mrc-progress" max={s.total.max(1).to_string()} value={s.done.to_string()}
                        aria-label="Miss-ratio curve progress" />
                    <span class="muted" aria-live="polite">{ progress_text(s) }</span>
                }
            </div>
            if shown.is_some() {
                <div class="cache-mrc-frame">
                    <canvas ref={canvas_ref} data-testid="mrc-chart" role="img"
                        aria-label="Chart: hit ratio against cache size, one line per policy" />
                </div>
            }
        </section>
    }
}

fn progress_text(s: &Shown) -> String {
    let pct = if s.total == 0 {
        100.0
    } else {
        100.0 * s.done as f64 / s.total as f64
    };
    if s.done >= s.total {
        format!("Done: {} points, {} accesses replayed.", s.points, s.total)
    } else {
        format!("{pct:.0}% — {} of {} accesses replayed", s.done, s.total)
    }
}

/// Replays about `SLICE_MS` of work and reports; the next slice is scheduled by the effect.
fn slice(job: &RefCell<Option<Job>>, shown: &UseStateHandle<Option<Shown>>) {
    let mut guard = job.borrow_mut();
    let Some(j) = guard.as_mut() else {
        return;
    };
    let perf = web_sys::window().and_then(|w| w.performance());
    let now = || perf.as_ref().map_or(0.0, |p| p.now());
    let t0 = now();
    while !j.job.is_finished() {
        j.job.advance(CHUNK);
        if now() - t0 >= SLICE_MS {
            break;
        }
    }
    let p = j.job.progress();
    let Some(mut next) = (**shown).clone() else {
        return;
    };
    let points = j.job.points().len();
    if points != next.points {
        next.points = points;
        next.series = Rc::new(j.job.series(&j.policies));
    }
    next.done = p.done;
    next.total = p.total;
    shown.set(Some(next));
}

/// Sizes the canvas to its CSS box × devicePixelRatio and draws (nothing when it has no size).
fn draw_into(canvas_ref: &NodeRef, series: &[Series], max: usize) -> Option<()> {
    let canvas = canvas_ref.cast::<HtmlCanvasElement>()?;
    let (w, h) = (canvas.client_width(), canvas.client_height());
    if w <= 0 || h <= 0 {
        return None;
    }
    let dpr = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 4.0);
    canvas.set_width((w as f64 * dpr).round() as u32);
    canvas.set_height((h as f64 * dpr).round() as u32);
    let root = CanvasBackend::with_canvas_object(canvas)?.into_drawing_area();
    draw_mrc(&root, series, max, dpr).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hopscope_sim::block::run_params;

    #[test]
    fn a_run_gives_back_its_config_and_its_curve() {
        let block = hopscope_sim::registry::find("cache").expect("the cache block");
        let params = Params::parse(
            block.params(),
            &[("policy", "all"), ("capacity", "20"), ("accesses", "500")],
        )
        .expect("valid");
        let run = run_params(block, &params, 7);
        let cfg = config_of(&run).expect("the run's own parameters parse");
        assert_eq!((cfg.capacity, cfg.policies.len()), (20, 6));
        let mut job = MrcJob::from_config(&cfg, run.seed);
        while !job.is_finished() {
            job.advance(CHUNK);
        }
        let series = job.series(&cfg.policies);
        assert_eq!(series.len(), 6);
        assert!(series.iter().all(|s| s.points.len() == 20), "20 sizes");
    }
}
