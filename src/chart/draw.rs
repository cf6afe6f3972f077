//! Draws one chart (all series sharing a `Series::chart` title) with plotters, on any backend:
//! a `<canvas>` in the page, an SVG string in native tests.
//!
//! It returns where the plot area landed in backend pixels, so the page can place the cursor
//! marker as an overlay instead of redrawing the chart on every animation frame.

use super::palette::{Palette, LIGHT};
use hopscope_sim::{Series, SimTime};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The page's system font stack (no web fonts: the app works offline).
pub const FONT: &str =
    "system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif";

/// The light theme's line colours, in legend order (see `palette` for both themes).
pub const SERIES_COLORS: [RGBColor; 8] = LIGHT.series;

/// At most this many lines in one chart: a 100-backend run draws its 12 busiest backends (by
/// peak) and says how many more there are, rather than 100 lines no one can tell apart — and
/// rather than 100 × hundreds of canvas calls in one frame. The CSV download has every series.
pub const MAX_LINES: usize = 12;

/// The series a chart draws, in their original order: all of them up to [`MAX_LINES`], else the
/// `MAX_LINES` with the highest peaks (ties: the earlier series). Returns them and how many
/// were left out.
pub fn shown_series<'a>(series: &[&'a Series]) -> (Vec<&'a Series>, usize) {
    if series.len() <= MAX_LINES {
        return (series.to_vec(), 0);
    }
    let peak = |s: &Series| {
        s.points
            .iter()
            .map(|p| p.1)
            .filter(|v| v.is_finite())
            .fold(f64::NEG_INFINITY, f64::max)
    };
    let mut order: Vec<usize> = (0..series.len()).collect();
    order.sort_by(|&a, &b| peak(series[b]).total_cmp(&peak(series[a])).then(a.cmp(&b)));
    let mut keep: Vec<usize> = order.into_iter().take(MAX_LINES).collect();
    keep.sort_unstable();
    let shown = keep.into_iter().map(|i| series[i]).collect();
    (shown, series.len() - MAX_LINES)
}

/// What to draw: the series of one chart and the length of the run (the x axis always covers
/// the whole run, so the cursor marker moves across the same scale as the scrub slider).
pub struct ChartInput<'a> {
    pub series: Vec<&'a Series>,
    pub t_end: SimTime,
    /// Values the y axis covers at least, beside the series' own (compare mode draws A's and
    /// B's chart on one scale).
    pub y_span: Option<(f64, f64)>,
    /// The theme's colours (a canvas is not styled by CSS).
    pub palette: &'a Palette,
}

/// The plot area in backend pixels and the time it spans.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotMapping {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub t_end: SimTime,
}

impl PlotMapping {
    /// The x pixel of time `t` (clamped to the plot area).
    pub fn x_of(&self, t: SimTime) -> f64 {
        let f = if self.t_end.0 == 0 {
            0.0
        } else {
            (t.0 as f64 / self.t_end.0 as f64).clamp(0.0, 1.0)
        };
        self.left + f * (self.right - self.left)
    }

    /// The same mapping in units `factor` times smaller (device pixels → CSS pixels).
    pub fn divided(&self, factor: f64) -> PlotMapping {
        let f = if factor > 0.0 { factor } else { 1.0 };
        PlotMapping {
            left: self.left / f,
            right: self.right / f,
            top: self.top / f,
            bottom: self.bottom / f,
            t_end: self.t_end,
        }
    }
}

/// The time unit of the x axis: seconds, milliseconds or microseconds, by the run's length.
pub fn time_unit(t_end: SimTime) -> (f64, &'static str) {
    match t_end.0 {
        t if t >= 2_000_000 => (1e6, "s"),
        t if t >= 2_000 => (1e3, "ms"),
        _ => (1.0, "µs"),
    }
}

