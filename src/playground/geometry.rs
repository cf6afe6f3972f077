//! Where things sit on the topology diagram, in SVG user units: node centres from
//! `view::layout`, card sizes, and a packet's point between two nodes for its progress.
//!
//! Wide screens get the layout as the engine means it (columns left to right, by role); a
//! narrow screen with few rows gets it turned a quarter (columns top to bottom) at its real
//! pixel width, so text stays readable on a phone. A column of more than [`COMPACT_ABOVE`]
//! nodes (a balancer's hundred backends) is drawn compactly: small marks in a grid, under one
//! card slot that shows the hovered or highlighted node in full. Pure, so positions are
//! unit-tested; the component only writes them into attributes.

/// A node's card on a wide drawing.
pub const NODE_W: f64 = 184.0;
pub const NODE_H: f64 = 72.0;
/// Horizontal room per column and vertical room per row (wide drawing), and the least
/// horizontal room per column before the drawing is scaled down instead.
const COL_PITCH: f64 = 300.0;
const COL_MIN: f64 = 170.0;
/// Cards never get narrower than this on a wide drawing; the room left between two columns is
/// the link a packet travels.
const NODE_W_MIN: f64 = 128.0;
const LINK_ROOM: f64 = 100.0;
const ROW_PITCH: f64 = 96.0;
/// Vertical room per column when the layout is turned for a narrow screen.
const TURNED_PITCH: f64 = 130.0;
const TURNED_NODE_H: f64 = 60.0;
/// Below this many CSS pixels, a layout with at most `TURN_MAX_ROWS` rows is turned.
pub const TURN_BELOW_PX: f64 = 600.0;
const TURN_MAX_ROWS: usize = 4;
/// A wide layout that would be drawn smaller than this is turned too (when it has few rows):
/// DNS's six-column chain in half a screen (compare mode) was drawn at 0.6, its text at 7 px.
const MIN_WIDE_SCALE: f64 = 0.7;
/// Requests and responses on one link travel on two lanes this far from its centre line.
pub const LANE: f64 = 9.0;
/// Packets leave and enter a node this far outside its card.
const GAP: f64 = 4.0;
/// Height of a packet's pill.
pub const PACKET_H: f64 = 18.0;
/// A column with more nodes than this is drawn as a grid of marks (cards would make the drawing
/// many screens tall, and a hundred of them cost a long task to mount).
pub const COMPACT_ABOVE: usize = 12;
/// A mark's side and the grid's pitch.
pub const MARK: f64 = 14.0;
const MARK_PITCH: f64 = 22.0;
/// Room above a grid for its column's detail card.
const SLOT_ROOM: f64 = NODE_H + 18.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Geometry {
    pub width: f64,
    pub height: f64,
    /// Card width of each node (on a turned drawing, a row with fewer cards gets wider ones).
    pub node_w: Vec<f64>,
    pub node_h: f64,
    /// Whether the layout's columns run top to bottom (narrow screens).
    pub turned: bool,
    pub centers: Vec<(f64, f64)>,
    /// For each node drawn as a mark (see [`COMPACT_ABOVE`]), the centre of its column's detail
    /// card; `None` for a node drawn as a card.
    pub marks: Vec<Option<(f64, f64)>>,
    /// The width of a card on this drawing (a detail card of a compact column included).
    pub card_w: f64,
}

/// Whether two drawings of `layout` side by side in a row `row_px` wide would each be drawn
/// below [`MIN_WIDE_SCALE`]: compare mode then puts A above B (DNS's six-column chain).
pub fn too_wide_for_halves(layout: &[(f64, f64)], row_px: f64) -> bool {
    let (cols, _) = shape(layout);
    drawn_too_small_wide(cols, row_px / 2.0)
}

/// Whether `cols` columns drawn wide in `w` CSS pixels come out below [`MIN_WIDE_SCALE`].
fn drawn_too_small_wide(cols: usize, w: f64) -> bool {
    w < cols as f64 * COL_MIN * MIN_WIDE_SCALE
}

