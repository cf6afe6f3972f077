//! One node of the topology as its own component, so a frame re-renders only the nodes whose
//! look changed (a gauge, a drop, the highlight), not all hundred: a full card (shape, glyph,
//! label, detail, gauges, status badge, drop mark) or, in a compact column, a small mark whose
//! filled part is its load.

use super::{card_lines, fit, GeometryRef};
use crate::playground::geometry::{num, MARK};
use crate::playground::role::{glyph_path, outline, style};
use crate::playground::status::Status;
use crate::run_data::SharedRun;
use yew::prelude::*;

/// What a node shows at the cursor: everything of it that changes from frame to frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeLook {
    /// The gauges in words (`busy 2 · queued 1`).
    pub gauges: String,
    /// The node's load as a share of the busiest mark of its column (marks only).
    pub load: f64,
    pub status: Option<Status>,
    /// Recent drops: the tooltip (`#8 dropped: queue full; …`) and the last message dropped.
    pub drops: Option<(String, u64)>,
    pub highlighted: bool,
}

#[derive(Properties, PartialEq)]
pub struct NodeCardProps {
    pub run: SharedRun,
    pub geometry: GeometryRef,
    pub index: usize,
    pub look: NodeLook,
    /// Draw the node's full card at its column's detail slot (a mark's details) instead of at
    /// its own place.
    #[prop_or_default]
    pub at_slot: bool,
}

#[component]
pub fn NodeCard(props: &NodeCardProps) -> Html {
    let g = &props.geometry.0;
    let i = props.index;
    let Some(node) = props.run.run.nodes.get(i) else {
        return Html::default();
    };
    let look = &props.look;
    let tone = style(&node.role).tone;
    let said = look
        .status
        .as_ref()
        .map(|s| format!(" — {}", s.says))
        .unwrap_or_default();
    let class = classes!(
        "node",
        format!("tone-{tone}"),
        look.highlighted.then_some("is-highlighted"),
        look.drops.is_some().then_some("is-dropping"),
        look.status.as_ref().map(|s| s.class)
    );
    if g.is_mark(i) && !props.at_slot {
        let (cx, cy) = g.centers.get(i).copied().unwrap_or_default();
        let h = MARK * look.load.clamp(0.0, 1.0);
        let half = MARK / 2.0;
        let gauges = if look.gauges.is_empty() {
            String::new()
        } else {
            format!(" — {}", look.gauges)
        };
        return html! {
            <g class={classes!(class, "mark")} data-testid="node" data-node={node.name.clone()}
                transform={format!("translate({} {})", num(cx), num(cy))}>
                <title>{ format!("{} ({}){gauges}{said}", node.label, node.role) }</title>
                <rect class="mark-shape" x={num(-half)} y={num(-half)} width={num(MARK)} height={num(MARK)} rx="3" />
                if h > 0.0 {
                    <rect class="mark-load" x={num(-half)} y={num(half - h)} width={num(MARK)} height={num(h)} rx="2" />
                }
            </g>
        };
    }
    let (cx, cy) = if props.at_slot {
        g.marks.get(i).copied().flatten().unwrap_or_default()
    } else {
        g.centers.get(i).copied().unwrap_or_default()
    };
    let node_w = g.card_width(i);
    let node_h = g.node_h;
    let lines = card_lines(
        g.line_chars(i),
        g.detail_lines(),
        &node.label,
        &node.detail,
        &look.gauges,
    );
    let text_x = num(g.text_x(i));
    let drop_mark = look.drops.as_ref().map(|(what, last)| {
        html! {
            <g class="drop-mark" data-testid="drop" transform={format!("translate({} {})", num(node_w / 2.0 - 4.0), num(-node_h / 2.0 + 4.0))}>
                <title>{ what.clone() }</title>
                <circle r="10" />
                <path d="M-3.6 -3.6L3.6 3.6M3.6 -3.6L-3.6 3.6" />
                <text class="drop-text" x="-14" y="-6">{ format!("dropped #{last}") }</text>
            </g>
        }
    });
    let status_mark = look.status.as_ref().map(|s| {
        let w = 12.0 + 6.6 * s.badge.chars().count() as f64;
        html! {
            <g class="status-mark" data-testid="node-status" transform={format!("translate({} {})", num(-node_w / 2.0 + 10.0), num(-node_h / 2.0))}>
                <rect x="0" y="-9" width={num(w)} height="18" rx="4" />
                <text x={num(w / 2.0)} y="4">{ s.badge.clone() }</text>
            </g>
        }
    });
    let look_of = style(&node.role);
    let body = html! {
        <>
            <title>{ format!("{} ({}) — {}{said}", node.label, node.role, node.detail) }</title>
            <path class="node-shape" d={outline(look_of.shape, node_w, node_h)} />
            if g.has_icon(i) {
                <circle class="node-icon" cx={num(-node_w / 2.0 + 24.0)} cy="0" r="15" />
                <path class="node-glyph" transform={format!("translate({} 0) scale(0.8)", num(-node_w / 2.0 + 24.0))} d={glyph_path(look_of.glyph)} />
            }
            { for lines.into_iter().map(|l| html! {
                <text class={l.class} x={text_x.clone()} y={num(l.y)}
                    style={l.font_px.map(|px| format!("font-size: {px:.1}px"))}>{ l.text }</text>
            }) }
            { for status_mark }
            { for drop_mark }
        </>
    };
    let transform = format!("translate({} {})", num(cx), num(cy));
    if props.at_slot {
        // The details of a mark: not a node of its own (tests and tools count `node`s), with a
        // leader to the mark it describes.
        let (mx, my) = g.centers.get(i).copied().unwrap_or_default();
        return html! {
            <g class="mark-detail" data-testid="node-detail" data-node={node.name.clone()}>
                <line class="mark-leader" x1={num(cx)} y1={num(cy + node_h / 2.0)} x2={num(mx)} y2={num(my - MARK / 2.0)} />
                <g class={class} transform={transform}>{ body }</g>
            </g>
        };
    }
    html! {
        <g class={class} data-testid="node" data-node={node.name.clone()} transform={transform}>{ body }</g>
    }
}

/// The hint in a compact column's empty detail slot.
#[derive(Properties, PartialEq)]
pub struct SlotHintProps {
    pub at: (i64, i64),
    pub count: usize,
    pub role: AttrValue,
}

#[component]
pub fn SlotHint(props: &SlotHintProps) -> Html {
    html! {
        <text class="slot-hint" x={props.at.0.to_string()} y={props.at.1.to_string()}>
            { format!("{} × {} · point at one for its details", props.count, fit(&props.role, 24)) }
        </text>
    }
}
