//! The cursor reducer, natively: stepping is exact and reversible, ticks follow pace × speed,
//! and the cursor never leaves the run.

use super::*;

/// Steps at 10, 20, 20 (two share a time) and 50; the run ends at 100; 1× is 1000 µs/s.
fn timeline() -> Rc<Timeline> {
    Rc::new(Timeline {
        duration: SimTime(100),
        step_times: vec![SimTime(10), SimTime(20), SimTime(20), SimTime(50)],
        pace: 1000.0,
    })
}

fn at(p: &Playback) -> (u64, Option<usize>, bool) {
    (p.t.0, p.step, p.playing)
}

fn run(p: &Playback, actions: impl IntoIterator<Item = PlaybackAction>) -> Playback {
    actions.into_iter().fold(p.clone(), |p, a| p.apply(a))
}

#[test]
fn starts_paused_at_the_first_step() {
    let p = Playback::new(timeline());
    assert_eq!(at(&p), (10, Some(0), false));
    assert!(!p.can_step_back());
    assert!(p.can_step_forward());
    let empty = Playback::new(Rc::new(Timeline {
        duration: SimTime(5),
        step_times: vec![],
        pace: 1.0,
    }));
    assert_eq!(at(&empty), (0, None, false));
    assert!(!empty.can_step_forward());
}

#[test]
fn step_forward_then_back_restores_every_state() {
    use PlaybackAction::*;
    let start = Playback::new(timeline());
    let mut states = vec![start.clone()];
    for _ in 0..3 {
        let next = states.last().expect("non-empty").apply(StepForward);
        states.push(next);
    }
    let seen: Vec<_> = states.iter().map(at).collect();
    assert_eq!(
        seen,
        [
            (10, Some(0), false),
            (20, Some(1), false),
            (20, Some(2), false),
            (50, Some(3), false)
        ]
    );
    let last = states.last().expect("non-empty");
    assert!(!last.can_step_forward());
    assert_eq!(last.apply(StepForward), *last, "no step after the last");
    for i in (0..3).rev() {
        let back = states[i + 1].apply(StepBack);
        assert_eq!(back, states[i], "back from step {}", i + 1);
    }
}

#[test]
fn step_back_inside_a_step_returns_to_its_start() {
    use PlaybackAction::*;
    let p = run(&Playback::new(timeline()), [Seek(SimTime(35))]);
    assert_eq!(at(&p), (35, Some(2), false));
    assert_eq!(at(&p.apply(StepBack)), (20, Some(2), false));
    let before = run(&Playback::new(timeline()), [Seek(SimTime(4))]);
    assert_eq!(at(&before), (4, None, false));
    assert_eq!(at(&before.apply(StepBack)), (0, None, false));
    assert_eq!(at(&before.apply(StepForward)), (10, Some(0), false));
}

#[test]
fn seek_picks_the_step_showing_and_clamps_to_the_end() {
    use PlaybackAction::*;
    let p = Playback::new(timeline());
    assert_eq!(at(&p.apply(Seek(SimTime(20)))), (20, Some(2), false));
    assert_eq!(at(&p.apply(Seek(SimTime(49)))), (49, Some(2), false));
    assert_eq!(at(&p.apply(Seek(SimTime(5000)))), (100, Some(3), false));
    let playing = p.apply(Play);
    assert!(
        playing.apply(Seek(SimTime(30))).playing,
        "scrubbing keeps playing"
    );
}

