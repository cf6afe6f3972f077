//! Every message in flight, drawn on one `<canvas>` over the topology's SVG: a thousand SVG
//! elements diffed, styled and laid out each frame cost 20–80 ms; a canvas redraw costs a
//! fraction of a millisecond and leaves the rest of the diagram alone.
//!
//! Few packets (up to [`LABEL_MAX`]) are labelled pills as before; more are small squares in their
//! sender's tone, and the one under the pointer gets its pill and label. The backing store is
//! `devicePixelRatio` times the CSS size (sharp on high-DPI screens); colours and the font are
//! read from the style sheet once per theme, not per frame. What was drawn is also written on
//! the canvas (`data-drawn`, and the first [`EXPOSE_MAX`] packets in `data-packets`, one
//! `hop msg x y label` line each, in SVG units) for tests and tools, since pixels carry no ids.

use super::{fit, FrameRef, GeometryRef};
use crate::motion::shown_progress;
use crate::playground::geometry::{num, packet_width, Geometry, PACKET_H};
use crate::playground::role::{style, TONES};
use crate::run_data::SharedRun;
use crate::theme::{use_theme, Theme};
use hopscope_sim::view::Frame;
use std::cell::RefCell;
use std::f64::consts::PI;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// At most this many packets in flight are drawn as labelled pills; more are dots.
pub const LABEL_MAX: usize = 24;
/// How many drawn packets `data-packets` lists.
pub const EXPOSE_MAX: usize = 16;
/// Half a dot's side, in SVG units.
const DOT_R: f64 = 4.0;

/// One drawn packet: its index in the frame's list, its centre and half its size (SVG units).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spot {
    pub index: usize,
    pub x: f64,
    pub y: f64,
    pub half_w: f64,
    pub half_h: f64,
}

/// The pill text of a packet: long labels (a 64-bit ID) are cut, the pill must stay a pill; the
/// whole label is in the pointer's tooltip and the narration.
pub fn pill_text(label: &str, msg: u64) -> String {
    format!("{} #{msg}", fit(label, 14))
}

/// Where each packet of `frame` is drawn, in frame order (every one of them). `labelled`: as
/// pills (their width depends on their text) rather than dots; `hovered`: the hop drawn as a
/// pill whatever the mode.
pub fn place(
    frame: &Frame,
    g: &Geometry,
    reduced_motion: bool,
    labelled: bool,
    hovered: Option<usize>,
    out: &mut Vec<Spot>,
) {
    out.clear();
    out.reserve(frame.packets.len());
    for (index, p) in frame.packets.iter().enumerate() {
        let pill = labelled || hovered == Some(p.event);
        let w = if pill {
            packet_width(&pill_text(&p.label, p.msg))
        } else {
            2.0 * DOT_R
        };
        let progress = shown_progress(p.progress, reduced_motion);
        let (x, y) = g.packet_at(p.from as usize, p.to as usize, progress, w);
        let half_h = if pill { PACKET_H / 2.0 } else { DOT_R };
        out.push(Spot {
            index,
            x,
            y,
            half_w: w / 2.0,
            half_h,
        });
    }
}

/// The packet under the point `(x, y)` (SVG units), if any: the nearest whose shape, grown by a
/// little slack for fingers and small dots, holds the point.
pub fn hit(spots: &[Spot], x: f64, y: f64) -> Option<&Spot> {
    const SLACK: f64 = 3.0;
    spots
        .iter()
        .filter(|s| (s.x - x).abs() <= s.half_w + SLACK && (s.y - y).abs() <= s.half_h + SLACK)
        .min_by(|a, b| {
            let d = |s: &Spot| (s.x - x).hypot(s.y - y);
            d(a).total_cmp(&d(b))
        })
}

/// The `data-packets` text: the first [`EXPOSE_MAX`] drawn packets, `hop msg x y label` a line.
pub fn exposed(frame: &Frame, spots: &[Spot]) -> String {
    let mut out = String::new();
    for s in spots.iter().take(EXPOSE_MAX) {
        let Some(p) = frame.packets.get(s.index) else {
            continue;
        };
        if !out.is_empty() {
            out.push('\n');
        }
        let label = p.label.replace('\n', " ");
        out.push_str(&format!(
            "{} {} {} {} {label}",
            p.event,
            p.msg,
            num(s.x),
            num(s.y)
        ));
    }
    out
}

/// The size of the box the canvas covers (the SVG's), in CSS pixels, and how the SVG's viewBox
/// sits in it (`preserveAspectRatio` meet: scaled to fit, centred).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    pub w: f64,
    pub h: f64,
}

