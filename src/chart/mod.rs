//! Charts of a run's metric series: plotters draws each chart once per run on a `<canvas>`; the
//! cursor is an overlay line, moved without redrawing.

pub mod backend;
pub mod canvas;
pub mod draw;
pub mod export;
pub mod palette;
pub mod panel;
