//! What a panic shows: an error panel with the message and a reset button, built with plain
//! DOM calls inside the panic hook. Release builds abort after the hook, so Yew cannot render
//! anything any more; the panel must not depend on it.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Installs the hook; call once at start.
pub fn install() {
    // Through Yew, which otherwise replaces any hook with its own when the app first renders.
    yew::set_custom_panic_hook(Box::new(|info| {
        // The release bundle is built without panic locations (`-Zlocation-detail=none`,
        // scripts/env.sh): its `Location` reads `<redacted>:0:0`, so only real ones are shown.
        let message = match (info.payload_as_str(), info.location()) {
            (Some(text), Some(at)) if at.file() != "<redacted>" => {
                format!("panicked at {at}:\n{text}")
            }
            (Some(text), _) => format!("panicked: {text}"),
            (None, _) => info.to_string(),
        };
        web_sys::console::error_1(&format!("Hopscope crashed: {message}").into());
        show(&message);
    }));
}

/// The hash the reset button goes to: the current block's defaults, or home.
fn reset_hash() -> String {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let path = hash.trim_start_matches('#').split('?').next().unwrap_or("");
    let id = path.trim_start_matches('/').split('/').next().unwrap_or("");
    match hopscope_sim::registry::find_spec(id) {
        Some(block) => format!("#/{}", block.id()),
        None => "#/".to_string(),
    }
}

fn show(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    if document
        .query_selector("[data-testid=panic-panel]")
        .ok()
        .flatten()
        .is_some()
    {
        return;
    }
    let make = |tag: &str, class: &str| {
        let el = document.create_element(tag).ok()?;
        el.set_class_name(class);
        Some(el)
    };
    let (Some(backdrop), Some(panel), Some(title), Some(text), Some(pre), Some(button)) = (
        make("div", "panic-backdrop"),
        make("div", "panic-panel"),
        make("h2", "panic-title"),
        make("p", "panic-text"),
        make("pre", "panic-message"),
        make("button", "button primary"),
    ) else {
        return;
    };
    let _ = panel.set_attribute("data-testid", "panic-panel");
    let _ = panel.set_attribute("role", "alertdialog");
    let _ = panel.set_attribute("aria-labelledby", "panic-title");
    title.set_id("panic-title");
    title.set_text_content(Some("Something went wrong"));
    text.set_text_content(Some("The playground hit a bug and stopped. Resetting the scenario reloads it with its default parameters."));
    // The message is text, never markup.
    pre.set_text_content(Some(message));
    let _ = button.set_attribute("type", "button");
    let _ = button.set_attribute("data-testid", "panic-reset");
    button.set_text_content(Some("Reset scenario"));
    let target = reset_hash();
    let on_click = Closure::<dyn FnMut()>::new(move || {
        if let Some(window) = web_sys::window() {
            let loc = window.location();
            let _ = loc.set_hash(&target);
            let _ = loc.reload();
        }
    });
    let _ = button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    // The page is about to be reloaded or left: the listener lives as long as the page.
    on_click.forget();
    for child in [&title, &text, &pre, &button] {
        let _ = panel.append_child(child);
    }
    let _ = backdrop.append_child(&panel);
    let _ = body.append_child(&backdrop);
}
