//! Each eviction policy's structure at the cursor, drawn the way its source draws it: LRU and
//! FIFO as one list from the newest key to the eviction end; LFU as keys with their counts;
//! ARC as Megiddo & Modha's figure (FAST 2003, fig. 4) — `B1 ← T1 | T2 → B2`, both caches'
//! most recent ends meeting in the middle, the target `p` marked on the T1/T2 boundary;
//! W-TinyLFU as Caffeine lays it out — window → probation / protected — with the last admission
//! contest (the sketch's estimates for candidate and victim, and who won).
//!
//! It reads only what the engine recorded (`frame.lists`, `frame.gauges`): list names say which
//! policy a node runs, so nothing here asks for the parameters. Keys are chips with text;
//! colour only repeats what the text says.

use crate::run_data::SharedRun;
use hopscope_sim::view::{Frame, NodeList};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InsidesProps {
    pub run: SharedRun,
    pub frame: Rc<Frame>,
}

/// One card per cache node that has lists at the cursor.
#[component]
pub fn Insides(props: &InsidesProps) -> Html {
    let frame = &props.frame;
    let cards: Vec<Html> = props
        .run
        .run
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.role == "cache")
        .filter_map(|(i, n)| {
            let lists = frame.lists.get(i).filter(|l| !l.is_empty())?;
            let gauge = |name: &str| frame.gauges.get(i).and_then(|g| g.get(name)).copied();
            Some(html! {
                <div key={n.name.clone()} class="cache-card" data-testid="cache-policy" data-node={n.name.clone()}>
                    <div class="cache-card-title">{ n.label.clone() }</div>
                    { structure(lists, &gauge) }
                </div>
            })
        })
        .collect();
    if cards.is_empty() {
        return Html::default();
    }
    html! {
        <section class="panel cache-insides" data-testid="cache-insides" aria-label="Inside the policy">
            <h2>{ "Inside the policy" }<span class="muted">{ format!(" at {}", frame.t) }</span></h2>
            { for cards }
        </section>
    }
}

fn find<'a>(lists: &'a [NodeList], name: &str) -> Option<&'a NodeList> {
    lists.iter().find(|l| l.name == name)
}

/// The drawing for whichever policy these lists belong to.
fn structure(lists: &[NodeList], gauge: &dyn Fn(&str) -> Option<f64>) -> Html {
    let get = |n: &str| find(lists, n);
    if let (Some(t1), Some(t2)) = (get("T1 (once)"), get("T2 (twice or more)")) {
        return arc(
            t1,
            t2,
            get("B1 (ghosts of T1)"),
            get("B2 (ghosts of T2)"),
            gauge,
        );
    }
    if let Some(window) = get("window") {
        return tinylfu(
            window,
            get("probation"),
            get("protected"),
            get("admission"),
            gauge,
        );
    }
    let ends = |l: &NodeList, new: &str, old: &str| {
        html! { <div class="cache-row">{ line(l, new, old, false) }</div> }
    };
    if let Some(l) = get("recency") {
        return ends(l, "most recent", "evicted next (least recent)");
    }
    if let Some(l) = get("queue") {
        return ends(l, "newest", "evicted next (oldest)");
    }
    if let Some(l) = get("by count") {
        return ends(l, "most used", "evicted next (fewest uses)");
    }
    if let Some(l) = get("resident (no order)") {
        return ends(l, "resident, in no order", "any key may be evicted");
    }
    // A policy this panel does not know: its lists, plainly.
    let plain = lists
        .iter()
        .map(|l| html! { <div class="cache-row">{ line(l, &l.name, "", false) }</div> });
    html! { <>{ for plain }</> }
}

/// The number of keys in a list, counting those the log left out.
fn size(l: &NodeList) -> u64 {
    l.items.len() as u64 + l.more
}

/// A list as chips between two end labels. `reversed`: the eviction end on the left (T1, B1).
fn line(l: &NodeList, front: &str, back: &str, reversed: bool) -> Html {
    let mut chips: Vec<Html> = l.items.iter().map(|k| chip(k)).collect();
    if l.more > 0 {
        chips.push(html! { <li class="cache-chip is-more">{ format!("+{} more", l.more) }</li> });
    }
    let (left, right) = if reversed {
        chips.reverse();
        (back, front)
    } else {
        (front, back)
    };
    html! {
        <div class="cache-list" data-testid="cache-list" data-list={l.name.clone()}>
            <div class="cache-list-head">
                <span class="cache-list-name">{ l.name.clone() }</span>
                <span class="muted">{ format!(" {} key{}", size(l), if size(l) == 1 { "" } else { "s" }) }</span>
            </div>
            <div class="cache-ends"><span>{ left }</span><span>{ right }</span></div>
            if l.items.is_empty() && l.more == 0 {
                <p class="muted cache-empty">{ "empty" }</p>
            } else {
                <ol class={classes!("cache-chips", reversed.then_some("is-reversed"))}>{ for chips }</ol>
            }
        </div>
    }
}

