//! Draws the miss-ratio curve — hit ratio (%) against cache size in entries, one line per
//! policy with a legend — with plotters on any backend: the page's `<canvas>`, an SVG string in
//! native tests. The generic chart (`chart::draw`) puts time on x; here x is a size.

use crate::chart::draw::{tick_label, FONT};
use crate::chart::palette::Palette;
use hopscope_sim::Series;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Draws `series` (points `[size, hit ratio %]`, the engine's `mrc` series) for sizes up to
/// `max_size`; `scale` is the device-pixel ratio.
pub fn draw_mrc<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &[Series],
    max_size: usize,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * scale).round() as i32;
    // The theme painted when the curve is drawn (a canvas is not styled by CSS).
    let pal = Palette::of(crate::theme::current_theme());
    let font = (FONT, 12.0 * scale).into_font().color(&pal.text);
    root.fill(&pal.background)?;
    let mut chart = ChartBuilder::on(root)
        .margin(px(10.0))
        .x_label_area_size(px(34.0))
        .y_label_area_size(px(46.0))
        .build_cartesian_2d(0.0..max_size.max(1) as f64, 0.0..100.0)?;
    let x_fmt = |v: &f64| tick_label(*v);
    let y_fmt = |v: &f64| format!("{}%", tick_label(*v));
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(pal.grid.stroke_width(px(1.0).max(1) as u32))
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .x_desc("cache size (entries)")
        .y_desc("hit ratio")
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()?;
    let width = px(2.0).max(1) as u32;
    for (i, s) in series.iter().enumerate() {
        let color = pal.series_color(i);
        let points: Vec<(f64, f64)> = s.points.iter().map(|p| (p.0 .0 as f64, p.1)).collect();
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(width)))?
            .label(s.name.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(width))
            });
        chart.draw_series(
            points
                .into_iter()
                .map(|p| Circle::new(p, px(2.5), color.filled())),
        )?;
    }
    if !series.is_empty() {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(pal.background.mix(0.85))
            .border_style(pal.grid)
            .label_font(font)
            .draw()?;
    }
    root.present()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::backend::ChartBackend;
    use hopscope_sim::{Point, SimTime};

    #[test]
    fn draws_a_line_and_a_legend_entry_per_policy_with_size_on_x() {
        let line = |name: &str, pts: &[(u64, f64)]| Series {
            chart: "Hit ratio by cache size".into(),
            name: name.into(),
            unit: "%".into(),
            points: pts.iter().map(|&(s, v)| Point(SimTime(s), v)).collect(),
        };
        let series = [
            line("LRU", &[(10, 20.0), (20, 35.0)]),
            line("ARC", &[(10, 25.0), (20, 41.0)]),
        ];
        let mut svg = String::new();
        {
            let root = ChartBackend::svg(&mut svg, (600, 300)).into_drawing_area();
            draw_mrc(&root, &series, 20, 1.0).expect("draws");
        }
        for text in ["LRU", "ARC", "cache size (entries)", "hit ratio", "100%"] {
            assert!(
                svg.contains(&format!(">{text}<")) || svg.contains(text),
                "{text}"
            );
        }
        assert!(
            svg.contains("#3B5BDB") && svg.contains("#0C9488"),
            "two colours"
        );
    }

    #[test]
    fn an_empty_curve_still_draws_its_axes() {
        let mut svg = String::new();
        {
            let root = ChartBackend::svg(&mut svg, (300, 150)).into_drawing_area();
            draw_mrc(&root, &[], 0, 1.0).expect("draws");
        }
        assert!(svg.contains("cache size (entries)"));
    }
}
