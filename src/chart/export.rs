//! A chart taken away: its series as a CSV table (one time column in the run's microseconds,
//! one column per series), the chart as an SVG document (the same drawing code as the canvas,
//! on plotters' SVG backend), and the file names of the downloads. Pure, so tested natively.

use super::backend::ChartBackend;
use super::draw::{draw_chart, ChartInput};
use hopscope_sim::Series;
use plotters::prelude::IntoDrawingArea;
use std::collections::BTreeMap;

/// `t_us,<series 1>,<series 2>,…`: one row per time any series has a point, in time order; a
/// series without a point at that time leaves its cell empty. Values print as the CLI's
/// `--csv` prints them (shortest text that reads back as the same number).
pub fn chart_csv(series: &[&Series]) -> String {
    let mut out = String::from("t_us");
    for s in series {
        out.push(',');
        out.push_str(&csv_field(&s.name));
    }
    out.push('\n');
    let mut rows: BTreeMap<u64, Vec<Option<f64>>> = BTreeMap::new();
    for (col, s) in series.iter().enumerate() {
        for p in &s.points {
            let row = rows
                .entry(p.0 .0)
                .or_insert_with(|| vec![None; series.len()]);
            // Two points of one series at one time: the later one is the value from then on.
            row[col] = Some(p.1);
        }
    }
    for (t, values) in rows {
        out.push_str(&t.to_string());
        for v in values {
            out.push(',');
            if let Some(v) = v {
                out.push_str(&v.to_string());
            }
        }
        out.push('\n');
    }
    out
}

/// RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The chart drawn as a standalone SVG document `width`×`height` pixels.
pub fn chart_svg(input: &ChartInput, width: u32, height: u32) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = ChartBackend::svg(&mut svg, (width.max(1), height.max(1))).into_drawing_area();
        draw_chart(&root, input, 1.0).map_err(|e| format!("the chart could not be drawn: {e}"))?;
    }
    Ok(svg)
}

/// `hopscope-lb-seed-1-latency-p99` for chart "Latency p99" of run `lb` with seed 1 (plus
/// `-a`/`-b` for a compare side): lower-case letters, digits and single dashes.
pub fn file_stem(scenario: &str, seed: u64, chart: &str, tag: Option<&str>) -> String {
    let mut slug = String::new();
    for c in chart
        .chars()
        .chain(tag.map(|t| format!(" {t}")).unwrap_or_default().chars())
    {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "chart" } else { slug };
    format!("hopscope-{scenario}-seed-{seed}-{slug}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::palette::{DARK, LIGHT};
    use hopscope_sim::{Point, SimTime};

    fn series(name: &str, points: &[(u64, f64)]) -> Series {
        Series {
            chart: "Latency".into(),
            name: name.into(),
            unit: "ms".into(),
            points: points.iter().map(|(t, v)| Point(SimTime(*t), *v)).collect(),
        }
    }

    #[test]
    fn csv_has_one_time_column_and_a_column_per_series() {
        let a = series("p50", &[(0, 1.5), (1_000, 2.0)]);
        let b = series("p99, tail", &[(1_000, 9.25), (2_500, 0.1)]);
        assert_eq!(
            chart_csv(&[&a, &b]),
            "t_us,p50,\"p99, tail\"\n0,1.5,\n1000,2,9.25\n2500,,0.1\n"
        );
        assert_eq!(chart_csv(&[]), "t_us\n");
    }

    #[test]
    fn csv_values_read_back_exactly() {
        let v = 0.1 + 0.2;
        let s = series("x", &[(7, v)]);
        let csv = chart_csv(&[&s]);
        let cell = csv.lines().nth(1).unwrap().split(',').nth(1).unwrap();
        assert_eq!(cell.parse::<f64>().unwrap(), v);
    }

    #[test]
    fn svg_is_the_chart_in_the_theme_colours() {
        let s = series("p50", &[(0, 1.0), (3_000_000, 4.0)]);
        for (pal, bg, line) in [
            (&LIGHT, "#FFFFFF", "#3B5BDB"),
            (&DARK, "#161B26", "#849CFF"),
        ] {
            let input = ChartInput {
                series: vec![&s],
                t_end: SimTime(3_000_000),
                y_span: None,
                palette: pal,
            };
            let svg = chart_svg(&input, 640, 240).unwrap();
            assert!(
                svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
                "{svg}"
            );
            assert!(svg.contains("width=\"640\"") && svg.contains("height=\"240\""));
            assert!(svg.contains(&format!("fill=\"{bg}\"")), "background {bg}");
            assert!(svg.contains(&format!("stroke=\"{line}\"")), "line {line}");
            assert!(
                svg.contains(">p50<") || svg.contains("p50\n"),
                "the legend names the series"
            );
        }
    }

    #[test]
    fn file_names_are_slugs() {
        assert_eq!(
            file_stem("lb", 1, "Latency p99 (ms)", None),
            "hopscope-lb-seed-1-latency-p99-ms"
        );
        assert_eq!(
            file_stem("dns", 42, "In flight", Some("B")),
            "hopscope-dns-seed-42-in-flight-b"
        );
        assert_eq!(file_stem("ids", 3, "—", None), "hopscope-ids-seed-3-chart");
    }
}