/// Columns (distinct x) and the most rows in any column.
fn shape(layout: &[(f64, f64)]) -> (usize, usize) {
    let mut xs: Vec<f64> = layout.iter().map(|p| p.0).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let rows = xs
        .iter()
        .map(|x| layout.iter().filter(|p| p.0 == *x).count())
        .max()
        .unwrap_or(1)
        .max(1);
    (xs.len().max(1), rows)
}

impl Geometry {
    /// The wide drawing before its container is measured: room for every column and row.
    pub fn new(layout: &[(f64, f64)]) -> Geometry {
        let (cols, _) = shape(layout);
        Geometry::wide(layout, (cols as f64 * COL_PITCH).max(2.0 * COL_PITCH))
    }

    /// The wide drawing `width` units across: at the container's own width when every column
    /// gets `COL_MIN`, so text is drawn at its CSS size; else scaled down by the viewBox.
    fn wide(layout: &[(f64, f64)], width: f64) -> Geometry {
        let (cols, _) = shape(layout);
        let node_w = (width / cols as f64 - LINK_ROOM).clamp(NODE_W_MIN, NODE_W);
        // Each column by x, with its nodes in row order; big ones become grids.
        let mut columns: Vec<(f64, Vec<usize>)> = Vec::new();
        for (i, p) in layout.iter().enumerate() {
            match columns.iter_mut().find(|c| c.0 == p.0) {
                Some(c) => c.1.push(i),
                None => columns.push((p.0, vec![i])),
            }
        }
        let grid_cols = |n: usize| {
            let room = ((width / cols as f64 - 24.0) / MARK_PITCH).floor().max(4.0);
            ((2.0 * n as f64).sqrt().ceil()).min(room).max(1.0) as usize
        };
        let column_h = |n: usize| {
            if n > COMPACT_ABOVE {
                SLOT_ROOM + n.div_ceil(grid_cols(n)) as f64 * MARK_PITCH
            } else {
                n as f64 * ROW_PITCH
            }
        };
        let tallest = columns
            .iter()
            .map(|c| column_h(c.1.len()))
            .fold(ROW_PITCH, f64::max);
        let height = tallest + 24.0;
        let mut centers: Vec<(f64, f64)> = layout
            .iter()
            .map(|(x, y)| (x * width, y * height))
            .collect();
        let mut marks = vec![None; layout.len()];
        for (x, mut members) in columns {
            let n = members.len();
            if n <= COMPACT_ABOVE {
                continue;
            }
            members.sort_by(|a, b| layout[*a].1.total_cmp(&layout[*b].1));
            let gc = grid_cols(n);
            let top = (height - column_h(n)) / 2.0;
            let slot = (x * width, top + NODE_H / 2.0);
            let left = x * width - (gc - 1) as f64 * MARK_PITCH / 2.0;
            for (k, i) in members.into_iter().enumerate() {
                centers[i] = (
                    left + (k % gc) as f64 * MARK_PITCH,
                    top + SLOT_ROOM + (k / gc) as f64 * MARK_PITCH + MARK_PITCH / 2.0,
                );
                marks[i] = Some(slot);
            }
        }
        let node_ws = (0..layout.len())
            .map(|i| if marks[i].is_some() { MARK } else { node_w })
            .collect();
        Geometry {
            width,
            height,
            node_w: node_ws,
            node_h: NODE_H,
            turned: false,
            centers,
            marks,
            card_w: node_w,
        }
    }

    /// The drawing for a box `width_px` wide whose height is fixed at `fit_height_px` (an
    /// embed's diagram, scaled to fit both ways): turned only when that draws it larger than the
    /// wide layout. A six-column DNS chain turned in a 600 × 220 box is a column of 130 px rows
    /// drawn at a quarter of their size; wide, it is drawn at 0.59. Without a fixed height (the
    /// page, where the diagram grows down) this is [`Geometry::for_width`].
    pub fn for_box(
        layout: &[(f64, f64)],
        width_px: Option<f64>,
        fit_height_px: Option<f64>,
    ) -> Geometry {
        let g = Geometry::for_width(layout, width_px);
        let (Some(w), Some(h)) = (width_px, fit_height_px) else {
            return g;
        };
        if !g.turned || h <= 0.0 {
            return g;
        }
        let wide = Geometry::wide_for_width(layout, w);
        let scale = |g: &Geometry| (w / g.width).min(h / g.height);
        if scale(&wide) >= scale(&g) {
            wide
        } else {
            g
        }
    }

