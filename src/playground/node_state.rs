//! What is inside the nodes at the cursor: each node's table (cache lines, DNS records, with
//! their remaining TTL) and ordered lists (recency lists, queues), as the engine's view gives
//! them. Shown only for nodes that have any; the step's node comes first.

use crate::run_data::SharedRun;
use hopscope_sim::view::Frame;
use hopscope_sim::{NodeId, SimDuration};
use std::rc::Rc;
use yew::prelude::*;

/// Rows and list items beyond these are counted, not shown.
const MAX_ROWS: usize = 12;
const MAX_ITEMS: usize = 16;

#[derive(Properties, PartialEq)]
pub struct NodeStateProps {
    pub run: SharedRun,
    pub frame: Rc<Frame>,
    #[prop_or_default]
    pub highlight: Option<NodeId>,
    /// A side badge before the title (`A`, `B` in compare mode).
    #[prop_or_default]
    pub tag: Option<&'static str>,
}

#[component]
pub fn NodeState(props: &NodeStateProps) -> Html {
    let frame = &props.frame;
    let mut shown: Vec<usize> = (0..props.run.run.nodes.len())
        .filter(|&i| {
            frame.tables.get(i).is_some_and(|t| !t.is_empty())
                || frame.lists.get(i).is_some_and(|l| !l.is_empty())
        })
        .collect();
    if shown.is_empty() {
        return Html::default();
    }
    if let Some(h) = props.highlight {
        shown.sort_by_key(|&i| props.run.run.nodes[i].id != h);
    }
    html! {
        <section class="panel state-panel" aria-label="Inside the nodes">
            <h2>
                { for props.tag.map(crate::compare::badge) }
                { "Inside the nodes" }<span class="muted">{ format!(" at {}", frame.t) }</span></h2>
            <div class="state-grid">
                { for shown.into_iter().map(|i| node_card(props, i)) }
            </div>
        </section>
    }
}

fn node_card(props: &NodeStateProps, i: usize) -> Html {
    let node = &props.run.run.nodes[i];
    let table = props
        .frame
        .tables
        .get(i)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let lists = props
        .frame
        .lists
        .get(i)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let highlighted = props.highlight == Some(node.id);
    html! {
        <div key={node.name.clone()} class={classes!("state-card", highlighted.then_some("is-highlighted"))} data-testid="node-state" data-node={node.name.clone()}>
            <div class="state-title">{ node.label.clone() }</div>
            <div>
                if !table.is_empty() {
                    <table class="state-table">
                        <tbody>
                            { for table.iter().take(MAX_ROWS).map(|row| html! {
                                <tr class={classes!(row.expired.then_some("is-expired"))}>
                                    <td class="state-key">{ row.key.clone() }</td>
                                    <td class="state-value">{ row.value.clone() }</td>
                                    <td class="state-ttl">{
                                        match (row.expired, row.remaining) {
                                            (true, _) => "expired".to_string(),
                                            (false, Some(left)) => format!("{} left", ttl(left)),
                                            (false, None) => String::new(),
                                        }
                                    }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                }
                if table.len() > MAX_ROWS {
                    <p class="muted state-more">{ format!("and {} more", table.len() - MAX_ROWS) }</p>
                }
            </div>
            <div>
                { for lists.iter().map(|list| {
                    let hidden = list.items.len().saturating_sub(MAX_ITEMS) as u64 + list.more;
                    html! {
                        <div class="state-list">
                            <span class="state-list-name">{ list.name.clone() }</span>
                            <ol class="state-items">
                                { for list.items.iter().take(MAX_ITEMS).map(|item| html! { <li>{ item.clone() }</li> }) }
                            </ol>
                            if hidden > 0 {
                                <span class="muted">{ format!("+{hidden} more") }</span>
                            }
                            if list.items.is_empty() && hidden == 0 {
                                <span class="muted">{ "empty" }</span>
                            }
                        </div>
                    }
                }) }
            </div>
        </div>
    }
}

/// A remaining TTL the way a person reads it: `480 ms`, `12.5 s`, `4m 05s`, `23h 59m`.
fn ttl(d: SimDuration) -> String {
    let us = d.as_micros();
    let secs = us / 1_000_000;
    match secs {
        0 => d.to_string(),
        1..=59 => format!("{:.1} s", us as f64 / 1e6),
        60..=3599 => format!("{}m {:02}s", secs / 60, secs % 60),
        _ => format!("{}h {:02}m", secs / 3600, secs % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttls_read_at_a_glance() {
        let got: Vec<String> = [480_000, 12_500_000, 245_000_000, 86_399_900_000]
            .map(|us| ttl(SimDuration(us)))
            .to_vec();
        assert_eq!(got, ["480 ms", "12.5 s", "4m 05s", "23h 59m"]);
    }
}