/// A tick label: integers plainly, fractions with two decimals, or — below 0.1 — two significant
/// digits, so the ticks of a small range (a utilisation of 0.001–0.004) don't all read "0".
pub fn tick_label(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let decimals = if v.abs() < 0.1 {
            ((-v.abs().log10()).ceil() as usize + 1).min(9)
        } else {
            2
        };
        let s = format!("{v:.decimals$}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Draws the chart on `root` (sized in backend pixels); `scale` is the device-pixel ratio, by
/// which every length and font size is multiplied so a high-DPI canvas stays sharp.
pub fn draw_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &ChartInput,
    scale: f64,
) -> Result<PlotMapping, DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * scale).round() as i32;
    let pal = input.palette;
    let (series, more) = shown_series(&input.series);
    root.fill(&pal.background)?;
    let (width, _) = root.dim_in_pixel();
    let font = (FONT, 12.0 * scale).into_font().color(&pal.text);

    // The legend: one row of (swatch, name) items, wrapping when the chart is narrow.
    let line_h = px(18.0);
    let (mut x, mut y) = (px(8.0), px(2.0));
    for (i, s) in series.iter().enumerate() {
        let color = pal.series_color(i);
        let (text_w, text_h) = root.estimate_text_size(&s.name, &font)?;
        let item_w = px(22.0) + text_w as i32 + px(16.0);
        if x + item_w > width as i32 && x > px(8.0) {
            x = px(8.0);
            y += line_h;
        }
        let mid = y + line_h / 2;
        root.draw(&PathElement::new(
            vec![(x, mid), (x + px(16.0), mid)],
            color.stroke_width(px(3.0).max(1) as u32),
        ))?;
        root.draw(&Text::new(
            s.name.clone(),
            (x + px(22.0), mid - text_h as i32 / 2),
            font.clone(),
        ))?;
        x += item_w;
    }
    if more > 0 {
        let note = format!("+ {more} more with lower peaks (all in the CSV)");
        let (text_w, text_h) = root.estimate_text_size(&note, &font)?;
        if x + text_w as i32 > width as i32 && x > px(8.0) {
            x = px(8.0);
            y += line_h;
        }
        let mid = y + line_h / 2;
        root.draw(&Text::new(note, (x, mid - text_h as i32 / 2), font.clone()))?;
    }
    let legend_h = if series.is_empty() {
        0
    } else {
        (y + line_h + px(4.0)).max(0) as u32
    };
    let (_, plot) = root.split_vertically(legend_h);

    let (div, unit) = time_unit(input.t_end);
    let x_end = (input.t_end.0 as f64 / div).max(1.0 / div);
    let values = || {
        series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .filter(|v| v.is_finite())
    };
    let y_max = values().fold(0.0_f64, f64::max);
    let y_min = values().fold(0.0_f64, f64::min);
    let (y_min, y_max) = input
        .y_span
        .map_or((y_min, y_max), |(lo, hi)| (y_min.min(lo), y_max.max(hi)));
    let y_max = if y_max <= y_min {
        y_min + 1.0
    } else {
        y_max + (y_max - y_min) * 0.08
    };

    let mut chart = ChartBuilder::on(&plot)
        .margin_right(px(14.0))
        .margin_top(px(6.0))
        .x_label_area_size(px(24.0))
        .y_label_area_size(px(46.0))
        .build_cartesian_2d(0.0..x_end, y_min..y_max)?;
    let x_fmt = |v: &f64| format!("{} {unit}", tick_label(*v));
    let y_fmt = |v: &f64| tick_label(*v);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(pal.grid.stroke_width(px(1.0).max(1) as u32))
        .axis_style(pal.axis.stroke_width(px(1.0).max(1) as u32))
        .set_tick_mark_size(LabelAreaPosition::Left, 0)
        .set_tick_mark_size(LabelAreaPosition::Bottom, px(4.0))
        .label_style(font.clone())
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()?;
    for (i, s) in series.iter().enumerate() {
        let color = pal.series_color(i);
        let points = s
            .points
            .iter()
            .filter(|p| p.1.is_finite())
            .map(|p| (p.0 .0 as f64 / div, p.1));
        chart.draw_series(LineSeries::new(
            points,
            color.stroke_width(px(1.5).max(1) as u32),
        ))?;
    }
    let (left, top) = chart.backend_coord(&(0.0, y_max));
    let (right, bottom) = chart.backend_coord(&(x_end, y_min));
    root.present()?;
    Ok(PlotMapping {
        left: left as f64,
        right: right as f64,
        top: top as f64,
        bottom: bottom as f64,
        t_end: input.t_end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::backend::ChartBackend;
    use hopscope_sim::Point;

    fn series(name: &str, points: &[(u64, f64)]) -> Series {
        Series {
            chart: "In flight".into(),
            name: name.into(),
            unit: "requests".into(),
            points: points.iter().map(|(t, v)| Point(SimTime(*t), *v)).collect(),
        }
    }

    #[test]
    fn a_crowded_chart_draws_its_busiest_lines_and_counts_the_rest() {
        let many: Vec<Series> = (0..30)
            .map(|i| {
                series(
                    &format!("backend {i}"),
                    &[(0, (i % 7) as f64), (10, (i % 11) as f64)],
                )
            })
            .collect();
        let refs: Vec<&Series> = many.iter().collect();
        let (shown, more) = shown_series(&refs);
        assert_eq!((shown.len(), more), (MAX_LINES, 30 - MAX_LINES));
        let names: Vec<&str> = shown.iter().map(|s| s.name.as_str()).collect();
        // Peaks max(i % 7, i % 11): 10 (i = 10, 21), 9 (9, 20), 8 (8, 19), 7 (7, 18, 29), then
        // three of the 6s (6, 13, 17, 27, 28): the earlier ones win the ties; original order kept.
        assert_eq!(
            names,
            [
                "backend 6",
                "backend 7",
                "backend 8",
                "backend 9",
                "backend 10",
                "backend 13",
                "backend 17",
                "backend 18",
                "backend 19",
                "backend 20",
                "backend 21",
                "backend 29"
            ]
        );
        let few = &refs[..MAX_LINES];
        assert_eq!(shown_series(few), (few.to_vec(), 0));
    }

    fn draw(series: &[Series], t_end: u64, size: (u32, u32), scale: f64) -> (String, PlotMapping) {
        let mut svg = String::new();
        let mapping = {
            let root = ChartBackend::svg(&mut svg, size).into_drawing_area();
            let input = ChartInput {
                series: series.iter().collect(),
                t_end: SimTime(t_end),
                y_span: None,
                palette: &LIGHT,
            };
            draw_chart(&root, &input, scale).expect("the chart draws")
        };
        (svg, mapping)
    }

    /// The contents of every `<text>` element, trimmed.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| t.split_once('>'))
            .filter_map(|(_, rest)| rest.split_once("</text>"))
            .map(|(inner, _)| inner.trim().to_string())
            .collect()
    }

    #[test]
    fn draws_every_series_with_a_legend_and_maps_time_to_pixels() {
        let s = [
            series("backend 1", &[(0, 0.0), (1_000_000, 2.0), (3_000_000, 1.0)]),
            series("backend 2", &[(0, 1.0), (3_000_000, 3.0)]),
        ];
        let (svg, m) = draw(&s, 3_000_000, (640, 220), 1.0);
        assert!(svg.starts_with("<svg"), "{svg}");
        let texts = texts(&svg);
        assert_eq!(
            texts[..2],
            ["backend 1", "backend 2"],
            "the legend comes first"
        );
        for colour in ["#3B5BDB", "#0C9488"] {
            assert_eq!(
                svg.matches(&format!("stroke=\"{colour}\"")).count(),
                2,
                "a legend swatch and a line in {colour}"
            );
        }
        assert!(
            texts.iter().any(|t| t == "2 s"),
            "time ticks in seconds: {texts:?}"
        );
        assert!(0.0 < m.left && m.left < m.right && m.right < 640.0, "{m:?}");
        assert!(0.0 < m.top && m.top < m.bottom && m.bottom < 220.0, "{m:?}");
        assert_eq!(m.x_of(SimTime(0)), m.left);
        assert_eq!(m.x_of(SimTime(3_000_000)), m.right);
        assert_eq!(m.x_of(SimTime(99_000_000)), m.right, "clamped to the plot");
        assert!((m.x_of(SimTime(1_500_000)) - (m.left + m.right) / 2.0).abs() < 1e-9);
    }

    #[test]
    fn a_double_density_canvas_is_the_same_chart_at_twice_the_pixels() {
        let s = [series("p50", &[(0, 5.0), (1_000, 9.0)])];
        let (_, one) = draw(&s, 1_000, (600, 200), 1.0);
        let (svg, two) = draw(&s, 1_000, (1200, 400), 2.0);
        assert!(
            texts(&svg).iter().any(|t| t == "1000 µs"),
            "microsecond ticks for a short run: {:?}",
            texts(&svg)
        );
        let back = two.divided(2.0);
        for (a, b) in [
            (one.left, back.left),
            (one.right, back.right),
            (one.top, back.top),
            (one.bottom, back.bottom),
        ] {
            assert!((a - b).abs() <= 2.0, "{one:?} vs {back:?}");
        }
    }

    #[test]
    fn empty_and_flat_charts_still_draw() {
        draw(&[], 0, (300, 150), 1.0);
        draw(
            &[
                series("flat", &[(0, 0.0), (10, 0.0)]),
                series("nan", &[(5, f64::NAN)]),
            ],
            10,
            (300, 150),
            1.0,
        );
    }

    #[test]
    fn ticks_read_well() {
        let labels: Vec<String> = [0.0, 2.0, 0.5, 0.25, 1.0 / 3.0, 1500.0]
            .iter()
            .map(|v| tick_label(*v))
            .collect();
        assert_eq!(labels, ["0", "2", "0.5", "0.25", "0.33", "1500"]);
        // A small range keeps its ticks apart (two significant digits below 0.1).
        let small: Vec<String> = [0.001, 0.0015, 0.002, 0.004, 0.05, -0.0025, 0.1]
            .iter()
            .map(|v| tick_label(*v))
            .collect();
        assert_eq!(
            small,
            ["0.001", "0.0015", "0.002", "0.004", "0.05", "-0.0025", "0.1"]
        );
        assert_eq!(time_unit(SimTime(3_832_748)), (1e6, "s"));
        assert_eq!(time_unit(SimTime(5_000)), (1e3, "ms"));
        assert_eq!(time_unit(SimTime(999)), (1.0, "µs"));
    }
}
