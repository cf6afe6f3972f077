//! Keeps the address bar in step with the view, without writing it on every animation frame:
//! nothing is written while playing, and otherwise at most one write per interval (the first at
//! once, the last one delayed), since browsers throttle history calls.

use crate::browser;
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

const MIN_INTERVAL_MS: f64 = 250.0;

#[derive(Default)]
struct Writer {
    last_write_ms: Option<f64>,
    pending: Option<Timeout>,
}

#[hook]
pub fn use_url_sync(hash: AttrValue, playing: bool) {
    let writer = use_mut_ref(Writer::default);
    use_effect_with((hash, playing), move |(hash, playing)| {
        if !*playing {
            write(&writer, hash.to_string());
        }
    });
}

fn write(writer: &Rc<RefCell<Writer>>, hash: String) {
    let now = browser::now_ms();
    let mut w = writer.borrow_mut();
    w.pending = None;
    let wait = w
        .last_write_ms
        .map_or(0.0, |last| MIN_INTERVAL_MS - (now - last));
    if wait <= 0.0 {
        browser::replace_hash(&hash);
        w.last_write_ms = Some(now);
    } else {
        let writer_again = writer.clone();
        w.pending = Some(Timeout::new(wait.ceil() as u32, move || {
            let mut w = writer_again.borrow_mut();
            w.pending = None;
            w.last_write_ms = Some(browser::now_ms());
            browser::replace_hash(&hash);
        }));
    }
}
