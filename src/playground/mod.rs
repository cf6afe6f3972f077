//! The playground: one generic page for any block of the registry, made of views of
//! (run, cursor) and the parameter form.

pub mod computing;
pub mod controls;
pub mod export;
pub mod geometry;
pub mod narration;
pub mod node_state;
pub mod page;
pub mod param_form;
pub mod param_groups;
pub mod presets;
pub mod results;
pub mod role;
pub mod settled;
pub mod status;
pub mod topology;
pub mod url_banner;
