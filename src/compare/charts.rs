//! The charts of both runs in pairs: the same chart of A and of B side by side (A's lines in
//! their usual colours on both, so backend 2 is the same colour twice), on one time axis and
//! one y range, with the shared cursor on both. Side by side reads better than A and B lines
//! overlaid: a chart of ten backends would carry twenty lines.

use super::pairs::paired_charts;
use super::Compared;
use crate::chart::canvas::{ChartCanvas, ChartScale};
use crate::run_data::SharedRun;
use hopscope_sim::SimTime;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CompareChartsProps {
    pub pair: Rc<Compared>,
    pub t: SimTime,
}

#[component]
pub fn CompareCharts(props: &CompareChartsProps) -> Html {
    let pair = &props.pair;
    let (a, b) = (&pair.a, &pair.b);
    let t_end = a.run.duration.max(b.run.duration);
    let rows = paired_charts(&a.charts, &b.charts)
        .into_iter()
        .map(|(ia, ib)| {
            let scale = ChartScale {
                t_end,
                y_span: span(&[(a, ia), (b, ib)]),
            };
            let title = ia
                .and_then(|i| a.charts.get(i))
                .or_else(|| ib.and_then(|i| b.charts.get(i)))
                .map(|g| g.title.clone())
                .unwrap_or_default();
            let cell = |name: &'static str, run: &SharedRun, group: Option<usize>| match group {
                Some(g) => html! {
                    <ChartCanvas run={run.clone()} group={g} t={props.t} scale={scale} tag={name} />
                },
                None => html! {
                    <p class="muted chart-missing">{ format!("{name} has no “{title}” chart.") }</p>
                },
            };
            html! {
                <div class="chart-pair" key={title.clone()} data-testid="chart-pair">
                    { cell("A", a, ia) }
                    { cell("B", b, ib) }
                </div>
            }
        });
    html! { <div class="compare-charts">{ for rows }</div> }
}

/// The y range covering every finite value of the given charts (and 0).
fn span(charts: &[(&SharedRun, Option<usize>)]) -> (f64, f64) {
    let mut range = (0.0_f64, 0.0_f64);
    for (run, group) in charts {
        let Some(g) = group.and_then(|g| run.charts.get(g)) else {
            continue;
        };
        for s in g.series.iter().filter_map(|i| run.run.series.get(*i)) {
            for p in s.points.iter().filter(|p| p.1.is_finite()) {
                range = (range.0.min(p.1), range.1.max(p.1));
            }
        }
    }
    range
}