/// A key, or `key ×n` (LFU) as the key with its count beside it.
fn chip(item: &str) -> Html {
    match item.rsplit_once(" ×") {
        Some((key, n)) => html! {
            <li class="cache-chip"><code>{ key.to_string() }</code><span class="cache-count">{ format!("×{n}") }</span></li>
        },
        None => html! { <li class="cache-chip"><code>{ item.to_string() }</code></li> },
    }
}

fn arc(
    t1: &NodeList,
    t2: &NodeList,
    b1: Option<&NodeList>,
    b2: Option<&NodeList>,
    gauge: &dyn Fn(&str) -> Option<f64>,
) -> Html {
    let p = gauge("p (target size of T1)");
    let ghost = |l: Option<&NodeList>, reversed: bool| {
        l.map(|l| html! { <div class="cache-ghosts">{ line(l, "recent ghost", "forgotten next", reversed) }</div> })
    };
    let target = match p {
        Some(p) => format!(
            "p = {} — ARC aims for {} in T1; T1 holds {}",
            trim(p),
            trim(p),
            size(t1)
        ),
        None => "p not recorded yet".to_string(),
    };
    html! {
        <div class="cache-arc" data-testid="cache-arc">
            <p class="cache-note">{ "B1 ← T1 | T2 → B2: each list's most recent key sits toward the middle; keys leave outward." }</p>
            <div class="cache-arc-row">
                { ghost(b1, true).unwrap_or_default() }
                <div class="cache-t1">{ line(t1, "most recent", "evicted to B1", true) }</div>
                <div class="cache-p" data-testid="cache-p" role="note" aria-label={target.clone()}>
                    <span class="cache-p-mark" aria-hidden="true">{ "▲ p" }</span>
                    <span class="cache-p-text">{ target }</span>
                </div>
                <div class="cache-t2">{ line(t2, "most recent", "evicted to B2", false) }</div>
                { ghost(b2, false).unwrap_or_default() }
            </div>
        </div>
    }
}

fn tinylfu(
    window: &NodeList,
    probation: Option<&NodeList>,
    protected: Option<&NodeList>,
    admission: Option<&NodeList>,
    gauge: &dyn Fn(&str) -> Option<f64>,
) -> Html {
    let main = |l: Option<&NodeList>, back: &str| l.map(|l| line(l, "most recent", back, false));
    html! {
        <div class="cache-tinylfu" data-testid="cache-tinylfu">
            <div class="cache-tinylfu-row">
                <div class="cache-window">{ line(window, "most recent", "to probation as candidate", false) }</div>
                <span class="cache-arrow" aria-hidden="true">{ "→" }</span>
                <div class="cache-main">
                    { main(probation, "the victim (next to evict)").unwrap_or_default() }
                    { main(protected, "demoted to probation").unwrap_or_default() }
                </div>
            </div>
            { contest(admission) }
            if let Some(r) = gauge("sketch resets") {
                <p class="muted cache-note">{ format!("The count-min sketch has halved its counters {} time{} (aging).", trim(r), if r == 1.0 { "" } else { "s" }) }</p>
            }
        </div>
    }
}

/// The last admission contest, from the engine's three lines: `candidate K ≈ n`, `victim K ≈ m`,
/// `K evicted` (the candidate won) or `K rejected` (the victim stayed).
fn contest(admission: Option<&NodeList>) -> Html {
    let items = admission.map(|l| l.items.as_slice()).unwrap_or_default();
    let side = |line: Option<&String>, prefix: &str| {
        line.and_then(|s| s.strip_prefix(prefix))
            .and_then(|s| s.rsplit_once(" ≈ "))
            .map(|(k, n)| (k.to_string(), n.to_string()))
    };
    let (Some((cand, cn)), Some((victim, vn))) = (
        side(items.first(), "candidate "),
        side(items.get(1), "victim "),
    ) else {
        return html! { <p class="muted cache-note" data-testid="cache-contest">{ "No admission contest yet: the main space has had room." }</p> };
    };
    let admitted = items.get(2).is_some_and(|s| s.ends_with(" evicted"));
    let who = |key: &str, role: &str, est: &str, won: bool| {
        html! {
            <div class={classes!("cache-contender", won.then_some("is-winner"))}>
                <span class="muted">{ role }</span>
                <span class="cache-chip"><code>{ key.to_string() }</code></span>
                <span>{ format!("estimate ≈ {est}") }</span>
                <strong>{ if won { "kept" } else if role == "candidate" { "rejected" } else { "evicted" } }</strong>
            </div>
        }
    };
    html! {
        <div class="cache-contest" data-testid="cache-contest">
            <span class="cache-list-name">{ "Last admission contest" }</span>
            <div class="cache-contenders">
                { who(&cand, "candidate", &cn, admitted) }
                <span class="cache-vs" aria-hidden="true">{ "vs" }</span>
                { who(&victim, "victim", &vn, !admitted) }
            </div>
        </div>
    }
}

/// A gauge value without a needless `.0`; at most two decimals.
fn trim(v: f64) -> String {
    crate::chart::draw::tick_label(v)
}
