//! A requestAnimationFrame loop as a hook: while `active`, it calls `on_frame` with each
//! frame's timestamp. It holds no state of its own; the caller dispatches a `Tick`.

use gloo::render::{request_animation_frame, AnimationFrame};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

#[hook]
pub fn use_animation_frames(active: bool, on_frame: Callback<f64>) {
    use_effect_with((active, on_frame), |(active, on_frame)| {
        let alive = Rc::new(Cell::new(*active));
        let handle: Rc<RefCell<Option<AnimationFrame>>> = Rc::default();
        if *active {
            schedule(alive.clone(), handle.clone(), on_frame.clone());
        }
        move || {
            // The frame callback may be running right now (a tick that paused playback): the
            // flag stops it from scheduling another.
            alive.set(false);
            handle.borrow_mut().take();
        }
    });
}

fn schedule(
    alive: Rc<Cell<bool>>,
    handle: Rc<RefCell<Option<AnimationFrame>>>,
    on_frame: Callback<f64>,
) {
    let next = {
        let handle = handle.clone();
        request_animation_frame(move |ts| {
            if !alive.get() {
                return;
            }
            on_frame.emit(ts);
            if alive.get() {
                schedule(alive, handle, on_frame);
            }
        })
    };
    *handle.borrow_mut() = Some(next);
}
