//! The lookup at the cursor as a network engineer checks one: `dig`'s output (question, answer
//! and authority sections, status, query time, which cache answered), the resolver's queries as
//! a waterfall (root → TLD → authoritative, each bar its round trip, filled as the cursor
//! passes), the negative answers cached at the cursor, and the run's other lookups.

use super::lookup::{self, Lookup};
use crate::playground::role;
use crate::run_data::SharedRun;
use hopscope_sim::view::Frame;
use hopscope_sim::{SimDuration, SimTime};
use std::rc::Rc;
use yew::prelude::*;

/// Lookups listed around the current one in a long run.
const LISTED: usize = 8;

#[derive(Properties, PartialEq)]
pub struct LookupCardProps {
    pub run: SharedRun,
    pub frame: Rc<Frame>,
    pub t: SimTime,
}

#[component]
pub fn LookupCard(props: &LookupCardProps) -> Html {
    let lookups = use_memo(props.run.clone(), |run| lookup::lookups(&run.run.result));
    let Some(i) = lookup::at_cursor(&lookups, props.t) else {
        return Html::default();
    };
    let l = &lookups[i];
    let t = props.t;
    let done = t >= l.end();
    let status = if done {
        l.rcode.clone()
    } else {
        "resolving".to_string()
    };
    html! {
        <section class="panel dns-lookup" aria-label="The lookup at the cursor" data-testid="dig-card"
            data-lookup={(i + 1).to_string()} data-status={status}>
            <div class="panel-head">
                <h2>{ "dig" }<span class="muted">{ format!(" · lookup {} of {}", i + 1, lookups.len()) }</span></h2>
            </div>
            <div class="dig-body">
                <p class="dig-badges">
                    <span class="dig-badge is-question">{ format!("{}? {}", l.qtype, l.name.trim_end_matches('.')) }</span>
                    <span class="dig-badge">{ format!("host {}", l.client) }</span>
                    if done {
                        <span class={classes!("dig-badge", "is-served", format!("from-{}", l.served_from))} data-testid="dig-served">
                            { format!("answered from {}", served_from_short(l)) }
                        </span>
                        <span class="dig-badge is-time" data-testid="dig-time">{ l.latency.to_string() }</span>
                    }
                    if let Some(zone) = &l.started_at {
                        <span class="dig-badge is-start" data-testid="dig-start"
                            title="The closest zone whose name servers the resolver already knew">
                            { format!("resolver started at {}", start_text(zone)) }
                        </span>
                    }
                </p>
                <pre class={classes!("dig", (!done).then_some("is-pending"))} data-testid="dig-output">{
                    if done { lookup::dig_text(l) } else { lookup::pending_text(l, t) }
                }</pre>
                { waterfall(props, l) }
                { negative_cache(props) }
                if lookups.len() > 1 {
                    { lookup_list(&lookups, i, t) }
                }
            </div>
        </section>
    }
}

fn served_from_short(l: &Lookup) -> &'static str {
    match l.served_from.as_str() {
        "browser" => "browser cache",
        "os" => "OS cache",
        "resolver" => "resolver cache",
        _ => "authoritative servers",
    }
}

fn start_text(zone: &str) -> String {
    match zone {
        "." => ". (root hints)".to_string(),
        z => format!("{z} (cached NS)"),
    }
}

