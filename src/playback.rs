//! The cursor over a run: where it is, whether it moves, how fast.
//!
//! The UI is a pure function of (run, cursor); this module is the cursor half. It is a plain
//! reducer (`Playback::apply`) so it is tested natively; the Yew hook `use_reducer` drives it and
//! an animation-frame loop only dispatches [`PlaybackAction::Tick`]. Narrated steps can share a
//! time, so the current step is kept as an index beside the time, not derived from it.

use crate::speed::Speed;
use hopscope_sim::{ParamError, Run, SimTime};
use std::rc::Rc;
use yew::Reducible;

/// The longest real-time gap one tick may cover: a tab that was hidden for a minute resumes
/// where it paused instead of jumping ahead.
const MAX_TICK_MS: f64 = 100.0;

/// What of a run the cursor needs: its length, its step times and its natural pace.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    pub duration: SimTime,
    /// `Run::steps[i].at`, in order.
    pub step_times: Vec<SimTime>,
    /// Virtual µs per real second at 1× (`view::default_pace`).
    pub pace: f64,
}

impl Timeline {
    pub fn of(run: &Run) -> Timeline {
        Timeline {
            duration: run.duration,
            step_times: run.steps.iter().map(|s| s.at).collect(),
            pace: hopscope_sim::view::default_pace(run),
        }
    }

    /// The step showing at `t`: the last one at or before it.
    pub fn step_at(&self, t: SimTime) -> Option<usize> {
        self.step_times
            .partition_point(|at| *at <= t)
            .checked_sub(1)
    }

    /// Whether `step` may show at `t`: a step at exactly `t` (several may share it), or else
    /// the last step before `t`.
    fn step_fits(&self, step: usize, t: SimTime) -> bool {
        let before = self.step_times.partition_point(|at| *at < t);
        let upto = self.step_times.partition_point(|at| *at <= t);
        if upto > before {
            (before..upto).contains(&step)
        } else {
            before.checked_sub(1) == Some(step)
        }
    }
}

#[derive(Clone, Debug)]
pub struct Playback {
    pub timeline: Rc<Timeline>,
    pub t: SimTime,
    /// The narrated step showing; `None` before the first one.
    pub step: Option<usize>,
    pub playing: bool,
    pub speed: Speed,
    /// The animation-frame timestamp of the last tick while playing.
    last_tick_ms: Option<f64>,
    /// Fractions of a microsecond not yet applied (slow speeds advance less than 1 µs a frame).
    carry: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PlaybackAction {
    Play,
    Pause,
    TogglePlay,
    StepForward,
    StepBack,
    Seek(SimTime),
    /// An animation frame at this `performance.now()` timestamp (ms).
    Tick(f64),
    SetSpeed(Speed),
    /// The first narrated step (Home), or 0 when the run has none.
    First,
    /// The last narrated step (End), or the end when the run has none.
    Last,
    /// The next speed up or down in `Speed::ALL` (`]` and `[`); at either end it stays.
    Faster,
    Slower,
    /// The run was recomputed (a parameter changed): keep the cursor where it still makes sense.
    LoadRun(Rc<Timeline>),
}

impl Playback {
    /// Paused at the first narrated step (or at 0 when the run has none).
    pub fn new(timeline: Rc<Timeline>) -> Playback {
        let t = timeline
            .step_times
            .first()
            .copied()
            .unwrap_or(SimTime::ZERO);
        let step = timeline.step_at(t).map(|_| 0);
        Playback {
            timeline,
            t,
            step,
            playing: false,
            speed: Speed::NORMAL,
            last_tick_ms: None,
            carry: 0.0,
        }
    }

    /// The cursor a URL asked for. A time past the end or a step that does not exist (or does not
    /// show at that time) is reported and ignored.
    pub fn from_url(
        timeline: Rc<Timeline>,
        t: Option<SimTime>,
        step: Option<usize>,
        speed: Option<Speed>,
    ) -> (Playback, Vec<ParamError>) {
        let mut errors = Vec::new();
        let mut p = Playback::new(timeline.clone());
        p.speed = speed.unwrap_or_default();
        let n = timeline.step_times.len();
        let t = t.filter(|t| {
            let ok = *t <= timeline.duration;
            if !ok {
                errors.push(ParamError::new(
                    crate::url_state::TIME,
                    t.0.to_string(),
                    format!(
                        "a time from 0 to {} µs (the end of the run)",
                        timeline.duration.0
                    ),
                ));
            }
            ok
        });
        let step = step.filter(|s| {
            let ok = *s < n;
            if !ok {
                let allowed = match n {
                    0 => "no step: this run has no narrated steps".to_string(),
                    n => format!("a step index from 0 to {}", n - 1),
                };
                errors.push(ParamError::new(
                    crate::url_state::STEP,
                    s.to_string(),
                    allowed,
                ));
            }
            ok
        });
        match (t, step) {
            (Some(t), Some(s)) if timeline.step_fits(s, t) => (p.t, p.step) = (t, Some(s)),
            (Some(t), Some(s)) => {
                errors.push(ParamError::new(
                    crate::url_state::STEP,
                    s.to_string(),
                    format!("a step that shows at t = {} µs", t.0),
                ));
                (p.t, p.step) = (t, timeline.step_at(t));
            }
            (Some(t), None) => (p.t, p.step) = (t, timeline.step_at(t)),
            (None, Some(s)) => (p.t, p.step) = (timeline.step_times[s], Some(s)),
            (None, None) => {}
        }
        (p, errors)
    }

