//! The run's `result`, shown generically: whatever facts a block reports (numbers, small
//! objects, lists), with long lists summarised rather than dumped.

use crate::run_data::SharedRun;
use hopscope_sim::SimDuration;
use serde_json::Value;
use yew::prelude::*;

/// Lists longer than this show their first items and a count.
const LIST_HEAD: usize = 20;
/// The same inside a table cell, and the longest text a cell shows whole (the rest is in its
/// tooltip): a cell is a glance, the download has everything.
const CELL_LIST_HEAD: usize = 4;
const CELL_TEXT: usize = 40;

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub run: SharedRun,
}

#[component]
pub fn Results(props: &ResultsProps) -> Html {
    let result = &props.run.run.result;
    let body = match result {
        Value::Object(map) if !map.is_empty() => html! {
            <dl class="result-list">
                { for map.iter().map(|(k, v)| html! {
                    <div class="result-row" key={k.clone()}>
                        <dt>{ humanize(k) }</dt>
                        <dd>{ value(k, v, 0, props.run.cut_len(k)) }</dd>
                    </div>
                }) }
            </dl>
        },
        Value::Null => html! { <p class="muted">{ "This block reports no result." }</p> },
        other => value("", other, 0, None),
    };
    html! { <div class="results" data-testid="result">{ body }</div> }
}

/// `latency_us` → `latency` (its values read as durations), `per_backend` → `per backend`.
fn humanize(key: &str) -> String {
    let words = key.strip_suffix("_us").unwrap_or(key).replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        // Result keys are ASCII (`snake_case` field names): no Unicode case tables needed.
        Some(first) => std::iter::once(first.to_ascii_uppercase())
            .chain(chars)
            .collect(),
        None => words,
    }
}

/// `full_len`: the length of an array the engine worker shortened for the page (the JSON
/// download has it whole).
fn value(key: &str, v: &Value, depth: usize, full_len: Option<usize>) -> Html {
    match v {
        Value::Number(n) => number(key, n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) if depth > 0 && s.chars().count() > CELL_TEXT => {
            let head: String = s.chars().take(CELL_TEXT - 1).collect();
            html! { <span class="result-text" title={s.clone()}>{ format!("{head}…") }</span> }
        }
        Value::String(s) => html! { <span class="result-text">{ s.clone() }</span> },
        Value::Bool(b) => html! { <span>{ if *b { "yes" } else { "no" } }</span> },
        Value::Null => html! { <span class="muted">{ "—" }</span> },
        Value::Object(map) if depth < 2 => html! {
            <span class="result-inline">
                { for map.iter().map(|(k, inner)| html! {
                    <span class="result-pair"><span class="result-key">{ k.replace('_', " ") }</span>{ value(key, inner, depth + 1, None) }</span>
                }) }
            </span>
        },
        // An empty list (no failure to detect, no keys moved): said, not an empty table.
        Value::Array(items) if items.is_empty() => html! { <span class="muted">{ "none" }</span> },
        Value::Array(items) if items.iter().all(|i| i.is_object()) && depth == 0 => {
            table(key, items)
        }
        // Nested structures inside a table cell: a count, not a dump (a block's own panel shows
        // them properly, e.g. the IDs' bit anatomy for `decoded[].fields`).
        Value::Array(items) if depth > 0 && items.iter().any(|i| i.is_object() || i.is_array()) => {
            html! { <span class="muted">{ format!("{} entries", group_digits(items.len() as f64)) }</span> }
        }
        Value::Object(map) => {
            let fields = if map.len() == 1 { "field" } else { "fields" };
            html! { <span class="muted">{ format!("{} {fields}", map.len()) }</span> }
        }
        Value::Array(items) => {
            let shown = if depth > 0 { CELL_LIST_HEAD } else { LIST_HEAD };
            let head: Vec<String> = items.iter().take(shown).map(scalar_text).collect();
            let total = full_len.unwrap_or(items.len());
            html! {
                <span class="result-list-inline">
                    <span class="mono">{ head.join(", ") }</span>
                    if total > shown {
                        <span class="muted">{ format!(" … {} in all", group_digits(total as f64)) }</span>
                    }
                </span>
            }
        }
    }
}

/// A list of objects as a small table: one row per item (the first `LIST_HEAD`); a column whose
/// name ends in `_us` reads as durations, like a top-level key. A wide table scrolls sideways:
/// its frame takes the keyboard focus so that it can be scrolled without a pointer.
fn table(key: &str, items: &[Value]) -> Html {
    let mut columns: Vec<&String> = Vec::new();
    for item in items {
        if let Value::Object(map) = item {
            for k in map.keys() {
                if !columns.contains(&k) {
                    columns.push(k);
                }
            }
        }
    }
    html! {
        <div class="result-table-wrap" tabindex="0" role="region" aria-label={format!("{} table", humanize(key))}>
            <table class="result-table">
                <thead><tr><th>{ "#" }</th>{ for columns.iter().map(|c| html! { <th>{ c.strip_suffix("_us").unwrap_or(c).replace('_', " ") }</th> }) }</tr></thead>
                <tbody>
                    { for items.iter().take(LIST_HEAD).enumerate().map(|(i, item)| html! {
                        <tr>
                            <td class="muted">{ i + 1 }</td>
                            { for columns.iter().map(|c| html! { <td>{ value(c, item.get(c.as_str()).unwrap_or(&Value::Null), 2, None) }</td> }) }
                        </tr>
                    }) }
                </tbody>
            </table>
            if items.len() > LIST_HEAD {
                <p class="muted">{ format!("First {LIST_HEAD} of {} rows.", group_digits(items.len() as f64)) }</p>
            }
        </div>
    }
}

