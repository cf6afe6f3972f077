//! Saving a file the page made (a chart's PNG, SVG or CSV, the run's JSON): a temporary
//! object URL (or data URL) clicked through an `<a download>`, then released. Failures are
//! quiet values: a browser without the API simply saves nothing.

use wasm_bindgen::{JsCast, JsValue};

/// Saves `text` as a file called `name` of type `mime`. Returns whether the download started.
pub fn save_text(name: &str, mime: &str, text: &str) -> bool {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return false;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let ok = click_link(name, &url);
    // The click has handed the URL to the download; release it once that has started.
    let release = url.clone();
    gloo::timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&release);
    })
    .forget();
    ok
}

/// Saves a `data:` URL (a canvas's `toDataURL`) as a file called `name`.
pub fn save_data_url(name: &str, data_url: &str) -> bool {
    click_link(name, data_url)
}

fn click_link(name: &str, href: &str) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let Some(body) = document.body() else {
        return false;
    };
    let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return false;
    };
    a.set_href(href);
    a.set_download(name);
    let _ = a.set_attribute("hidden", "");
    if body.append_child(&a).is_err() {
        return false;
    }
    a.click();
    a.remove();
    true
}
