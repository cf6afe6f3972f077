//! The topology diagram: nodes by role, the links they use, every in-flight message as a
//! packet at its interpolated position, and recent drops flashed on their node.
//!
//! A view of `(run, frame)`: positions come from `geometry`, looks from `role`, a node's
//! condition in words from `status`. Nodes are SVG, one component each (`card`), so a frame
//! re-renders only those whose look changed; a column of many nodes is a grid of marks with one
//! detail card for the node under the pointer or the step's. Packets are drawn on a canvas over
//! the SVG (`packets`), redrawn each frame without touching the DOM tree. With reduced motion,
//! packets jump hop to hop (`motion`).

mod card;
mod packets;
mod size;

use super::geometry::{num, Geometry};
use crate::run_data::SharedRun;
use card::{NodeCard, NodeLook, SlotHint};
use hopscope_sim::view::Frame;
use hopscope_sim::NodeId;
use packets::{DrawnRef, PacketLayer};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TopologyProps {
    pub run: SharedRun,
    pub frame: Rc<Frame>,
    /// The node the current step talks about.
    #[prop_or_default]
    pub highlight: Option<NodeId>,
    /// The box's height is fixed and the drawing is scaled to fit it (an embed): the layout is
    /// chosen for the box's shape ([`Geometry::for_box`]), not only its width.
    #[prop_or_default]
    pub fit_height: bool,
}

/// The drawing's geometry, compared by pointer (it is memoised per run and width).
#[derive(Clone)]
pub struct GeometryRef(pub Rc<Geometry>);

impl PartialEq for GeometryRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A frame, compared by pointer: each animation frame is a new one.
#[derive(Clone)]
pub struct FrameRef(pub Rc<Frame>);

impl PartialEq for FrameRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// What the pointer is over: the mark whose details the slot shows (it stays until the pointer
/// leaves the drawing), and the packet whose tooltip shows.
#[derive(Clone, Debug, Default, PartialEq)]
struct Pointer {
    mark: Option<usize>,
    tip: Option<Tip>,
}

#[derive(Clone, Debug, PartialEq)]
struct Tip {
    hop: usize,
    text: String,
    left: f64,
    top: f64,
}

enum PointerAction {
    /// Over this mark (if any) and this packet (if any).
    Over(Option<usize>, Option<Tip>),
    Leave,
}

impl Reducible for Pointer {
    type Action = PointerAction;
    fn reduce(self: Rc<Self>, action: PointerAction) -> Rc<Self> {
        let next = match action {
            PointerAction::Over(mark, tip) => Pointer {
                mark: mark.or(self.mark),
                tip,
            },
            PointerAction::Leave => Pointer::default(),
        };
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

/// Gauges that say a node's condition (`status`), not its load.
const CONDITION_GAUGES: [&str; 3] = ["alive", "in rotation", "slowdown"];

/// Each node's look at this frame; marks' loads relative to the busiest mark.
fn looks(run: &SharedRun, g: &Geometry, frame: &Frame, highlight: Option<NodeId>) -> Vec<NodeLook> {
    let n = run.run.nodes.len();
    let mut drops: Vec<Vec<&hopscope_sim::view::RecentDrop>> = vec![Vec::new(); n];
    for d in &frame.drops {
        if let Some(v) = drops.get_mut(d.node as usize) {
            v.push(d);
        }
    }
    let mut looks: Vec<NodeLook> = run
        .run
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let gauges = frame.gauges.get(i);
            let text = gauges
                .map(|g| {
                    g.iter()
                        .map(|(k, v)| format!("{k} {}", short_number(*v)))
                        .collect::<Vec<_>>()
                        .join(" · ")
                })
                .unwrap_or_default();
            let load = if g.is_mark(i) {
                gauges.map_or(0.0, |g| {
                    g.iter()
                        .filter(|(k, _)| !CONDITION_GAUGES.contains(&k.as_str()))
                        .map(|(_, v)| v.max(0.0))
                        .sum()
                })
            } else {
                0.0
            };
            let dropped = &drops[i];
            NodeLook {
                gauges: text,
                load,
                status: super::status::of(gauges),
                drops: dropped.last().map(|last| {
                    let what = dropped
                        .iter()
                        .map(|d| format!("#{} dropped: {}", d.msg, d.reason))
                        .collect::<Vec<_>>()
                        .join("; ");
                    (what, last.msg)
                }),
                highlighted: highlight == Some(node.id),
            }
        })
        .collect();
    let busiest = looks
        .iter()
        .enumerate()
        .filter(|(i, _)| g.is_mark(*i))
        .map(|(_, l)| l.load)
        .fold(1.0, f64::max);
    for (i, look) in looks.iter_mut().enumerate() {
        if g.is_mark(i) {
            look.load /= busiest;
        }
    }
    looks
}