/// Numbers under a key ending in `_us` read as durations (`49.8 ms`), others with grouped digits.
fn number(key: &str, v: f64) -> Html {
    if key.ends_with("_us") && v.is_finite() && v >= 0.0 {
        let d = SimDuration::from_micros_f64(v);
        return html! { <span class="num" title={format!("{} µs", group_digits(v))}>{ d.to_string() }</span> };
    }
    html! { <span class="num">{ group_digits(v) }</span> }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

/// `1234567` → `1,234,567`; fractions keep up to three decimals.
pub fn group_digits(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let neg = v < 0.0;
    let thousandths = (v.abs() * 1000.0).round();
    let whole = (thousandths / 1000.0).trunc() as u64;
    let frac = (thousandths % 1000.0) as u32;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if frac > 0 {
        out.push('.');
        out.push_str(format!("{frac:03}").trim_end_matches('0'));
    }
    if neg && out != "0" {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_their_digits() {
        let got: Vec<String> = [
            0.0, 999.0, 1000.0, 1234567.0, 59764.825, -12.5, 0.0001, 0.9996,
        ]
        .iter()
        .map(|v| group_digits(*v))
        .collect();
        assert_eq!(
            got,
            [
                "0",
                "999",
                "1,000",
                "1,234,567",
                "59,764.825",
                "-12.5",
                "0",
                "1"
            ]
        );
    }

    /// A block's default run (seed 1), its `result`, and the results panel rendered from it.
    fn rendered(block: &str) -> (Value, String) {
        use crate::run_data::RunData;
        use hopscope_sim::{registry, run_scenario};
        use std::rc::Rc;
        let block = registry::find(block).expect("the block is registered");
        let run = run_scenario::<&str, &str>(block, &[], 1).expect("defaults run");
        let result = run.result.clone();
        let props = ResultsProps {
            run: SharedRun(Rc::new(RunData::new(run))),
        };
        let html = futures::executor::block_on(
            yew::LocalServerRenderer::<Results>::with_props(props).render(),
        );
        (result, html)
    }

    /// The balancer's defaults report no failure detected and no keys moved: empty lists, which
    /// once rendered as a table with only its `#` heading.
    #[test]
    fn empty_lists_say_none() {
        let (result, html) = rendered("lb");
        assert_eq!(result["detection"], serde_json::json!([]));
        for key in ["Detection", "Moved keys"] {
            let row = format!("<dt>{key}</dt><dd><span class=\"muted\">none</span></dd>");
            assert!(html.contains(&row), "{key}: {html}");
        }
        assert!(
            !html.contains("<th>#</th></tr></thead><tbody></tbody>"),
            "{html}"
        );
    }

    /// A cache run's `policies` rows hold long strings (`outcomes`: one letter per access),
    /// objects (`lists`) and long key lists: each cell is a glance, never a dump.
    #[test]
    fn table_cells_are_short() {
        let (result, html) = rendered("cache");
        let outcomes = result["policies"][0]["outcomes"]
            .as_str()
            .expect("outcomes are a string")
            .to_string();
        assert!(outcomes.len() > CELL_TEXT);
        assert!(
            !html.contains("{&quot;"),
            "an object dumped as JSON: {html}"
        );
        let cut: String = outcomes.chars().take(CELL_TEXT - 1).collect();
        assert!(html.contains(&format!("title=\"{outcomes}\"")), "{html}");
        assert!(html.contains(&format!("\">{cut}…<")), "{html}");
        assert!(!html.contains(&format!(">{outcomes}<")), "{html}");
    }

    /// A DNS run's `lookups` rows have `latency_us`: the column reads "latency", in durations.
    #[test]
    fn duration_columns_read_as_durations() {
        let (result, html) = rendered("dns");
        let us = result["lookups"][0]["latency_us"]
            .as_f64()
            .expect("a lookup's latency");
        let shown = SimDuration::from_micros_f64(us).to_string();
        assert!(html.contains("<th>latency</th>"), "{html}");
        assert!(
            html.contains(&format!(
                "<td><span title=\"{} µs\" class=\"num\">{shown}</span></td>",
                group_digits(us)
            )),
            "{html}"
        );
    }

    #[test]
    fn keys_read_as_words() {
        assert_eq!(humanize("latency_us"), "Latency");
        assert_eq!(humanize("per_backend"), "Per backend");
    }
}