    /// The drawing for a container `width_px` CSS pixels wide (`None` before it is measured).
    pub fn for_width(layout: &[(f64, f64)], width_px: Option<f64>) -> Geometry {
        let (cols, rows) = shape(layout);
        match width_px {
            Some(w)
                if w > 0.0
                    && rows <= TURN_MAX_ROWS
                    && (w < TURN_BELOW_PX || drawn_too_small_wide(cols, w)) =>
            {
                let width = w.max(240.0);
                let gap = 10.0;
                let node_w = layout
                    .iter()
                    .map(|p| {
                        let k = layout.iter().filter(|q| q.0 == p.0).count().max(1) as f64;
                        ((width - gap * (k + 1.0)) / k).min(NODE_W)
                    })
                    .collect();
                let height = cols as f64 * TURNED_PITCH;
                let centers = layout
                    .iter()
                    .map(|(x, y)| (y * width, x * height))
                    .collect();
                Geometry {
                    width,
                    height,
                    card_w: NODE_W.min(width - 2.0 * gap),
                    node_w,
                    node_h: TURNED_NODE_H,
                    turned: true,
                    marks: vec![None; layout.len()],
                    centers,
                }
            }
            Some(w) if w > 0.0 => Geometry::wide_for_width(layout, w),
            _ => Geometry::new(layout),
        }
    }

    /// The wide layout for a box `w` wide: every column at least `COL_MIN`, scaled down by the
    /// viewBox when the box is narrower.
    fn wide_for_width(layout: &[(f64, f64)], w: f64) -> Geometry {
        let (cols, _) = shape(layout);
        Geometry::wide(layout, w.max(cols as f64 * COL_MIN))
    }

    /// The card width of node `i`.
    pub fn width_of(&self, i: usize) -> f64 {
        self.node_w.get(i).copied().unwrap_or(NODE_W)
    }

    /// Whether node `i` is drawn as a small mark of a compact column.
    pub fn is_mark(&self, i: usize) -> bool {
        self.marks.get(i).is_some_and(Option::is_some)
    }

    /// The height of node `i`'s card (or mark).
    pub fn height_of(&self, i: usize) -> f64 {
        if self.is_mark(i) {
            MARK
        } else {
            self.node_h
        }
    }

    /// The width of node `i`'s card: for a mark, its detail card's.
    pub fn card_width(&self, i: usize) -> f64 {
        if self.is_mark(i) {
            self.card_w
        } else {
            self.width_of(i)
        }
    }

    /// Whether node `i`'s card has room for the role icon at its left.
    pub fn has_icon(&self, i: usize) -> bool {
        self.card_width(i) >= 160.0
    }

    /// Where node `i`'s text starts, from its centre.
    pub fn text_x(&self, i: usize) -> f64 {
        -self.card_width(i) / 2.0 + if self.has_icon(i) { 46.0 } else { 10.0 }
    }

    /// How many characters of 11 px text fit on one line of node `i`'s card.
    pub fn line_chars(&self, i: usize) -> usize {
        let text_w = self.card_width(i) / 2.0 - self.text_x(i) - 8.0;
        (text_w / 5.7).floor().max(4.0) as usize
    }

    /// How many lines of detail a card has room for.
    pub fn detail_lines(&self) -> usize {
        if self.node_h >= 70.0 {
            2
        } else {
            1
        }
    }

    /// The point of a message `progress` of the way (0 to 1) from node `from` to node `to`,
    /// for a pill `packet_w` wide: from the edge of one card to the edge of the other, on its
    /// direction's lane.
    pub fn packet_at(&self, from: usize, to: usize, progress: f64, packet_w: f64) -> (f64, f64) {
        let (Some(&a), Some(&b)) = (self.centers.get(from), self.centers.get(to)) else {
            return (0.0, 0.0);
        };
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = dx.hypot(dy);
        if len == 0.0 {
            return a;
        }
        let (ux, uy) = (dx / len, dy / len);
        // Each direction keeps to its right-hand lane (on screen, y down), so a request and its
        // response on one link never overlap; steep links need wider lanes for wide pills.
        let lane = LANE + uy.abs() * (packet_w / 2.0 - LANE).max(0.0);
        let (nx, ny) = (-uy * lane, ux * lane);
        let (sx, sy) = self.edge_point(from, a, (dx, dy));
        let (ex, ey) = self.edge_point(to, b, (-dx, -dy));
        let p = progress.clamp(0.0, 1.0);
        (sx + (ex - sx) * p + nx, sy + (ey - sy) * p + ny)
    }

