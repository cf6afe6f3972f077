//! Embed mode (issue 7): a compact view of one scenario for an `<iframe>` in someone else's
//! page (`view`), the dialog that writes the `<iframe>` snippet (`dialog`, `choices`,
//! `snippet`), and the postMessage API a host page drives it with (`protocol`, the pure
//! shapes; `bridge`, the browser wiring plus autoplay, loop and theme). The URL flags live in
//! `url_state::embed`; the message shapes are documented in `docs/embedding.md`.

pub mod bridge;
pub mod choices;
pub mod dialog;
pub mod message;
pub mod protocol;
pub mod snippet;
pub mod view;
