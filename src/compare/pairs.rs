//! What two runs have in common to put side by side: the headline numbers of their results and
//! their charts, matched by name, so compare mode never needs to know which block it shows.

use crate::run_data::ChartGroup;
use serde_json::Value;

/// One number both results report: its path (`served`, `latency_us.p99`) and the two values.
#[derive(Clone, Debug, PartialEq)]
pub struct NumberRow {
    pub path: String,
    pub a: f64,
    pub b: f64,
}

impl NumberRow {
    /// Whether the value reads as a duration: its key or its parent's ends in `_us`.
    pub fn is_duration(&self) -> bool {
        self.path.split('.').any(|k| k.ends_with("_us"))
    }

    /// The row's label: `latency_us.p99` → `Latency p99`.
    pub fn label(&self) -> String {
        let words: Vec<String> = self
            .path
            .split('.')
            .map(|k| k.strip_suffix("_us").unwrap_or(k).replace('_', " "))
            .collect();
        let text = words.join(" ");
        let mut chars = text.chars();
        match chars.next() {
            Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
            None => text,
        }
    }
}

/// Every number at the top level of both results, or one level down in an object both have, in
/// A's order. Lists and deeper values are left to the full results.
pub fn paired_numbers(a: &Value, b: &Value) -> Vec<NumberRow> {
    let (Value::Object(a), Value::Object(b)) = (a, b) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for (key, va) in a {
        match (va, b.get(key)) {
            (Value::Number(x), Some(Value::Number(y))) => rows.push(NumberRow {
                path: key.clone(),
                a: x.as_f64().unwrap_or(f64::NAN),
                b: y.as_f64().unwrap_or(f64::NAN),
            }),
            (Value::Object(inner_a), Some(Value::Object(inner_b))) => {
                for (k, x) in inner_a {
                    if let (Value::Number(x), Some(Value::Number(y))) = (x, inner_b.get(k)) {
                        rows.push(NumberRow {
                            path: format!("{key}.{k}"),
                            a: x.as_f64().unwrap_or(f64::NAN),
                            b: y.as_f64().unwrap_or(f64::NAN),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    rows
}

/// Charts by title: every chart of A with B's chart of the same title, then B's others.
pub fn paired_charts(a: &[ChartGroup], b: &[ChartGroup]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = a
        .iter()
        .enumerate()
        .map(|(i, g)| (Some(i), b.iter().position(|h| h.title == g.title)))
        .collect();
    for (j, h) in b.iter().enumerate() {
        if !a.iter().any(|g| g.title == h.title) {
            pairs.push((None, Some(j)));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_present_in_both_results_pair_up() {
        let a = json!({
            "served": 190, "dropped": 10, "only_a": 1,
            "latency_us": { "p50": 1500.0, "p99": 90000, "label": "x" },
            "per_backend": [ { "served": 1 } ],
            "theory": null,
        });
        let b = json!({
            "served": 200, "dropped": 0,
            "latency_us": { "p50": 1200, "p99": 40000.5 },
            "per_backend": [ { "served": 2 } ],
            "theory": { "mean_us": 3 },
        });
        let rows = paired_numbers(&a, &b);
        let shown: Vec<String> = rows
            .iter()
            .map(|r| format!("{} {} {} {}", r.label(), r.a, r.b, r.is_duration()))
            .collect();
        // serde_json's map is ordered by key.
        assert_eq!(
            shown,
            [
                "Dropped 10 0 false",
                "Latency p50 1500 1200 true",
                "Latency p99 90000 40000.5 true",
                "Served 190 200 false",
            ]
        );
        assert!(paired_numbers(&json!(null), &json!({})).is_empty());
    }

    #[test]
    fn charts_pair_by_title() {
        let g = |title: &str| ChartGroup {
            title: title.into(),
            unit: String::new(),
            series: vec![0],
        };
        let a = [g("Latency"), g("Drops"), g("Only A")];
        let b = [g("Drops"), g("Only B"), g("Latency")];
        assert_eq!(
            paired_charts(&a, &b),
            [
                (Some(0), Some(2)),
                (Some(1), Some(0)),
                (Some(2), None),
                (None, Some(1))
            ]
        );
    }
}