    pub fn can_step_back(&self) -> bool {
        match self.step {
            Some(i) => i > 0 || self.t > self.timeline.step_times[0],
            None => self.t > SimTime::ZERO,
        }
    }

    pub fn can_step_forward(&self) -> bool {
        self.step.map_or(0, |i| i + 1) < self.timeline.step_times.len()
    }

    /// The next state. Returns a value equal to `self` when the action changes nothing.
    pub fn apply(&self, action: PlaybackAction) -> Playback {
        let mut next = self.clone();
        let tl = &self.timeline;
        match action {
            PlaybackAction::Play => next.play(),
            PlaybackAction::Pause => next.pause(),
            PlaybackAction::TogglePlay if self.playing => next.pause(),
            PlaybackAction::TogglePlay => next.play(),
            PlaybackAction::StepForward => {
                next.pause();
                let i = self.step.map_or(0, |i| i + 1);
                if let Some(at) = tl.step_times.get(i) {
                    (next.t, next.step) = (*at, Some(i));
                }
            }
            PlaybackAction::StepBack => {
                next.pause();
                match self.step {
                    // Into a step: back to its start, like "previous" in a media player.
                    Some(i) if self.t > tl.step_times[i] => next.t = tl.step_times[i],
                    Some(i) if i > 0 => (next.t, next.step) = (tl.step_times[i - 1], Some(i - 1)),
                    Some(_) => {}
                    None => next.t = SimTime::ZERO,
                }
            }
            PlaybackAction::Seek(t) => {
                next.t = t.min(tl.duration);
                next.step = tl.step_at(next.t);
                next.carry = 0.0;
            }
            PlaybackAction::Tick(now_ms) => {
                if !self.playing {
                    return next;
                }
                if let Some(last) = self.last_tick_ms {
                    let dt_ms = (now_ms - last).clamp(0.0, MAX_TICK_MS);
                    let advance = dt_ms / 1000.0 * tl.pace * self.speed.factor() + self.carry;
                    let whole = advance.floor();
                    next.carry = advance - whole;
                    next.t = SimTime(self.t.0.saturating_add(whole as u64)).min(tl.duration);
                    if next.t != self.t {
                        // Keep a chosen step among several that share this time.
                        if !self.step.is_some_and(|s| tl.step_fits(s, next.t)) {
                            next.step = tl.step_at(next.t);
                        }
                    }
                    if next.t >= tl.duration {
                        next.pause();
                    }
                }
                next.last_tick_ms = Some(now_ms).filter(|_| next.playing);
            }
            PlaybackAction::SetSpeed(speed) => next.speed = speed,
            PlaybackAction::First | PlaybackAction::Last => {
                next.pause();
                let n = tl.step_times.len();
                (next.t, next.step) = match (action == PlaybackAction::First, n) {
                    (true, 0) => (SimTime::ZERO, None),
                    (false, 0) => (tl.duration, None),
                    (true, _) => (tl.step_times[0], Some(0)),
                    (false, n) => (tl.step_times[n - 1], Some(n - 1)),
                };
            }
            PlaybackAction::Faster => next.speed = self.speed.faster(),
            PlaybackAction::Slower => next.speed = self.speed.slower(),
            PlaybackAction::LoadRun(timeline) => {
                next.t = self.t.min(timeline.duration);
                next.step = match self.step {
                    Some(s) if s < timeline.step_times.len() && timeline.step_fits(s, next.t) => {
                        Some(s)
                    }
                    _ => timeline.step_at(next.t),
                };
                next.timeline = timeline;
                if next.t >= next.timeline.duration {
                    next.pause();
                }
            }
        }
        next
    }

    fn play(&mut self) {
        if self.t >= self.timeline.duration {
            // Play at the end starts over.
            self.t = SimTime::ZERO;
            self.step = self.timeline.step_at(self.t);
        }
        self.playing = self.timeline.duration > SimTime::ZERO;
        self.last_tick_ms = None;
        self.carry = 0.0;
    }

    fn pause(&mut self) {
        self.playing = false;
        self.last_tick_ms = None;
        self.carry = 0.0;
    }
}

/// Compares the timeline by identity: a run's timeline is built once and shared, and comparing
/// step lists on every animation frame would be wasted work.
impl PartialEq for Playback {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.timeline, &other.timeline)
            && self.t == other.t
            && self.step == other.step
            && self.playing == other.playing
            && self.speed == other.speed
            && self.last_tick_ms == other.last_tick_ms
            && self.carry == other.carry
    }
}

impl Reducible for Playback {
    type Action = PlaybackAction;

    fn reduce(self: Rc<Self>, action: PlaybackAction) -> Rc<Self> {
        let next = self.apply(action);
        // Same value, same pointer: Yew then skips the re-render.
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests;