/// The resolver's queries over the lookup's time, one row per query.
fn waterfall(props: &LookupCardProps, l: &Lookup) -> Html {
    if l.queries.is_empty() {
        return Html::default();
    }
    let run = &props.run.run;
    let timeout = run.params["timeout_ms"]
        .as_f64()
        .map_or(SimDuration(0), SimDuration::from_millis_f64);
    let bars = lookup::bars(l, timeout, props.t);
    let span = l.latency.0.max(1) as f64;
    let cursor = (100.0 * props.t.0.saturating_sub(l.start.0) as f64 / span).clamp(0.0, 100.0);
    let show_cursor = props.t >= l.start && props.t <= l.end();
    let node = |name: &str| run.nodes.iter().find(|n| n.name == name);
    html! {
        <div class="waterfall" data-testid="waterfall" role="table" aria-label="Queries the resolver sent">
            <div class="wf-row wf-head" role="row">
                <span role="columnheader">{ "server" }</span>
                <span class="wf-scale" role="columnheader"><span>{ "0" }</span><span>{ l.latency.to_string() }</span></span>
                <span role="columnheader">{ "reply" }</span>
            </div>
            { for l.queries.iter().zip(&bars).map(|(q, bar)| {
                let n = node(&q.server);
                let tier = n.map_or("server", |n| n.role.as_str());
                let tone = n.map_or(5, |n| role::style(&n.role).tone);
                let state = if bar.done >= 1.0 { "is-done" } else if bar.done > 0.0 { "is-flying" } else { "is-ahead" };
                // A query for another name (after a CNAME, or for a name server's address) says so.
                let asked = match q.qname == l.name && q.qtype == l.qtype {
                    true => String::new(),
                    false => format!("{}? {}", q.qtype, q.qname.trim_end_matches('.')),
                };
                let said = match q.rtt {
                    Some(rtt) => format!("{} · {rtt}", q.outcome),
                    None => format!("no reply · timed out after {timeout}"),
                };
                let reply = match (bar.done >= 1.0, asked.is_empty()) {
                    (true, true) => said,
                    (true, false) => format!("{asked}: {said}"),
                    (false, _) => asked,
                };
                html! {
                    <div class={classes!("wf-row", format!("tone-{tone}"), state, bar.timed_out.then_some("is-timeout"))}
                        role="row" data-testid="wf-query" data-server={q.server.clone()} data-tier={tier.to_string()}>
                        <span class="wf-label" role="cell" title={format!("{}? {} @{} ({})", q.qtype, q.qname, q.server, q.address)}>
                            <span class="wf-tier">{ tier_text(tier) }</span>
                            <span class="wf-server">{ q.server.trim_end_matches('.').to_string() }</span>
                        </span>
                        <span class="wf-track" role="cell">
                            <span class="wf-bar" style={format!("left:{:.2}%;width:{:.2}%", bar.left, bar.width)}>
                                <span class="wf-fill" style={format!("width:{:.1}%", 100.0 * bar.done)}></span>
                            </span>
                            if show_cursor {
                                <span class="wf-cursor" style={format!("left:{cursor:.2}%")}></span>
                            }
                        </span>
                        <span class="wf-reply" role="cell">{ reply }</span>
                    </div>
                }
            }) }
        </div>
    }
}

fn tier_text(role: &str) -> &str {
    match role {
        "root" => "root",
        "tld" => "TLD",
        "authoritative" => "auth",
        other => other,
    }
}

/// Negative answers (RFC 2308) cached anywhere at the cursor, with the time they have left.
fn negative_cache(props: &LookupCardProps) -> Html {
    let nodes = &props.run.run.nodes;
    let rows: Vec<Html> = props
        .frame
        .tables
        .iter()
        .enumerate()
        .flat_map(|(i, table)| table.iter().map(move |row| (i, row)))
        .filter(|(_, row)| !row.expired && lookup::is_negative(&row.value))
        .map(|(i, row)| {
            let left = row
                .remaining
                .map(|d| format!("{:.0} s left", d.as_micros() as f64 / 1e6))
                .unwrap_or_default();
            html! {
                <li data-testid="negative-entry">
                    <span class="neg-where">{ nodes.get(i).map(|n| n.label.clone()).unwrap_or_default() }</span>
                    <span class="neg-key">{ row.key.clone() }</span>
                    <span class="neg-value">{ row.value.clone() }</span>
                    <span class="neg-left">{ left }</span>
                </li>
            }
        })
        .collect();
    if rows.is_empty() {
        return Html::default();
    }
    html! {
        <div class="negative-cache" data-testid="negative-cache">
            <h3>{ "Cached non-existence" }<span class="muted">{ " (negative caching, RFC 2308)" }</span></h3>
            <ul>{ for rows }</ul>
        </div>
    }
}

/// The run's lookups around the current one: what each asked, how it ended, how long it took.
fn lookup_list(lookups: &[Lookup], current: usize, t: SimTime) -> Html {
    let from = current
        .saturating_sub(LISTED / 2)
        .min(lookups.len().saturating_sub(LISTED));
    let shown = from..(from + LISTED).min(lookups.len());
    html! {
        <div class="lookup-list">
            <h3>{ "Lookups in this run" }</h3>
            <ol start={(from + 1).to_string()}>
                { for lookups[shown.clone()].iter().enumerate().map(|(k, l)| {
                    let i = from + k;
                    let end = if t >= l.end() {
                        format!("{} · {} · {}", l.rcode, served_from_short(l), l.latency)
                    } else if t >= l.start {
                        "resolving…".to_string()
                    } else {
                        "later".to_string()
                    };
                    html! {
                        <li class={classes!((i == current).then_some("is-current"))} data-testid="lookup-item">
                            <span class="mono">{ format!("{}? {}", l.qtype, l.name.trim_end_matches('.')) }</span>
                            <span class="muted">{ end }</span>
                        </li>
                    }
                }) }
            </ol>
            if lookups.len() > shown.len() {
                <p class="muted">{ format!("{} lookups in all", lookups.len()) }</p>
            }
        </div>
    }
}