impl Placement {
    /// Scale and offset (CSS px) of SVG units in this box.
    pub fn fit(&self, g: &Geometry) -> (f64, f64, f64) {
        let scale = (self.w / g.width).min(self.h / g.height);
        let scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            1.0
        };
        (
            scale,
            (self.w - g.width * scale) / 2.0,
            (self.h - g.height * scale) / 2.0,
        )
    }
}

/// What the last draw put where: for the pointer's tooltip.
#[derive(Default)]
pub struct Drawn {
    pub frame: Option<Rc<Frame>>,
    pub spots: Vec<Spot>,
    /// Scale and offset of SVG units on the canvas (CSS px).
    pub fit: (f64, f64, f64),
    /// What `data-drawn` and `data-packets` say now.
    count: Option<usize>,
    listed: String,
}

/// The last draw, shared between the layer (which writes it) and the topology's pointer
/// handler (which reads it); compared by pointer.
#[derive(Clone, Default)]
pub struct DrawnRef(pub Rc<RefCell<Drawn>>);

impl PartialEq for DrawnRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The packet under a pointer at `(px, py)` CSS pixels from the canvas' corner: its hop, the
/// tooltip text and where the tooltip goes (CSS px, the packet's top centre).
pub fn tip_at(drawn: &Drawn, px: f64, py: f64) -> Option<(usize, String, f64, f64)> {
    let (scale, ox, oy) = drawn.fit;
    let frame = drawn.frame.as_ref()?;
    let s = hit(&drawn.spots, (px - ox) / scale, (py - oy) / scale)?;
    let p = frame.packets.get(s.index)?;
    Some((
        p.event,
        format!("{} #{}", p.label, p.msg),
        ox + s.x * scale,
        oy + (s.y - s.half_h) * scale,
    ))
}

#[derive(Properties, PartialEq)]
pub struct PacketLayerProps {
    pub run: SharedRun,
    pub geometry: GeometryRef,
    pub frame: FrameRef,
    /// The box to cover, once measured.
    pub placement: Option<Placement>,
    /// The hop under the pointer.
    pub hovered: Option<usize>,
    pub reduced_motion: bool,
    pub drawn: DrawnRef,
}

/// Colours and font as the style sheet says for one theme.
struct Palette {
    tones: Vec<String>,
    text: String,
    ring: String,
    font: String,
}

#[component]
pub fn PacketLayer(props: &PacketLayerProps) -> Html {
    let canvas = use_node_ref();
    let theme = use_theme();
    let palette = use_mut_ref(|| None::<(Theme, Rc<Palette>)>);
    let tones = use_memo(props.run.clone(), |run| {
        run.run
            .nodes
            .iter()
            .map(|n| style(&n.role).tone)
            .collect::<Vec<u8>>()
    });
    {
        let canvas = canvas.clone();
        let geometry = props.geometry.clone();
        let frame = props.frame.clone();
        let (placement, hovered, reduced) = (props.placement, props.hovered, props.reduced_motion);
        let drawn = props.drawn.clone();
        use_effect(move || {
            if let (Some(el), Some(placement)) =
                (canvas.cast::<web_sys::HtmlCanvasElement>(), placement)
            {
                let colours = {
                    let mut cache = palette.borrow_mut();
                    match cache.as_ref() {
                        Some((t, p)) if *t == theme => p.clone(),
                        _ => {
                            let p = Rc::new(read_palette(&el));
                            *cache = Some((theme, p.clone()));
                            p
                        }
                    }
                };
                let job = Job {
                    g: &geometry.0,
                    frame: &frame.0,
                    tones: &tones,
                    placement,
                    hovered,
                    reduced,
                    palette: &colours,
                };
                draw(&el, &job, &mut drawn.0.borrow_mut());
            }
        });
    }
    html! {
        <canvas ref={canvas} class="packets" data-testid="packets" aria-hidden="true">
            // Probes the palette is read from (a canvas' fallback content is styled, not shown).
            { for (0..TONES).map(|t| html! { <i class={format!("tone-{t}")} /> }) }
        </canvas>
    }
}

fn read_palette(canvas: &web_sys::HtmlCanvasElement) -> Palette {
    let style_of = |el: &web_sys::Element| {
        web_sys::window().and_then(|w| w.get_computed_style(el).ok().flatten())
    };
    let prop = |el: &web_sys::Element, name: &str, fallback: &str| {
        style_of(el)
            .and_then(|s| s.get_property_value(name).ok())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| fallback.to_string())
    };
    let children = canvas.children();
    let tones = (0..TONES as u32)
        .map(|t| {
            children
                .item(t)
                .map_or_else(|| "#64748b".into(), |el| prop(&el, "--tone", "#64748b"))
        })
        .collect();
    let family = prop(canvas, "font-family", "sans-serif");
    Palette {
        tones,
        text: prop(canvas, "--packet-text", "#ffffff"),
        ring: prop(canvas, "--text", "#0b1020"),
        font: format!("650 10.5px {family}"),
    }
}

