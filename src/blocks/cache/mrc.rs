//! The miss-ratio curve panel: hit ratio against cache size for every policy of the run on the
//! run's own access stream (Caffeine's simulator chart), with a progress bar.
//!
//! The curve is the same scenario run with `mode=mrc` — one cache run per (size, policy) — and
//! like every run it computes in the engine's Web Worker (`crate::engine`), so the page stays
//! responsive however long the trace. In `mode=mrc` the page's run *is* the curve.

use super::mrc_chart::draw_mrc;
use crate::chart::backend::ChartBackend;
use crate::engine::checks::parse_params;
use crate::engine::client::RunRequest;
use crate::engine::hook::use_engine_run;
use crate::run_data::SharedRun;
use crate::viewport::use_resize_epoch;
use hopscope_sim::cache::config::Mode;
use hopscope_sim::{Params, Run, Series};
use plotters::prelude::IntoDrawingArea;
use std::rc::Rc;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

/// The chart title of the curve's series (`sim/src/cache/mrc.rs`).
const CURVE: &str = "Hit ratio by cache size";

/// A run's parameters as `key=value` pairs, the way the engine parses them back.
pub fn pairs_of(run: &Run) -> Vec<(String, String)> {
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
    pairs
}

/// What the panel needs of a cache run's configuration.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shape {
    pub mode: Mode,
    /// Entries one cache node holds: the curve's largest size.
    pub capacity: usize,
}

/// The run's mode and capacity, read from its parameters (`None` for a run of another block).
/// Only what the engine ran gets here, so they are valid.
pub fn shape_of(run: &Run) -> Option<Shape> {
    if run.scenario != "cache" {
        return None;
    }
    let mode = Mode::parse(run.params.get("mode")?.as_str()?)?;
    let capacity = usize::try_from(run.params.get("capacity")?.as_u64()?).ok()?;
    Some(Shape { mode, capacity })
}

/// The curve's run: this run's scenario with `mode=mrc`, and the parameters it will report.
pub fn curve_request(run: &Run) -> Option<(RunRequest, Params)> {
    let mut pairs = pairs_of(run);
    pairs.retain(|(k, _)| k != "mode");
    pairs.push(("mode".into(), "mrc".into()));
    let specs = crate::engine::catalog::find_spec("cache")?.params();
    let params = parse_params(specs, &pairs, true).ok()?;
    let request = RunRequest {
        scenario: "cache",
        params: params.to_pairs(),
        seed: run.seed,
    };
    Some((request, params))
}

/// The curve's series of a `mode=mrc` run.
fn curve_of(run: &Run) -> Rc<Vec<Series>> {
    Rc::new(
        run.series
            .iter()
            .filter(|s| s.chart == CURVE)
            .cloned()
            .collect(),
    )
}

#[derive(Properties, PartialEq)]
pub struct MrcProps {
    pub run: SharedRun,
}

