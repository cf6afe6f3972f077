//! How a node's role looks: its card shape, its glyph and its colour tone.
//!
//! Roles are the engine's words (`client`, `lb`, `backend`, …). This is the only place the app
//! reads them, and only for looks: an unknown role still gets a stable tone and a plain card,
//! so a new block needs no change here.

/// The outline of a node's card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Fully rounded ends: sources of traffic (clients, producers).
    Pill,
    /// Cut corners: things that route (balancers, proxies, resolvers).
    Octagon,
    /// A rounded rectangle: things that serve or store.
    Card,
}

/// The small picture at the left of a card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Glyph {
    People,
    Split,
    Server,
    Database,
    Bolt,
    Dot,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleStyle {
    pub shape: Shape,
    pub glyph: Glyph,
    /// Index of a colour tone (`tone-0` … `tone-5` in the style sheet).
    pub tone: u8,
}

pub const TONES: u8 = 6;

pub fn style(role: &str) -> RoleStyle {
    let r = role.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| r.contains(w));
    let (shape, glyph, tone) = if has(&["client", "user", "producer", "publisher", "browser"]) {
        (Shape::Pill, Glyph::People, 0)
    } else if has(&[
        "lb", "balancer", "proxy", "router", "gateway", "resolver", "edge",
    ]) {
        (Shape::Octagon, Glyph::Split, 1)
    } else if has(&[
        "db", "database", "store", "storage", "disk", "origin", "replica",
    ]) {
        (Shape::Card, Glyph::Database, 3)
    } else if has(&["cache", "memo"]) {
        (Shape::Card, Glyph::Bolt, 4)
    } else if has(&["backend", "server", "worker", "node", "consumer", "broker"]) {
        (Shape::Card, Glyph::Server, 2)
    } else {
        (Shape::Card, Glyph::Dot, fnv(&r) % TONES)
    };
    RoleStyle { shape, glyph, tone }
}

/// A stable small hash (FNV-1a), so an unknown role keeps its colour from run to run.
fn fnv(s: &str) -> u8 {
    let h = s.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ b as u32).wrapping_mul(0x0100_0193)
    });
    (h % 251) as u8
}

/// The SVG path of a card outline centred on the origin.
pub fn outline(shape: Shape, w: f64, h: f64) -> String {
    let (x, y) = (w / 2.0, h / 2.0);
    match shape {
        Shape::Pill => format!(
            "M{} {}h{}a{y} {y} 0 0 1 0 {}h{}a{y} {y} 0 0 1 0 {}z",
            -x + y,
            -y,
            w - h,
            h,
            -(w - h),
            -h
        ),
        Shape::Octagon => {
            let c = 14.0;
            format!(
                "M{} {}H{}L{} {}V{}L{} {}H{}L{} {}V{}z",
                -x + c,
                -y,
                x - c,
                x,
                -y + c,
                y - c,
                x - c,
                y,
                -x + c,
                -x,
                y - c,
                -y + c
            )
        }
        Shape::Card => {
            let r = 12.0;
            format!(
                "M{} {}H{}a{r} {r} 0 0 1 {r} {r}V{}a{r} {r} 0 0 1 {} {r}H{}a{r} {r} 0 0 1 {} {}V{}a{r} {r} 0 0 1 {r} {}z",
                -x + r,
                -y,
                x - r,
                y - r,
                -r,
                -x + r,
                -r,
                -r,
                -y + r,
                -r
            )
        }
    }
}

/// The glyph's SVG path, drawn in a 20×20 box centred on the origin.
pub fn glyph_path(glyph: Glyph) -> &'static str {
    match glyph {
        Glyph::People => "M-3 -1.5a3.2 3.2 0 1 0 0.01 0zM-9 8c0-4 3-6 6-6s6 2 6 6zM5 -3a2.6 2.6 0 1 0 0.01 0zM4.5 2.5c3 0 5 1.8 5 5.5h-4.5",
        Glyph::Split => "M-8 0h6l6-6h3M-2 0l6 6h3M-2 0h9M5 -8.5l3 2.5-3 2.5M5 3.5l3 2.5-3 2.5M8.5 -2.5l2.5 2.5-2.5 2.5",
        Glyph::Server => "M-8 -8h16v6h-16zM-8 2h16v6h-16zM-5 -5h0.01M-5 5h0.01M0 -5h5M0 5h5",
        Glyph::Database => "M-7 -6a7 2.6 0 1 0 14 0a7 2.6 0 1 0 -14 0v12a7 2.6 0 0 0 14 0v-12M-7 0a7 2.6 0 0 0 14 0",
        Glyph::Bolt => "M1.5 -9l-7 10h5l-1.5 8 7-10h-5z",
        Glyph::Dot => "M-4 0a4 4 0 1 0 8 0a4 4 0 1 0 -8 0",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_roles_get_their_look_and_strangers_a_stable_tone() {
        assert_eq!(style("client").shape, Shape::Pill);
        assert_eq!(style("lb").shape, Shape::Octagon);
        assert_eq!(style("backend").glyph, Glyph::Server);
        let s = style("quorum-witness");
        assert_eq!(s, style("quorum-witness"));
        assert!(s.tone < TONES);
    }

    #[test]
    fn outlines_close() {
        for shape in [Shape::Pill, Shape::Octagon, Shape::Card] {
            let d = outline(shape, 196.0, 64.0);
            assert!(d.starts_with('M') && d.ends_with('z'), "{d}");
        }
    }
}
