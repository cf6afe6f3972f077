//! One chart on a `<canvas>`: drawn by plotters when the run (or the canvas size) changes, with
//! the cursor as an absolutely positioned line placed from the chart's pixel mapping, so moving
//! the cursor costs a style change, not a redraw.

use super::draw::{draw_chart, ChartInput, PlotMapping};
use super::export::{chart_csv, chart_svg, file_stem};
use super::palette::Palette;
use crate::run_data::SharedRun;
use crate::theme::{use_theme, Theme};
use crate::viewport::use_resize_epoch;
use gloo::timers::callback::Timeout;
use hopscope_sim::SimTime;
use plotters::prelude::IntoDrawingArea;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChartCanvasProps {
    pub run: SharedRun,
    /// Index into `RunData::charts`.
    pub group: usize,
    pub t: SimTime,
    /// A time axis and y range shared with another chart (compare mode); `None`: this run's.
    #[prop_or_default]
    pub scale: Option<ChartScale>,
    /// A side badge before the title (`A`, `B` in compare mode).
    #[prop_or_default]
    pub tag: Option<&'static str>,
}

/// The axes two charts side by side share, so equal values sit at equal heights.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartScale {
    pub t_end: SimTime,
    pub y_span: (f64, f64),
}

#[component]
pub fn ChartCanvas(props: &ChartCanvasProps) -> Html {
    let canvas_ref = use_node_ref();
    let mapping = use_state(|| None::<PlotMapping>);
    let epoch = use_resize_epoch();
    let theme = use_theme();
    {
        let canvas_ref = canvas_ref.clone();
        let mapping = mapping.clone();
        use_effect_with(
            (props.run.clone(), props.group, epoch, props.scale, theme),
            move |(run, group, _, scale, theme)| {
                // Drawn in a task of its own, just after the render that asked for it: a page
                // mounting with four charts then never spends their drawing (plotters measuring
                // text, tens of ms on a slow machine) inside the one task that mounts it, which
                // keeps each main-thread task short. Dropped (cancelled) if the inputs change
                // again or the chart unmounts first.
                let (run, group, scale, theme) = (run.clone(), *group, *scale, *theme);
                let pending = Timeout::new(0, move || {
                    mapping.set(draw_into(&canvas_ref, &run, group, scale, theme));
                });
                move || drop(pending)
            },
        );
    }
    let Some(group) = props.run.charts.get(props.group) else {
        return Html::default();
    };
    // Always in the DOM (hidden until the chart is drawn): a node that comes and goes would
    // make Yew's positional diff re-create the canvas beside it, wiping the drawing.
    let cursor_style = match mapping.as_ref() {
        Some(m) => format!(
            "transform: translateX({:.1}px); top: {:.0}px; height: {:.0}px",
            m.x_of(props.t),
            m.top,
            (m.bottom - m.top).max(0.0)
        ),
        None => "display: none".to_string(),
    };
    let stem = file_stem(
        &props.run.run.scenario,
        props.run.run.seed,
        &group.title,
        props.tag,
    );
    let save = |kind: Export| {
        let (run, group, scale, canvas_ref, stem) = (
            props.run.clone(),
            props.group,
            props.scale,
            canvas_ref.clone(),
            stem.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            save_chart(kind, &run, group, scale, theme, &canvas_ref, &stem);
        })
    };
    let what = match props.tag {
        Some(tag) => format!("{} ({tag})", group.title),
        None => group.title.clone(),
    };
    html! {
        <figure class="chart">
            <figcaption>
                { for props.tag.map(crate::compare::badge) }
                <span class="chart-title">{ group.title.clone() }</span>
                if !group.unit.is_empty() {
                    <span class="chart-unit">{ group.unit.clone() }</span>
                }
                <span class="chart-exports">
                    { for [Export::Png, Export::Svg, Export::Csv].into_iter().map(|kind| html! {
                        <button type="button" class="chart-export" data-testid={format!("chart-{}", kind.ext())}
                            aria-label={format!("Download chart “{what}” as {}", kind.name())} title={format!("Download as {}", kind.name())}
                            onclick={save(kind)}>{ kind.name() }</button>
                    }) }
                </span>
            </figcaption>
            <div class="chart-frame">
                <canvas ref={canvas_ref} data-testid="chart" data-chart={group.title.clone()} role="img"
                    aria-label={format!("Chart: {} over time", group.title)} />
                <div class="chart-cursor" data-testid="chart-cursor" aria-hidden="true" style={cursor_style} />
            </div>
        </figure>
    }
}

