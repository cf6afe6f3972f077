//! Hopscope's web app: a Yew view of runs computed by the `hopscope-sim` engine.
//!
//! The UI is a function of (run, cursor): the engine computes a `Run` from (block, params,
//! seed); the views here only read it. See `ARCHITECTURE.md` for the map.

pub mod animation;
pub mod app;
pub mod blocks;
pub mod browser;
pub mod catalog;
pub mod chart;
pub mod compare;
pub mod download;
pub mod embed;
pub mod engine;
#[cfg(test)]
pub mod fixture;
pub mod home;
pub mod motion;
pub mod not_found;
pub mod panic_panel;
pub mod playback;
pub mod playground;
pub mod route;
pub mod run_data;
pub mod scenario_form;
pub mod shortcuts;
pub mod speed;
pub mod theme;
pub mod url_state;
pub mod url_sync;
pub mod viewport;

/// Installs the panic panel and renders the app into `<body>`.
pub fn start() {
    panic_panel::install();
    theme::init();
    yew::Renderer::<app::App>::new().render();
}
