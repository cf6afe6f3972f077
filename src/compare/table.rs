//! The headline numbers of both runs in one table (every number both results report at the top
//! level or one level down), with B − A; below it each run's full results, folded.

use super::pairs::{paired_numbers, NumberRow};
use super::Compared;
use crate::playground::results::{group_digits, Results};
use hopscope_sim::SimDuration;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CompareTableProps {
    pub pair: Rc<Compared>,
}

#[component]
pub fn CompareTable(props: &CompareTableProps) -> Html {
    let pair = &props.pair;
    let rows = paired_numbers(&pair.a.run.result, &pair.b.run.result);
    let head = |name: &'static str, value: &str| {
        html! {
            <th scope="col">
                { super::badge(name) }
                <code class="compare-th-value" title={value.to_string()}>{ Compared::shown(value) }</code>
            </th>
        }
    };
    let body = rows.iter().map(|r| {
        html! {
            <tr key={r.path.clone()} data-key={r.path.clone()}>
                <th scope="row">{ r.label() }</th>
                <td class="num">{ shown(r, r.a) }</td>
                <td class="num">{ shown(r, r.b) }</td>
                <td class="compare-diff">{ difference(r) }</td>
            </tr>
        }
    });
    html! {
        <div class="compare-results">
            if rows.is_empty() {
                <p class="muted">{ "The two results have no numbers in common." }</p>
            } else {
                <div class="result-table-wrap">
                    <table class="compare-table" data-testid="compare-table">
                        <thead><tr>
                            <th scope="col">{ pair.spec.label }</th>
                            { head("A", &pair.a_value) }
                            { head("B", &pair.b_value) }
                            <th scope="col">{ "B − A" }</th>
                        </tr></thead>
                        <tbody>{ for body }</tbody>
                    </table>
                </div>
            }
            <details class="compare-full">
                <summary>{ format!("All results of A ({})", Compared::shown(&pair.a_value)) }</summary>
                <Results run={pair.a.clone()} />
            </details>
            <details class="compare-full">
                <summary>{ format!("All results of B ({})", Compared::shown(&pair.b_value)) }</summary>
                <Results run={pair.b.clone()} />
            </details>
        </div>
    }
}

fn shown(row: &NumberRow, v: f64) -> String {
    if row.is_duration() && v.is_finite() && v >= 0.0 {
        SimDuration::from_micros_f64(v).to_string()
    } else {
        group_digits(v)
    }
}

/// `+12 ms (+25%)`, `−3`, or `=` when equal.
fn difference(row: &NumberRow) -> Html {
    let d = row.b - row.a;
    if !d.is_finite() {
        return html! { <span class="muted">{ "—" }</span> };
    }
    if d == 0.0 {
        return html! { <span class="muted">{ "=" }</span> };
    }
    let sign = if d > 0.0 { "+" } else { "−" };
    let size = shown(row, d.abs());
    let pct = (row.a != 0.0).then(|| format!(" ({sign}{:.0}%)", (d / row.a * 100.0).abs()));
    html! {
        <span class={if d > 0.0 { "is-up" } else { "is-down" }}>
            { format!("{sign}{size}") }<span class="muted">{ pct.unwrap_or_default() }</span>
        </span>
    }
}