#[component]
pub fn MrcPanel(props: &MrcProps) -> Html {
    let cfg = use_memo(props.run.clone(), |run| shape_of(&run.run));
    let mode = (*cfg).as_ref().map(|c| c.mode);
    // In eviction mode the curve is computed on request; a new run forgets the request.
    let requested = use_state(|| None::<Rc<(RunRequest, Params)>>);
    {
        let requested = requested.clone();
        use_effect_with(props.run.clone(), move |_| requested.set(None));
    }
    let curve = use_engine_run(requested.as_ref().map(|r| r.0.clone()));
    // The curve on screen: the page's own run in `mode=mrc`, else the requested run once in.
    let series = match mode {
        Some(Mode::Mrc) => Some(curve_of(&props.run.run)),
        _ => requested.as_ref().and_then(|r| {
            let ready = curve.ready.as_ref()?;
            (ready.run.params == r.1.to_json() && ready.run.seed == r.0.seed)
                .then(|| curve_of(&ready.run))
        }),
    };

    let canvas_ref = use_node_ref();
    let epoch = use_resize_epoch();
    // The chart's colours follow the theme: a theme change redraws it.
    let theme = crate::theme::use_theme();
    {
        let canvas_ref = canvas_ref.clone();
        let max = (*cfg).as_ref().map_or(1, |c| c.capacity);
        use_effect_with((series.clone(), epoch, theme), move |(series, _, _)| {
            if let Some(series) = series {
                draw_into(&canvas_ref, series, max);
            }
        });
    }

    if !matches!(mode, Some(Mode::Eviction | Mode::Mrc)) {
        return Html::default();
    }
    let onclick = {
        let (requested, run) = (requested.clone(), props.run.clone());
        Callback::from(move |_: MouseEvent| {
            requested.set(curve_request(&run.run).map(Rc::new));
        })
    };
    let state = if series.is_some() {
        "done"
    } else if requested.is_some() {
        "running"
    } else {
        "idle"
    };
    // While it computes: the engine's progress; once in: full, at the accesses it replayed.
    let progress = match state {
        "running" => curve.computing,
        "done" => curve
            .ready
            .as_ref()
            .and_then(|r| r.run.result.get("replayed")?.as_u64())
            .map(|n| (n, n)),
        _ => None,
    };
    html! {
        <section class="panel cache-mrc" data-testid="mrc-panel" data-state={state} aria-label="Miss-ratio curve">
            <h2>{ "Miss-ratio curve" }<span class="muted">{ " hit ratio against cache size, every policy, this run's accesses" }</span></h2>
            if mode == Some(Mode::Eviction) {
                <div class="cache-mrc-bar">
                    <button type="button" class="button" data-testid="mrc-start" onclick={onclick} disabled={state == "running"}>
                        { if state == "done" { "Compute again" } else { "Compute miss-ratio curve" } }
                    </button>
                    if let Some((done, total)) = progress {
                        <progress data-testid="mrc-progress" max={total.max(1).to_string()} value={done.to_string()}
                            aria-label="Miss-ratio curve progress" />
                        if state == "running" {
                            <span class="muted" aria-live="polite">{ progress_text(done, total) }</span>
                        }
                    }
                    if let Some(message) = curve.failed.as_ref().filter(|_| state == "running") {
                        <span class="field-error" role="alert">{ message.clone() }</span>
                    }
                    if state == "done" {
                        <span class="muted" data-testid="mrc-done" aria-live="polite">
                            { format!("Done: {} sizes × {} policies.", series.as_ref().map_or(0, |s| s.first().map_or(0, |l| l.points.len())), series.as_ref().map_or(0, |s| s.len())) }
                        </span>
                    }
                </div>
            }
            if series.is_some() {
                <div class="cache-mrc-frame">
                    <canvas ref={canvas_ref} data-testid="mrc-chart" role="img"
                        aria-label="Chart: hit ratio against cache size, one line per policy" />
                </div>
            }
        </section>
    }
}

fn progress_text(done: u64, total: u64) -> String {
    if total == 0 {
        return "Starting the engine…".to_string();
    }
    let pct = 100.0 * done as f64 / total as f64;
    format!("{pct:.0}% — {done} of {total} accesses replayed")
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
    let root = ChartBackend::canvas(canvas)?.into_drawing_area();
    draw_mrc(&root, series, max, dpr).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hopscope_sim::block::run_params;

    #[test]
    fn a_run_gives_back_its_config_and_its_curve_request() {
        let block = hopscope_sim::registry::find("cache").expect("the cache block");
        let params = Params::parse(
            block.params(),
            &[("policy", "all"), ("capacity", "20"), ("accesses", "500")],
        )
        .expect("valid");
        let run = run_params(block, &params, 7);
        let shape = shape_of(&run).expect("a cache run");
        assert_eq!(
            shape,
            Shape {
                mode: Mode::Eviction,
                capacity: 20
            }
        );
        let mrc = run_params(
            block,
            &Params::parse(block.params(), &[("mode", "mrc"), ("capacity", "20")]).expect("valid"),
            7,
        );
        assert_eq!(shape_of(&mrc).map(|s| s.mode), Some(Mode::Mrc));
        let lb = hopscope_sim::registry::find("lb").expect("lb");
        assert_eq!(
            shape_of(&run_params(lb, &Params::defaults(lb.params()).unwrap(), 7)),
            None
        );
        let (request, expected) = curve_request(&run).expect("the curve runs");
        assert_eq!(request.seed, 7);
        assert!(request.params.contains(&("mode".into(), "mrc".into())));
        // What the worker would run: the same accesses, one curve per policy, 20 sizes.
        let curve =
            hopscope_sim::run_scenario(block, &request.params, request.seed).expect("valid");
        assert_eq!(curve.params, expected.to_json());
        let series = curve_of(&curve);
        assert_eq!(series.len(), 6);
        assert!(series.iter().all(|s| s.points.len() == 20), "20 sizes");
    }
}