/// One redraw's inputs.
struct Job<'a> {
    g: &'a Geometry,
    frame: &'a Rc<Frame>,
    tones: &'a [u8],
    placement: Placement,
    hovered: Option<usize>,
    reduced: bool,
    palette: &'a Palette,
}

fn draw(canvas: &web_sys::HtmlCanvasElement, job: &Job, drawn: &mut Drawn) {
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .filter(|d| *d > 0.0)
        .unwrap_or(1.0);
    let Placement { w, h } = job.placement;
    let (bw, bh) = ((w * dpr).round() as u32, (h * dpr).round() as u32);
    if canvas.width() != bw || canvas.height() != bh {
        canvas.set_width(bw);
        canvas.set_height(bh);
    }
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, bw as f64, bh as f64);
    let fit = job.placement.fit(job.g);
    let (scale, ox, oy) = fit;
    let _ = ctx.set_transform(dpr * scale, 0.0, 0.0, dpr * scale, dpr * ox, dpr * oy);

    let frame = job.frame;
    let labelled = frame.packets.len() <= LABEL_MAX;
    let mut spots = std::mem::take(&mut drawn.spots);
    place(frame, job.g, job.reduced, labelled, job.hovered, &mut spots);
    let tone_of = |s: &Spot| {
        frame
            .packets
            .get(s.index)
            .and_then(|p| job.tones.get(p.from as usize))
            .copied()
            .unwrap_or(0) as usize
            % job.palette.tones.len().max(1)
    };
    let is_hovered = |s: &Spot| {
        job.hovered.is_some() && frame.packets.get(s.index).map(|p| p.event) == job.hovered
    };
    if labelled {
        ctx.set_font(&job.palette.font);
        ctx.set_text_align("center");
        for s in &spots {
            pill(&ctx, job, s, tone_of(s), false);
        }
    } else {
        // One path and one fill per tone: a thousand dots in six calls to the rasteriser; a
        // little see-through, so the marks and links under a crowd still show.
        ctx.set_global_alpha(0.85);
        for (t, colour) in job.palette.tones.iter().enumerate() {
            let mut any = false;
            ctx.begin_path();
            // Squares, not circles: `rect` is a plain call where `arc` goes through a
            // try/catch in the bindings, which cost most of the redraw (CPU profile: 0.8 ms a
            // frame for 1,000 arcs on the loaded test machine).
            for s in spots.iter().filter(|s| tone_of(s) == t && !is_hovered(s)) {
                ctx.rect(s.x - DOT_R, s.y - DOT_R, 2.0 * DOT_R, 2.0 * DOT_R);
                any = true;
            }
            if any {
                ctx.set_fill_style_str(colour);
                ctx.fill();
            }
        }
        ctx.set_global_alpha(1.0);
    }
    if let Some(s) = spots.iter().find(|s| is_hovered(s)) {
        ctx.set_font(&job.palette.font);
        ctx.set_text_align("center");
        pill(&ctx, job, s, tone_of(s), true);
    }
    // Written only when they change (a paused frame redrawn for a hover changes nothing).
    let listed = exposed(frame, &spots);
    if drawn.count != Some(spots.len()) {
        let _ = canvas.set_attribute("data-drawn", &spots.len().to_string());
        drawn.count = Some(spots.len());
    }
    if drawn.listed != listed {
        let _ = canvas.set_attribute("data-packets", &listed);
        drawn.listed = listed;
    }
    drawn.spots = spots;
    drawn.frame = Some(frame.clone());
    drawn.fit = fit;
}

/// A labelled pill; `ring`: outlined, for the packet under the pointer.
fn pill(ctx: &web_sys::CanvasRenderingContext2d, job: &Job, s: &Spot, tone: usize, ring: bool) {
    let Some(p) = job.frame.packets.get(s.index) else {
        return;
    };
    let r = s.half_h;
    ctx.begin_path();
    let _ = ctx.arc(s.x - s.half_w + r, s.y, r, PI / 2.0, 3.0 * PI / 2.0);
    let _ = ctx.arc(s.x + s.half_w - r, s.y, r, -PI / 2.0, PI / 2.0);
    ctx.close_path();
    ctx.set_fill_style_str(&job.palette.tones[tone]);
    ctx.fill();
    if ring {
        ctx.set_stroke_style_str(&job.palette.ring);
        ctx.set_line_width(2.0);
        ctx.stroke();
    }
    ctx.set_fill_style_str(&job.palette.text);
    let _ = ctx.fill_text(&pill_text(&p.label, p.msg), s.x, s.y + 3.8);
}