#[test]
fn ticks_advance_by_pace_times_speed() {
    use PlaybackAction::*;
    let p = run(&Playback::new(timeline()), [Play, Tick(1000.0)]);
    assert_eq!(
        at(&p),
        (10, Some(0), true),
        "the first frame only starts the clock"
    );
    // 16 ms at 1000 µs/s is 16 µs.
    let p = p.apply(Tick(1016.0));
    assert_eq!(at(&p), (26, Some(2), true));
    let fast = run(
        &p,
        [SetSpeed(Speed::parse("2").expect("a speed")), Tick(1026.0)],
    );
    assert_eq!(at(&fast), (46, Some(2), true), "10 ms at 2× is 20 µs");
    // A quarter speed advances 0.25 µs per ms: fractions accumulate instead of being lost.
    let slow = run(&p, [SetSpeed(Speed::ALL[0]), Tick(1018.0), Tick(1020.0)]);
    assert_eq!(at(&slow), (27, Some(2), true));
}

#[test]
fn a_long_gap_between_frames_is_capped() {
    use PlaybackAction::*;
    let p = run(
        &Playback::new(timeline()),
        [Play, Tick(0.0), Tick(60_000.0)],
    );
    assert_eq!(
        at(&p),
        (100, Some(3), false),
        "100 ms at most: 100 µs, clamped to the end"
    );
    let p = run(&Playback::new(timeline()), [Play, Tick(0.0), Tick(50.0)]);
    assert_eq!(at(&p), (60, Some(3), true));
}

#[test]
fn playing_stops_at_the_end_and_play_starts_over() {
    use PlaybackAction::*;
    let mut p = run(&Playback::new(timeline()), [Play, Tick(0.0)]);
    for i in 1..10 {
        p = p.apply(Tick(i as f64 * 50.0));
    }
    assert_eq!(at(&p), (100, Some(3), false), "clamped to the end, paused");
    assert_eq!(
        p.apply(Tick(10_000.0)),
        p,
        "ticks while paused change nothing"
    );
    assert_eq!(at(&p.apply(Play)), (0, None, true));
    assert_eq!(at(&p.apply(TogglePlay)), (0, None, true));
    assert_eq!(at(&p.apply(Play).apply(TogglePlay)), (0, None, false));
}

#[test]
fn a_new_run_keeps_the_cursor_where_it_fits() {
    use PlaybackAction::*;
    let p = run(&Playback::new(timeline()), [StepForward, StepForward]);
    assert_eq!(at(&p), (20, Some(2), false));
    let same_shape = Rc::new(Timeline {
        duration: SimTime(200),
        step_times: vec![SimTime(10), SimTime(20), SimTime(20)],
        pace: 5.0,
    });
    assert_eq!(at(&p.apply(LoadRun(same_shape))), (20, Some(2), false));
    let shorter = Rc::new(Timeline {
        duration: SimTime(15),
        step_times: vec![SimTime(2), SimTime(12)],
        pace: 5.0,
    });
    assert_eq!(at(&p.apply(LoadRun(shorter))), (15, Some(1), false));
}

#[test]
fn the_url_cursor_is_checked_against_the_run() {
    let tl = timeline();
    let ok = |t: Option<u64>, step: Option<usize>| {
        let (p, errors) = Playback::from_url(tl.clone(), t.map(SimTime), step, None);
        let errors: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        (at(&p), errors)
    };
    assert_eq!(ok(None, None), ((10, Some(0), false), vec![]));
    assert_eq!(ok(Some(20), Some(1)), ((20, Some(1), false), vec![]));
    assert_eq!(ok(Some(20), None), ((20, Some(2), false), vec![]));
    assert_eq!(ok(None, Some(3)), ((50, Some(3), false), vec![]));
    assert_eq!(ok(Some(30), Some(2)), ((30, Some(2), false), vec![]));
    assert_eq!(
        ok(Some(30), Some(0)),
        (
            (30, Some(2), false),
            vec![r#"step="0": expected a step that shows at t = 30 µs"#.to_string()]
        )
    );
    assert_eq!(
        ok(Some(101), Some(9)),
        (
            (10, Some(0), false),
            vec![
                r#"t="101": expected a time from 0 to 100 µs (the end of the run)"#.to_string(),
                r#"step="9": expected a step index from 0 to 3"#.to_string()
            ]
        )
    );
}