    /// Both ends of the line drawn for a link, between the card edges.
    pub fn link_ends(&self, a: usize, b: usize) -> Option<((f64, f64), (f64, f64))> {
        let (&pa, &pb) = (self.centers.get(a)?, self.centers.get(b)?);
        let d = (pb.0 - pa.0, pb.1 - pa.1);
        Some((
            self.edge_point(a, pa, d),
            self.edge_point(b, pb, (-d.0, -d.1)),
        ))
    }

    /// Where a ray from node `i`'s `center` in direction `d` leaves its card (plus a gap).
    fn edge_point(&self, i: usize, center: (f64, f64), d: (f64, f64)) -> (f64, f64) {
        let hw = self.width_of(i) / 2.0 + GAP;
        let hh = self.height_of(i) / 2.0 + GAP;
        let sx = if d.0 == 0.0 {
            f64::INFINITY
        } else {
            hw / d.0.abs()
        };
        let sy = if d.1 == 0.0 {
            f64::INFINITY
        } else {
            hh / d.1.abs()
        };
        let s = sx.min(sy);
        if !s.is_finite() {
            return center;
        }
        (center.0 + d.0 * s, center.1 + d.1 * s)
    }
}

/// The width of a packet's pill for its text.
pub fn packet_width(text: &str) -> f64 {
    14.0 + 6.3 * text.chars().count() as f64
}

