//! How far a long simulation has got, for a progress bar: blocks report (done, total) from their
//! main loop and whoever runs them (the Web Worker) may listen.
//!
//! An observer, not an input: nothing reported here can change a run, so the engine stays a pure
//! function of (params, seed). The listener is per thread and only set for the duration of one
//! [`observe`] call; with none set (the CLI, the tests) a report costs a thread-local read.

use std::cell::RefCell;

type Listener = Box<dyn FnMut(u64, u64)>;

thread_local! {
    static LISTENER: RefCell<Option<Listener>> = const { RefCell::new(None) };
}

/// How often a loop should report: every this many units of work (a power of two, so the check
/// is a mask).
pub const EVERY: u64 = 1 << 12;

/// Runs `f`, calling `listener(done, total)` on each report made meanwhile on this thread.
pub fn observe<R>(listener: impl FnMut(u64, u64) + 'static, f: impl FnOnce() -> R) -> R {
    struct Reset(Option<Listener>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let previous = self.0.take();
            LISTENER.with(|l| *l.borrow_mut() = previous);
        }
    }
    let previous = LISTENER.with(|l| l.borrow_mut().replace(Box::new(listener)));
    let _reset = Reset(previous);
    f()
}

/// Reports `done` units of work out of `total`.
pub fn report(done: u64, total: u64) {
    LISTENER.with(|l| {
        if let Ok(mut l) = l.try_borrow_mut() {
            if let Some(listener) = l.as_mut() {
                listener(done.min(total), total);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    #[test]
    fn reports_reach_the_listener_only_while_it_observes() {
        let seen = Rc::new(RefCell::new(Vec::new()));
        report(1, 10);
        let out = observe(
            {
                let seen = seen.clone();
                move |d, t| seen.borrow_mut().push((d, t))
            },
            || {
                report(2, 10);
                report(12, 10);
                "done"
            },
        );
        report(3, 10);
        assert_eq!(out, "done");
        assert_eq!(*seen.borrow(), [(2, 10), (10, 10)]);
    }

    #[test]
    fn a_real_run_reports_monotonic_progress_and_the_same_run() {
        use crate::registry;
        let lb = registry::find("lb").expect("lb");
        let set = [("requests", "20000")];
        let plain = crate::run_scenario(lb, &set, 3).expect("valid");
        let seen = Rc::new(RefCell::new(Vec::new()));
        let observed = observe(
            {
                let seen = seen.clone();
                move |d, t| seen.borrow_mut().push((d, t))
            },
            || crate::run_scenario(lb, &set, 3).expect("valid"),
        );
        assert_eq!(plain, observed, "observing must not change the run");
        let seen = seen.borrow();
        assert!(seen.len() >= 3, "{} reports", seen.len());
        assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0));
        assert!(seen.iter().all(|&(d, t)| t == 20_000 && d <= t));
    }
}
