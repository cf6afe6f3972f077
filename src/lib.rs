//! Hopscope's web app: a Yew view of runs computed by the `hopscope-sim` engine.

pub mod catalog;
pub mod playback;
pub mod speed;
pub mod url_state;

pub fn start() {}
