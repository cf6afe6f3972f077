//! The few direct browser calls the app makes (history, clipboard, blob URLs, timing), in one
//! place, each failing quietly into a value instead of throwing: a missing API must not break
//! the page.

use wasm_bindgen::JsValue;

/// Replaces the URL's hash without a navigation, a history entry or a router notification.
pub fn replace_hash(hash: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if window.location().hash().ok().as_deref() == Some(hash) {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(hash));
    }
}

/// The query part of the URL's hash (`#/lb?seed=1` → `seed=1`), as typed (still %-encoded).
pub fn hash_query() -> String {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    hash.split_once('?')
        .map(|(_, q)| q.to_string())
        .unwrap_or_default()
}

/// The page's address with `hash` in place of the current hash.
pub fn url_with_hash(hash: &str) -> String {
    let Some(window) = web_sys::window() else {
        return hash.to_string();
    };
    let loc = window.location();
    let origin = loc.origin().unwrap_or_default();
    let path = loc.pathname().unwrap_or_default();
    let search = loc.search().unwrap_or_default();
    format!("{origin}{path}{search}{hash}")
}

/// Copies `text` to the clipboard; `false` when the browser refuses (no permission, no API).
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard = window.navigator().clipboard();
    // Older engines lack the API: the property is then undefined.
    if JsValue::from(clipboard.clone()).is_undefined() {
        return false;
    }
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .is_ok()
}

/// An object URL for a JSON document (revoke it with [`revoke_url`] when done).
pub fn json_blob_url(json: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(json));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

pub fn revoke_url(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}

/// `performance.now()` in ms, or 0 where there is no performance clock.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