#[component]
pub fn Topology(props: &TopologyProps) -> Html {
    let run = &props.run;
    let wrap_ref = use_node_ref();
    // The drawing adapts to the box it gets (measured once mounted, and on every resize).
    let placement = size::use_box_size(wrap_ref.clone());
    let fit_height = placement
        .filter(|_| props.fit_height)
        .map(|p| p.h.round() as i64);
    let geometry = use_memo(
        (
            props.run.clone(),
            placement.map(|p| p.w.round() as i64),
            fit_height,
        ),
        |(run, w, h)| {
            GeometryRef(Rc::new(Geometry::for_box(
                &run.layout,
                w.map(|w| w as f64),
                h.map(|h| h as f64),
            )))
        },
    );
    let g = &geometry.0;
    let frame = &props.frame;
    let reduced_motion = crate::motion::use_reduced_motion();
    let pointer = use_reducer(Pointer::default);
    let drawn = use_memo((), |_| DrawnRef::default());

    // In the browser nothing is drawn before the box is measured (the observer reports before
    // the first paint): drawing at a guessed width first would cost the mount twice.
    let measured = placement.is_some() || !cfg!(target_arch = "wasm32");
    let looks = if measured {
        looks(run, g, frame, props.highlight)
    } else {
        Vec::new()
    };
    let nodes = run.run.nodes.iter().enumerate().take(looks.len()).map(|(i, node)| {
        html! { <NodeCard key={node.id} run={run.clone()} geometry={(*geometry).clone()} index={i} look={looks[i].clone()} /> }
    });
    // Each compact column's slot: the mark under the pointer, else the step's, else a hint.
    let mut slots: Vec<((f64, f64), Vec<usize>)> = Vec::new();
    for (i, slot) in g.marks.iter().enumerate().take(looks.len()) {
        if let Some(at) = slot {
            match slots.iter_mut().find(|s| s.0 == *at) {
                Some(s) => s.1.push(i),
                None => slots.push((*at, vec![i])),
            }
        }
    }
    let details = slots.into_iter().map(|(at, members)| {
        let shown = pointer
            .mark
            .filter(|m| members.contains(m))
            .or_else(|| members.iter().copied().find(|&i| looks[i].highlighted));
        match shown {
            Some(i) => html! {
                <NodeCard key={format!("slot-{i}")} run={run.clone()} geometry={(*geometry).clone()} index={i} look={looks[i].clone()} at_slot=true />
            },
            None => {
                let role = run.run.nodes[members[0]].role.clone();
                html! { <SlotHint key={format!("hint-{}", members[0])} at={(at.0.round() as i64, at.1.round() as i64)} count={members.len()} role={AttrValue::from(role)} /> }
            }
        }
    });

    let onmousemove = {
        let (wrap_ref, drawn, pointer) = (wrap_ref.clone(), drawn.clone(), pointer.dispatcher());
        let (run, geometry) = (run.clone(), geometry.clone());
        Callback::from(move |e: MouseEvent| {
            let mark = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("[data-testid=node][data-node]").ok().flatten())
                .and_then(|el| el.get_attribute("data-node"))
                .and_then(|name| run.run.nodes.iter().position(|n| n.name == name))
                .filter(|&i| geometry.0.is_mark(i));
            let tip = wrap_ref.cast::<web_sys::Element>().and_then(|wrap| {
                let rect = wrap.get_bounding_client_rect();
                let (px, py) = (
                    f64::from(e.client_x()) - rect.left(),
                    f64::from(e.client_y()) - rect.top(),
                );
                packets::tip_at(&drawn.0.borrow(), px, py)
            });
            let tip = tip.map(|(hop, text, left, top)| Tip {
                hop,
                text,
                left,
                top,
            });
            pointer.dispatch(PointerAction::Over(mark, tip));
        })
    };
    let onmouseleave = {
        let pointer = pointer.dispatcher();
        Callback::from(move |_: MouseEvent| pointer.dispatch(PointerAction::Leave))
    };

    let label = format!(
        "Topology: {} nodes, {} messages in flight",
        run.run.nodes.len(),
        frame.packets.len()
    );
    html! {
        <div ref={wrap_ref} class="topology-wrap" {onmousemove} {onmouseleave}>
            <svg class={classes!("topology", g.turned.then_some("is-turned"))} data-testid="topology"
                viewBox={format!("0 0 {} {}", num(g.width), num(g.height))} role="img" aria-label={label}>
                if measured {
                    <Links run={run.clone()} geometry={(*geometry).clone()} />
                }
                <g class="nodes">{ for nodes }</g>
                <g class="details">{ for details }</g>
            </svg>
            <PacketLayer run={run.clone()} geometry={(*geometry).clone()} frame={FrameRef(frame.clone())}
                placement={placement} hovered={pointer.tip.as_ref().map(|t| t.hop)} reduced_motion={reduced_motion}
                drawn={(*drawn).clone()} />
            if let Some(tip) = &pointer.tip {
                <div class="packet-tip" data-testid="packet-tip" role="tooltip"
                    style={format!("left: {:.1}px; top: {:.1}px", tip.left, tip.top)}>{ tip.text.clone() }</div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LinksProps {
    run: SharedRun,
    geometry: GeometryRef,
}

/// The links, drawn once per run and width: a line per link between cards, one path for all
/// links of marks (a fan into the grid).
#[component]
fn Links(props: &LinksProps) -> Html {
    let g = &props.geometry.0;
    let mut fan = String::new();
    let lines: Vec<Html> = props
        .run
        .links
        .iter()
        .filter_map(|&(a, b)| {
            let (a, b) = (a as usize, b as usize);
            let (p, q) = g.link_ends(a, b)?;
            if g.is_mark(a) || g.is_mark(b) {
                fan.push_str(&format!("M{} {}L{} {}", num(p.0), num(p.1), num(q.0), num(q.1)));
                return None;
            }
            Some(html! { <line class="link" x1={num(p.0)} y1={num(p.1)} x2={num(q.0)} y2={num(q.1)} /> })
        })
        .collect();
    html! {
        <g class="links">
            { for lines }
            if !fan.is_empty() {
                <path class="link fan" d={fan} />
            }
        </g>
    }
}

/// One text line of a card: its class, baseline y, text and, for a label drawn smaller than
/// the stylesheet's size to fit, that size in px.
struct CardLine {
    class: &'static str,
    y: f64,
    text: String,
    font_px: Option<f64>,
}

/// The label's size in the stylesheet (`.node .node-label`).
const LABEL_PX: f64 = 13.5;
/// How small a label may be drawn to stay whole before it is cut.
const LABEL_MIN_SCALE: f64 = 0.72;

/// The text lines of a card, centred vertically: the label, the detail wrapped to the room
/// there is, and the gauges.
fn card_lines(
    chars: usize,
    detail_lines: usize,
    label: &str,
    detail: &str,
    gauges: &str,
) -> Vec<CardLine> {
    let line = |class, height, text, font_px| CardLine {
        class,
        y: height,
        text,
        font_px,
    };
    let (label, font_px) = label_fit(label, chars * 6 / 8);
    let mut lines = vec![line("node-label", 17.0, label, font_px)];
    for text in wrap(detail, chars, detail_lines) {
        lines.push(line("node-detail", 14.0, text, None));
    }
    if !gauges.is_empty() {
        lines.push(line("node-gauges", 15.0, fit(gauges, chars), None));
    }
    let total: f64 = lines.iter().map(|l| l.y).sum();
    let mut top = -total / 2.0;
    for line in lines.iter_mut() {
        let height = line.y;
        line.y = top + height * 0.75;
        top += height;
    }
    lines
}

/// A label `max` characters fit at full size: whole and smaller when it is at most a third too
/// wide (a narrow column's `a.root-servers.net`, `recursive resolver`), cut at that smallest size
/// when wider. Returns the text and its size when not the stylesheet's.
fn label_fit(label: &str, max: usize) -> (String, Option<f64>) {
    let max = max as f64;
    let width = glyph_width(label);
    if width <= max {
        return (label.to_string(), None);
    }
    // 3 % in hand: the character estimate is for average glyphs.
    let scale = (0.97 * max / width).max(LABEL_MIN_SCALE);
    (
        fit(label, (0.97 * max / scale) as usize),
        Some(LABEL_PX * scale),
    )
}

/// A text's width in characters of the label's font, the wide glyphs (`m`, `w`, `M`, `W`)
/// counting 1.3.
fn glyph_width(text: &str) -> f64 {
    text.chars()
        .map(|c| match c {
            'm' | 'w' | 'M' | 'W' => 1.3,
            _ => 1.0,
        })
        .sum()
}

/// Splits `text` into at most `max_lines` lines of at most `width` characters, at spaces; the
/// last line ends with an ellipsis when text was left over.
fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if candidate.chars().count() <= width || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::take(&mut current));
            current = word.to_string();
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines.max(1) - 1).join(" ");
        lines.push(format!(
            "{}…",
            rest.chars()
                .take(width.saturating_sub(1))
                .collect::<String>()
        ));
    }
    lines.into_iter().map(|l| fit(&l, width)).collect()
}

/// A gauge value: integers plainly, others with one decimal.
fn short_number(v: f64) -> String {
    if v == v.trunc() && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

/// At most `max` characters, with an ellipsis when cut (the full text is in the node's title).
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.max(1) - 1).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests;
