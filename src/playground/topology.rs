//! The topology diagram: nodes by role, the links they use, every in-flight message as a
//! labelled packet at its interpolated position, and recent drops flashed on their node.
//!
//! A pure view of `(run, frame)`: positions come from `geometry`, looks from `role`, a node's
//! condition in words from `status`. With reduced motion, packets jump hop to hop (`motion`).

use super::geometry::{num, packet_width, Geometry, PACKET_H};
use super::role::{self, glyph_path, outline};
use crate::run_data::SharedRun;
use crate::viewport::use_resize_epoch;
use hopscope_sim::view::Frame;
use hopscope_sim::NodeId;
use std::rc::Rc;
use yew::prelude::*;

/// Packets beyond this many are not drawn (the count is still announced): a diagram of a
/// thousand overlapping pills tells nothing and costs frames.
const MAX_PACKETS: usize = 300;

#[derive(Properties, PartialEq)]
pub struct TopologyProps {
    pub run: SharedRun,
    pub frame: Rc<Frame>,
    /// The node the current step talks about.
    #[prop_or_default]
    pub highlight: Option<NodeId>,
}

#[component]
pub fn Topology(props: &TopologyProps) -> Html {
    let run = &props.run;
    // The drawing adapts to the width it gets (measured after the first render).
    let svg_ref = use_node_ref();
    let width_px = use_state(|| None::<f64>);
    let epoch = use_resize_epoch();
    {
        let (svg_ref, width_px) = (svg_ref.clone(), width_px.clone());
        use_effect_with(epoch, move |_| {
            let w = svg_ref
                .cast::<web_sys::Element>()
                .map(|el| el.get_bounding_client_rect().width());
            if w.is_some_and(|w| w > 0.0) && w != *width_px {
                width_px.set(w);
            }
        });
    }
    let geometry = use_memo(
        (props.run.clone(), width_px.map(|w| w.round() as i64)),
        |(run, w)| Geometry::for_width(&run.layout, w.map(|w| w as f64)),
    );
    let frame = &props.frame;
    let reduced_motion = crate::motion::use_reduced_motion();
    let style_of = |node: usize| run.run.nodes.get(node).map(|n| role::style(&n.role));

    let links = run.links.iter().filter_map(|&(a, b)| {
        let (p, q) = geometry.link_ends(a as usize, b as usize)?;
        Some(
            html! { <line class="link" x1={num(p.0)} y1={num(p.1)} x2={num(q.0)} y2={num(q.1)} /> },
        )
    });

    let node_h = geometry.node_h;
    let nodes = run.run.nodes.iter().enumerate().map(|(i, node)| {
        let (cx, cy) = geometry.centers.get(i).copied().unwrap_or_default();
        let node_w = geometry.width_of(i);
        let look = role::style(&node.role);
        let gauges = frame.gauges.get(i).map(|g| g.iter().map(|(k, v)| format!("{k} {}", short_number(*v))).collect::<Vec<_>>().join(" · ")).unwrap_or_default();
        let drops: Vec<_> = frame.drops.iter().filter(|d| d.node as usize == i).collect();
        let highlighted = props.highlight == Some(node.id);
        let status = super::status::of(frame.gauges.get(i));
        let class = classes!("node", format!("tone-{}", look.tone), highlighted.then_some("is-highlighted"), (!drops.is_empty()).then_some("is-dropping"), status.as_ref().map(|s| s.class));
        let lines = card_lines(geometry.line_chars(i), geometry.detail_lines(), &node.label, &node.detail, &gauges);
        let text_x = num(geometry.text_x(i));
        let drop_mark = (!drops.is_empty()).then(|| {
            let what = drops.iter().map(|d| format!("#{} dropped: {}", d.msg, d.reason)).collect::<Vec<_>>().join("; ");
            html! {
                <g class="drop-mark" data-testid="drop" transform={format!("translate({} {})", num(node_w / 2.0 - 4.0), num(-node_h / 2.0 + 4.0))}>
                    <title>{ what }</title>
                    <circle r="10" />
                    <path d="M-3.6 -3.6L3.6 3.6M3.6 -3.6L-3.6 3.6" />
                    <text class="drop-text" x="-14" y="-6">{ format!("dropped #{}", drops[drops.len() - 1].msg) }</text>
                </g>
            }
        });
        let status_mark = status.as_ref().map(|s| {
            let w = 12.0 + 6.6 * s.badge.chars().count() as f64;
            html! {
                <g class="status-mark" data-testid="node-status" transform={format!("translate({} {})", num(-node_w / 2.0 + 10.0), num(-node_h / 2.0))}>
                    <rect x="0" y="-9" width={num(w)} height="18" rx="4" />
                    <text x={num(w / 2.0)} y="4">{ s.badge.clone() }</text>
                </g>
            }
        });
        let said = status.as_ref().map(|s| format!(" — {}", s.says)).unwrap_or_default();
        html! {
            <g key={node.id} class={class} data-testid="node" data-node={node.name.clone()} transform={format!("translate({} {})", num(cx), num(cy))}>
                <title>{ format!("{} ({}) — {}{said}", node.label, node.role, node.detail) }</title>
                <path class="node-shape" d={outline(look.shape, node_w, node_h)} />
                if geometry.has_icon(i) {
                    <circle class="node-icon" cx={num(-node_w / 2.0 + 24.0)} cy="0" r="15" />
                    <path class="node-glyph" transform={format!("translate({} 0) scale(0.8)", num(-node_w / 2.0 + 24.0))} d={glyph_path(look.glyph)} />
                }
                { for lines.into_iter().map(|(class, y, text)| html! { <text class={class} x={text_x.clone()} y={num(y)}>{ text }</text> }) }
                { for status_mark }
                { for drop_mark }
            </g>
        }
    });

    let packets = frame.packets.iter().take(MAX_PACKETS).map(|p| {
        // Long labels (a 64-bit ID) are cut: the pill must stay a pill; the full label is in
        // its tooltip and the narration.
        let text = format!("{} #{}", fit(&p.label, 14), p.msg);
        let w = packet_width(&text);
        let progress = crate::motion::shown_progress(p.progress, reduced_motion);
        let (x, y) = geometry.packet_at(p.from as usize, p.to as usize, progress, w);
        let tone = style_of(p.from as usize).map_or(0, |s| s.tone);
        html! {
            <g key={p.event} class={classes!("packet", format!("tone-{tone}"))} data-testid="packet" data-msg={p.msg.to_string()} data-hop={p.event.to_string()} transform={format!("translate({} {})", num(x), num(y))}>
                <title>{ format!("{} #{}", p.label, p.msg) }</title>
                <rect x={num(-w / 2.0)} y={num(-PACKET_H / 2.0)} width={num(w)} height={num(PACKET_H)} rx={num(PACKET_H / 2.0)} />
                <text y="3.8">{ text }</text>
            </g>
        }
    });

    let label = format!(
        "Topology: {} nodes, {} messages in flight",
        run.run.nodes.len(),
        frame.packets.len()
    );
    html! {
        <svg ref={svg_ref} class={classes!("topology", geometry.turned.then_some("is-turned"))} data-testid="topology"
            viewBox={format!("0 0 {} {}", num(geometry.width), num(geometry.height))} role="img" aria-label={label}>
            <g class="links">{ for links }</g>
            <g class="nodes">{ for nodes }</g>
            <g class="packets">{ for packets }</g>
        </svg>
    }
}

/// The text lines of a card, `(class, baseline y, text)`, centred vertically: the label, the
/// detail wrapped to the room there is, and the gauges.
fn card_lines(
    chars: usize,
    detail_lines: usize,
    label: &str,
    detail: &str,
    gauges: &str,
) -> Vec<(&'static str, f64, String)> {
    let mut lines: Vec<(&'static str, f64, String)> =
        vec![("node-label", 17.0, fit(label, chars * 6 / 8))];
    for line in wrap(detail, chars, detail_lines) {
        lines.push(("node-detail", 14.0, line));
    }
    if !gauges.is_empty() {
        lines.push(("node-gauges", 15.0, fit(gauges, chars)));
    }
    let total: f64 = lines.iter().map(|l| l.1).sum();
    let mut top = -total / 2.0;
    for line in lines.iter_mut() {
        let height = line.1;
        line.1 = top + height * 0.75;
        top += height;
    }
    lines
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