/// Sizes the canvas to its CSS box × devicePixelRatio and draws; the mapping comes back in CSS
/// pixels. `None` when the canvas is not in the page or has no size yet.
fn draw_into(
    canvas_ref: &NodeRef,
    run: &SharedRun,
    group: usize,
    scale: Option<ChartScale>,
    theme: Theme,
) -> Option<PlotMapping> {
    let canvas = canvas_ref.cast::<HtmlCanvasElement>()?;
    let group = run.charts.get(group)?;
    let (css_w, css_h) = (canvas.client_width(), canvas.client_height());
    if css_w <= 0 || css_h <= 0 {
        return None;
    }
    let dpr = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 4.0);
    canvas.set_width((css_w as f64 * dpr).round() as u32);
    canvas.set_height((css_h as f64 * dpr).round() as u32);
    let backend = super::backend::ChartBackend::canvas(canvas)?;
    let root = backend.into_drawing_area();
    let input = ChartInput {
        series: group
            .series
            .iter()
            .filter_map(|i| run.run.series.get(*i))
            .collect(),
        t_end: scale.map_or(run.run.duration, |s| s.t_end),
        y_span: scale.map(|s| s.y_span),
        palette: Palette::of(theme),
    };
    draw_chart(&root, &input, dpr).ok().map(|m| m.divided(dpr))
}

/// The three downloads of a chart.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Export {
    Png,
    Svg,
    Csv,
}

impl Export {
    fn name(self) -> &'static str {
        match self {
            Export::Png => "PNG",
            Export::Svg => "SVG",
            Export::Csv => "CSV",
        }
    }

    fn ext(self) -> &'static str {
        match self {
            Export::Png => "png",
            Export::Svg => "svg",
            Export::Csv => "csv",
        }
    }
}

/// PNG: the canvas as drawn (device pixels, the theme's colours); SVG: the same chart drawn
/// again at the canvas's CSS size on plotters' SVG backend; CSV: the chart's series.
fn save_chart(
    kind: Export,
    run: &SharedRun,
    group: usize,
    scale: Option<ChartScale>,
    theme: Theme,
    canvas_ref: &NodeRef,
    stem: &str,
) {
    let Some(chart) = run.charts.get(group) else {
        return;
    };
    let series: Vec<_> = chart
        .series
        .iter()
        .filter_map(|i| run.run.series.get(*i))
        .collect();
    let name = format!("{stem}.{}", kind.ext());
    match kind {
        Export::Png => {
            if let Some(url) = canvas_ref
                .cast::<HtmlCanvasElement>()
                .and_then(|c| c.to_data_url_with_type("image/png").ok())
            {
                crate::download::save_data_url(&name, &url);
            }
        }
        Export::Svg => {
            let (w, h) = canvas_ref
                .cast::<HtmlCanvasElement>()
                .map_or((800, 300), |c| {
                    (
                        c.client_width().max(1) as u32,
                        c.client_height().max(1) as u32,
                    )
                });
            let input = ChartInput {
                series,
                t_end: scale.map_or(run.run.duration, |s| s.t_end),
                y_span: scale.map(|s| s.y_span),
                palette: Palette::of(theme),
            };
            if let Ok(svg) = chart_svg(&input, w, h) {
                crate::download::save_text(&name, "image/svg+xml", &svg);
            }
        }
        Export::Csv => {
            crate::download::save_text(&name, "text/csv", &chart_csv(&series));
        }
    }
}