/// A coordinate as written into SVG: one decimal, no trailing `.0`.
pub fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One client column, one balancer column, three backends: the load balancer's shape.
    fn lb_layout() -> Vec<(f64, f64)> {
        let third = 1.0 / 3.0;
        vec![
            (third / 2.0, 0.5),
            (0.5, 0.5),
            (1.0 - third / 2.0, 1.0 / 6.0),
            (1.0 - third / 2.0, 0.5),
            (1.0 - third / 2.0, 5.0 / 6.0),
        ]
    }

    fn centers(g: &Geometry) -> Vec<String> {
        g.centers
            .iter()
            .map(|(x, y)| format!("{} {}", num(*x), num(*y)))
            .collect()
    }

    #[test]
    fn columns_and_rows_get_room() {
        let g = Geometry::new(&lb_layout());
        assert_eq!((g.width, g.height, g.turned), (900.0, 312.0, false));
        assert_eq!(
            centers(&g),
            ["150 156", "450 156", "750 52", "750 156", "750 260"]
        );
        assert_eq!((g.line_chars(0), g.detail_lines()), (22, 2));
        assert_eq!(
            Geometry::for_width(&lb_layout(), None),
            g,
            "before measuring"
        );
        let fitted = Geometry::for_width(&lb_layout(), Some(852.0));
        assert_eq!(
            (fitted.width, fitted.height),
            (852.0, 312.0),
            "drawn at the container's own width"
        );
        assert_eq!(
            fitted.node_w[0],
            852.0 / 3.0 - 100.0,
            "cards leave room for the links"
        );
    }

    #[test]
    fn many_columns_get_narrower_cards_before_the_drawing_scales() {
        // Six single-node columns, like a resolver chain.
        let chain: Vec<(f64, f64)> = (0..6).map(|c| ((c as f64 + 0.5) / 6.0, 0.5)).collect();
        let g = Geometry::for_width(&chain, Some(852.0));
        assert_eq!(
            (g.width, g.node_w[0]),
            (1020.0, 128.0),
            "scaled to 852/1020, never below 128-unit cards"
        );
        assert!(!g.has_icon(0));
        let roomy = Geometry::for_width(&chain, Some(1600.0));
        assert_eq!(
            (roomy.width, roomy.node_w[0]),
            (1600.0, 1600.0 / 6.0 - 100.0)
        );
    }

    #[test]
    fn a_narrow_screen_turns_the_layout() {
        let g = Geometry::for_width(&lb_layout(), Some(340.0));
        assert!(g.turned);
        assert_eq!((g.width, g.height), (340.0, 390.0));
        assert_eq!(
            g.node_w,
            [184.0, 184.0, 100.0, 100.0, 100.0],
            "a lone card in its row keeps its width"
        );
        assert_eq!(
            centers(&g),
            ["170 65", "170 195", "56.7 325", "170 325", "283.3 325"]
        );
        assert!(g.has_icon(0) && !g.has_icon(2));
        assert_eq!((g.line_chars(2), g.detail_lines()), (14, 1));
        let many_rows: Vec<(f64, f64)> = (0..8)
            .map(|r| (0.75, (r as f64 + 0.5) / 8.0))
            .chain([(0.25, 0.5)])
            .collect();
        assert!(
            !Geometry::for_width(&many_rows, Some(340.0)).turned,
            "eight rows stay wide and scale"
        );
    }

    #[test]
    fn a_layout_that_would_be_drawn_too_small_wide_is_turned() {
        // DNS's chain in half a 1280-pixel screen (compare mode): wide, 615/1020 = 0.60.
        let chain: Vec<(f64, f64)> = (0..6).map(|c| ((c as f64 + 0.5) / 6.0, 0.5)).collect();
        let half = Geometry::for_width(&chain, Some(615.0));
        assert!(half.turned);
        assert_eq!(
            (half.width, half.height, half.node_w[0]),
            (615.0, 780.0, 184.0)
        );
        // 714 px is the last width drawn wide (at 0.7); the whole screen's 852 px, at 0.84.
        assert!(!Geometry::for_width(&chain, Some(714.0)).turned);
        assert!(Geometry::for_width(&chain, Some(713.0)).turned);
        assert!(!Geometry::for_width(&chain, Some(852.0)).turned);
        // Three columns fit half a screen unscaled: the balancer stays wide.
        assert!(!Geometry::for_width(&lb_layout(), Some(615.0)).turned);
        // Compare mode: DNS's chain goes A above B, the balancer side by side.
        assert!(too_wide_for_halves(&chain, 1200.0));
        assert!(!too_wide_for_halves(&chain, 1500.0));
        assert!(!too_wide_for_halves(&lb_layout(), 1200.0));
    }

    #[test]
    fn a_box_of_fixed_height_is_drawn_in_the_layout_that_comes_out_larger() {
        // DNS's chain: six columns of one node.
        let chain: Vec<(f64, f64)> = (0..6).map(|c| ((c as f64 + 0.5) / 6.0, 0.5)).collect();
        let scale = |g: &Geometry, w: f64, h: f64| (w / g.width).min(h / g.height);
        // An embed's 600 × 220 diagram: turned would be 780 px tall (scale 0.28); wide, 0.59.
        let g = Geometry::for_box(&chain, Some(560.0), Some(220.0));
        assert!(!g.turned);
        assert!(scale(&g, 560.0, 220.0) > 0.5, "{}", scale(&g, 560.0, 220.0));
        // The same box on the page, where the drawing grows down: turned.
        assert!(Geometry::for_box(&chain, Some(560.0), None).turned);
        // A tall box (an embed on a phone held upright): turned is drawn larger.
        let tall = Geometry::for_box(&chain, Some(340.0), Some(900.0));
        assert!(tall.turned);
        let wide = Geometry::for_width(&chain, Some(1020.0));
        assert!(scale(&tall, 340.0, 900.0) > scale(&wide, 340.0, 900.0));
    }

    #[test]
    fn packets_run_edge_to_edge_on_their_lane() {
        let g = Geometry::new(&lb_layout());
        // Client (150,156) → balancer (450,156): the cards end at x = 150 + 92 + 4 and
        // 450 − 96; the lane is below.
        assert_eq!(g.packet_at(0, 1, 0.0, 60.0), (246.0, 156.0 + LANE));
        assert_eq!(g.packet_at(0, 1, 1.0, 60.0), (354.0, 156.0 + LANE));
        assert_eq!(g.packet_at(0, 1, 0.5, 60.0), (300.0, 165.0));
        // The response goes the other way on the other lane.
        assert_eq!(g.packet_at(1, 0, 0.5, 60.0), (300.0, 147.0));
        assert_eq!(
            g.packet_at(1, 0, 7.0, 60.0),
            g.packet_at(1, 0, 1.0, 60.0),
            "progress is clamped"
        );
        assert_eq!(
            g.packet_at(9, 0, 0.5, 60.0),
            (0.0, 0.0),
            "unknown nodes do not panic"
        );
    }

    #[test]
    fn vertical_links_get_lanes_as_wide_as_the_pills() {
        let g = Geometry::for_width(&lb_layout(), Some(340.0));
        let (down, up) = (g.packet_at(0, 1, 0.5, 60.0), g.packet_at(1, 0, 0.5, 60.0));
        assert_eq!(
            (num(down.0), num(up.0)),
            ("140".to_string(), "200".to_string())
        );
        assert_eq!(down.1, up.1);
    }

    /// A client, a balancer and `n` backends, as `view::layout` places them.
    fn lb_of(n: usize) -> Vec<(f64, f64)> {
        let third = 1.0 / 3.0;
        let mut v = vec![(third / 2.0, 0.5), (0.5, 0.5)];
        v.extend((0..n).map(|r| (1.0 - third / 2.0, (r as f64 + 0.5) / n as f64)));
        v
    }

    #[test]
    fn a_big_column_becomes_a_grid_of_marks_under_a_detail_slot() {
        let cards = Geometry::for_width(&lb_of(COMPACT_ABOVE), Some(852.0));
        assert!(
            !cards.is_mark(2),
            "{COMPACT_ABOVE} backends keep their cards"
        );
        assert_eq!(cards.height, COMPACT_ABOVE as f64 * ROW_PITCH + 24.0);

        let g = Geometry::for_width(&lb_of(100), Some(852.0));
        assert!(!g.is_mark(0) && !g.is_mark(1) && (2..102).all(|i| g.is_mark(i)));
        assert_eq!(
            (g.width_of(2), g.height_of(2), g.card_width(2)),
            (MARK, MARK, g.card_w)
        );
        // 11 marks a row (what a third of 852 holds; √200 would give 15), 10 rows, under the
        // slot: a drawing that fits a screen.
        assert_eq!(g.height, SLOT_ROOM + 10.0 * MARK_PITCH + 24.0);
        let x = 852.0 * (1.0 - 1.0 / 6.0);
        assert_eq!(g.marks[2], Some((x, 12.0 + NODE_H / 2.0)));
        let first = g.centers[2];
        assert_eq!(
            first,
            (x - 5.0 * MARK_PITCH, 12.0 + SLOT_ROOM + MARK_PITCH / 2.0)
        );
        assert_eq!(
            g.centers[2 + 11],
            (first.0, first.1 + MARK_PITCH),
            "row order, left to right"
        );
        assert_eq!(g.centers[101].1, first.1 + 9.0 * MARK_PITCH);
        let roomy = Geometry::for_width(&lb_of(100), Some(1600.0));
        assert_eq!(
            roomy.height,
            SLOT_ROOM + 7.0 * MARK_PITCH + 24.0,
            "15 a row when they fit"
        );
        // A packet to a mark ends just outside it, on its lane.
        let at = g.packet_at(1, 2, 1.0, 10.0);
        let d = ((at.0 - first.0).powi(2) + (at.1 - first.1).powi(2)).sqrt();
        assert!(
            d < MARK / 2.0 + GAP + LANE + 8.0,
            "{at:?} is by the mark at {first:?}"
        );
        assert!(
            !Geometry::for_width(&lb_of(100), Some(340.0)).turned,
            "never turned"
        );
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(
            [num(1.0), num(2.25), num(-0.04), num(3.96)],
            ["1", "2.3", "0", "4"]
        );
        assert_eq!(packet_width("GET #1"), 14.0 + 6.3 * 6.0);
    }
}
