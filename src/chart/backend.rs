//! The one backend every chart is drawn on, so the drawing code (`draw_chart`, the cache's miss
//! ratio curve, and plotters' chart, mesh and series code under them) is compiled once: the
//! page's `<canvas>`, or an SVG document (the "SVG" download, and the native tests).
//!
//! On the canvas, text is measured with the canvas's own `measureText` instead of plotters' web
//! font code, which sizes every label by adding a `<span>` to the page and reading its
//! `offsetHeight` — a forced layout of the whole page per label (dozens per chart; on a
//! 100-backend page they made a chart's draw a long task).

use plotters::backend::SVGBackend;
use plotters::prelude::DrawingBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use std::fmt;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

pub enum ChartBackend<'a> {
    Canvas {
        inner: CanvasBackend,
        context: CanvasRenderingContext2d,
    },
    Svg(SVGBackend<'a>),
}

/// Either backend's error, as its text.
#[derive(Debug)]
pub struct ChartError(String);

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ChartError {}

type Drawn<T = ()> = Result<T, DrawingErrorKind<ChartError>>;

fn wrap<E: std::error::Error + Send + Sync>(
    e: DrawingErrorKind<E>,
) -> DrawingErrorKind<ChartError> {
    match e {
        DrawingErrorKind::DrawingError(e) => {
            DrawingErrorKind::DrawingError(ChartError(e.to_string()))
        }
        DrawingErrorKind::FontError(e) => DrawingErrorKind::FontError(e),
    }
}

/// One backend call, made on whichever backend this is.
macro_rules! on_either {
    ($self:expr, $b:ident => $call:expr) => {
        match $self {
            ChartBackend::Canvas { inner: $b, .. } => $call.map_err(wrap),
            ChartBackend::Svg($b) => $call.map_err(wrap),
        }
    };
}

impl ChartBackend<'static> {
    /// `None` when the canvas has no 2D context.
    pub fn canvas(canvas: HtmlCanvasElement) -> Option<ChartBackend<'static>> {
        let context = canvas
            .get_context("2d")
            .ok()
            .flatten()?
            .dyn_into::<CanvasRenderingContext2d>()
            .ok()?;
        Some(ChartBackend::Canvas {
            inner: CanvasBackend::with_canvas_object(canvas)?,
            context,
        })
    }
}

impl<'a> ChartBackend<'a> {
    /// An SVG document `size` pixels, written into `svg`.
    pub fn svg(svg: &'a mut String, size: (u32, u32)) -> ChartBackend<'a> {
        ChartBackend::Svg(SVGBackend::with_string(svg, size))
    }
}

impl DrawingBackend for ChartBackend<'_> {
    type ErrorType = ChartError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            ChartBackend::Canvas { inner, .. } => inner.get_size(),
            ChartBackend::Svg(svg) => svg.get_size(),
        }
    }

    fn ensure_prepared(&mut self) -> Drawn {
        on_either!(self, b => b.ensure_prepared())
    }

    fn present(&mut self) -> Drawn {
        on_either!(self, b => b.present())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn {
        on_either!(self, b => b.draw_pixel(point, color))
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn {
        on_either!(self, b => b.draw_line(from, to, style))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        on_either!(self, b => b.draw_rect(upper_left, bottom_right, style, fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        on_either!(self, b => b.draw_path(path, style))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        on_either!(self, b => b.draw_circle(center, radius, style, fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn {
        on_either!(self, b => b.fill_polygon(vert, style))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Drawn {
        on_either!(self, b => b.draw_text(text, style, pos))
    }

    /// On the canvas: the text's advance width and the font's ascent + descent, in the font
    /// `draw_text` sets. In SVG: plotters' own estimate.
    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Drawn<(u32, u32)> {
        let context = match self {
            ChartBackend::Canvas { context, .. } => context,
            ChartBackend::Svg(svg) => return svg.estimate_text_size(text, style).map_err(wrap),
        };
        context.set_font(&format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str(),
        ));
        let metrics = context
            .measure_text(text)
            .map_err(|e| DrawingErrorKind::FontError(format!("measureText: {e:?}").into()))?;
        let height = metrics.font_bounding_box_ascent() + metrics.font_bounding_box_descent();
        Ok((metrics.width().round() as u32, height.round() as u32))
    }
}
