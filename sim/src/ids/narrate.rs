//! The narrated steps of the ID scenario: one sentence the first time each kind of moment
//! happens (an ID's bits, a repeat, a refusal, a wait, an inversion, an outage, ...), so a person
//! stepping through the run reads what the bits and the failure modes mean.

use super::fleet::Generator;
use super::generate::{GenError, WaitReason};
use super::scenario::{Config, Sim};
use super::utc::format_unix_ms;
use super::{snowflake, sonyflake};
use crate::kernel::time::{SimDuration, SimTime};

/// "Worker 3", to start a sentence.
fn worker(w: u32) -> String {
    format!("Worker {}", w + 1)
}

/// "worker 3", within one.
fn wk(w: u32) -> String {
    format!("worker {}", w + 1)
}

fn utc(ms: u64) -> String {
    format_unix_ms(ms as i64)
}

fn signed_ms(us: i64) -> String {
    let ms = us as f64 / 1000.0;
    if ms >= 0.0 {
        format!("+{ms:.1} ms")
    } else {
        format!("−{:.1} ms", -ms)
    }
}

/// The opening sentence: what the scheme puts in its bits.
pub fn intro(cfg: &Config) -> String {
    let n = cfg.workers();
    let fleet = format!(
        "{n} worker{} in {} datacenter{}",
        if n == 1 { "" } else { "s" },
        cfg.datacenters,
        if cfg.datacenters == 1 { "" } else { "s" }
    );
    // The verb agrees with the fleet: "1 worker runs", "4 workers run".
    let v = |one: &str, many: &str| {
        if n == 1 {
            one.to_string()
        } else {
            many.to_string()
        }
    };
    match cfg.generator {
        Generator::Snowflake => format!("{fleet} {} Snowflake: each ID is 41 bits of milliseconds since {}, a 5-bit datacenter id, a 5-bit worker id and a 12-bit sequence, so two workers can only clash if they share ids.", v("runs", "run"), utc(cfg.epoch_ms)),
        Generator::Naive => format!("{fleet} {} a naïve timestamp + counter generator: Snowflake's bit layout without its refusal to use a clock that went back.", v("runs", "run")),
        Generator::Sonyflake => format!("{fleet} {} Sonyflake: 39 bits of 10 ms ticks since {}, an 8-bit sequence and a 16-bit machine id taken from the private IP address.", v("runs", "run"), utc(cfg.sonyflake_start_ms)),
        Generator::UuidV4 => format!("{fleet} {} UUIDv4s: 122 random bits around the version (0100) and variant (10) bits, with no clock, no coordination and no order.", v("makes", "make")),
        Generator::UuidV7 => format!("{fleet} {} UUIDv7s: 48 bits of Unix milliseconds, version 0111, a 12-bit counter within the millisecond (RFC 9562 §6.2 method 1), variant 10 and 62 random bits.", v("makes", "make")),
        Generator::Ulid => format!("{fleet} {} ULIDs: 48 bits of Unix milliseconds and 80 random bits in 26 Crockford base32 characters; within a millisecond each is the previous one plus 1.", v("makes", "make")),
        Generator::Central => {
            let lease = if cfg.lease == 1 { "every single ID".to_string() } else { format!("ranges of {} IDs", cfg.lease) };
            let ceiling = if cfg.service.0 == 0 { "no limit on its speed".to_string() } else { format!("at most {:.0} answers per second for everyone", 1e6 / cfg.service.0 as f64) };
            format!("{fleet} {} one central sequencer for {lease}: a round trip of {} each time, and {ceiling}.", v("asks", "ask"), SimDuration(cfg.link.0 * 2))
        }
        Generator::Ticket => format!("{fleet} {} two MySQL ticket servers in turn: server 1 hands out 1, 3, 5, … and server 2 hands out 2, 4, 6, … (auto-increment-increment 2, offsets 1 and 2).", v("asks", "ask")),
    }
}

/// What an ID's bits say, as a clause.
fn explain(g: Generator, cfg: &Config, id: u128) -> String {
    match g {
        Generator::Snowflake | Generator::Naive => {
            let p = snowflake::unpack(id as u64);
            format!("its bits say {} (timestamp {}), datacenter {}, worker {}, sequence {}", utc(cfg.epoch_ms + p.timestamp), p.timestamp, p.datacenter, p.worker, p.sequence)
        }
        Generator::Sonyflake => {
            let (ticks, seq, machine) = sonyflake::unpack(id as u64);
            format!("its bits say tick {ticks} ({}), sequence {seq}, machine {machine}", utc((cfg.sonyflake_start_ms / 10 + ticks) * 10))
        }
        Generator::UuidV4 => "apart from the 4 at the start of the third group (the version) and 8, 9, a or b at the start of the fourth (the variant), every digit is random".into(),
        Generator::UuidV7 => format!("its first 12 hex digits are the Unix time {}, then the version 7, a 12-bit counter {:#05x}, the variant and 62 random bits", utc((id >> 80) as u64), (id >> 64) & 0xFFF),
        Generator::Ulid => format!("its first 10 characters are the Unix time {}, the last 16 are 80 random bits", utc((id >> 80) as u64)),
        Generator::Ticket => format!("it is {}, so it came from ticket server {}", if id % 2 == 1 { "odd" } else { "even" }, if id % 2 == 1 { 1 } else { 2 }),
        Generator::Central => "it is the sequencer's counter, nothing more".into(),
    }
}

/// The timestamp bits of an ID of a clock-based scheme (another scheme's whole value).
fn tick(g: Generator, id: u128) -> u128 {
    match g {
        Generator::Snowflake | Generator::Naive => id >> 22,
        Generator::Sonyflake => id >> 24,
        Generator::UuidV7 | Generator::Ulid => id >> 80,
        _ => id,
    }
}

pub fn issue(
    sim: &mut Sim,
    now: SimTime,
    r: u32,
    id: u128,
    clock_ms: Option<u64>,
    earlier_max: Option<(u128, u32, SimTime)>,
) {
    let g = sim.cfg.generator;
    let w = sim.reqs[r as usize].worker;
    let text = g.text(id);
    if !sim.told.first {
        sim.told.first = true;
        let why = explain(g, sim.cfg, id);
        sim.trace.step(
            now,
            Some(w),
            format!("{} issues its first ID, {text}: {why}.", worker(w)),
        );
        return;
    }
    let prev = sim.workers[w as usize].last_id;
    if let Some((m, mw, mt)) = earlier_max.filter(|(m, _, _)| id < *m) {
        if !sim.told.inversion {
            sim.told.inversion = true;
            let why = match g {
                Generator::UuidV4 => "v4 is random, so its order means nothing".to_string(),
                Generator::Ticket => "each ticket server counts on its own, and they drift apart".to_string(),
                Generator::Central => "each worker hands out the range it leased, and ranges interleave".to_string(),
                _ if tick(g, id) == tick(g, m) => "both carry the same timestamp, and within one tick the remaining bits (machine, sequence or random) decide the order, not time".to_string(),
                _ if mw != w => {
                    let a = sim.workers[w as usize].clock.error_us(now);
                    let b = sim.workers[mw as usize].clock.error_us(now);
                    format!("{}'s clock is {} off true time and {}'s is {}", wk(w), signed_ms(a), wk(mw), signed_ms(b))
                }
                _ => "its clock went back".to_string(),
            };
            sim.trace.step(now, Some(w), format!("Out of order: {}'s {text} sorts before {}, issued {} earlier by {}, because {why}.", worker(w), g.text(m), now.since(mt), wk(mw)));
            return;
        }
    }
    let seq = sim.workers[w as usize].gen.sequence();
    if !sim.told.same_ms {
        let same = match g {
            Generator::Snowflake | Generator::Naive if seq == Some(1) => Some(format!("{} issues {text} in the same millisecond as its previous ID: only the 12-bit sequence differs, now 1 of at most 4096.", worker(w))),
            Generator::Sonyflake if seq == Some(1) => Some(format!("{} issues {text} in the same 10 ms tick as its previous ID: only the 8-bit sequence differs, now 1 of at most 256.", worker(w))),
            Generator::UuidV7 if prev.is_some_and(|p| p >> 80 == id >> 80) && clock_ms.is_some_and(|c| c == (id >> 80) as u64) => Some(format!("{} issues {text} in the same millisecond as its previous UUID: the counter in rand_a went up by 1 and rand_b is fresh random bits, so it still sorts after it.", worker(w))),
            Generator::Ulid if prev == Some(id.wrapping_sub(1)) && clock_ms.is_some_and(|c| c == (id >> 80) as u64) => Some(format!("{} issues {text} in the same millisecond as its previous ULID: the random part is the previous one plus 1, so it sorts right after it.", worker(w))),
            _ => None,
        };
        if let Some(s) = same {
            sim.told.same_ms = true;
            sim.trace.step(now, Some(w), s);
            return;
        }
    }
    if !sim.told.reuse && matches!(g, Generator::UuidV7 | Generator::Ulid) {
        if let Some(c) = clock_ms.filter(|c| *c < (id >> 80) as u64) {
            sim.told.reuse = true;
            let how = if g == Generator::UuidV7 {
                "so its UUIDv7 reuses the last timestamp and counts on (RFC 9562 §6.2)"
            } else {
                "so the monotonic ULID factory keeps the last time and adds 1 to the random part"
            };
            sim.trace.step(now, Some(w), format!("{}'s clock reads {}, earlier than the {} it last used, {how}: {text} still sorts after its previous ID.", worker(w), utc(c), utc((id >> 80) as u64)));
        }
    }
}

pub fn wait(
    sim: &mut Sim,
    now: SimTime,
    w: u32,
    now_ms: u64,
    until_ms: u64,
    reason: WaitReason,
    at: SimTime,
) {
    let text = match reason {
        WaitReason::SequenceSpent if !sim.told.spent => {
            sim.told.spent = true;
            format!("{} has issued all 4096 IDs of millisecond {}: its 12-bit sequence is spent, so it spins until its clock reads the next millisecond, {} from now.", worker(w), utc(now_ms), at.since(now))
        }
        WaitReason::ClockBehind if !sim.told.wait_clock => {
            sim.told.wait_clock = true;
            format!("{}'s clock reads {}, {} ms before the last timestamp it used: with the wait policy it holds its requests for {}, until its clock gets back there.", worker(w), utc(now_ms), until_ms - now_ms, at.since(now))
        }
        WaitReason::CounterRollover if !sim.told.rollover => {
            sim.told.rollover = true;
            format!("{}'s UUIDv7 counter reached 0xfff within one millisecond: it freezes the counter and waits {} for the next millisecond (RFC 9562 §6.2).", worker(w), at.since(now))
        }
        _ => return,
    };
    sim.trace.step(now, Some(w), text);
}

pub fn sleep(sim: &mut Sim, now: SimTime, w: u32, d: SimDuration) {
    if sim.told.sleep {
        return;
    }
    sim.told.sleep = true;
    let behind = if d > SimDuration::from_millis(10) {
        " (its clock is behind the time it last used, so the wait is long)"
    } else {
        ""
    };
    sim.trace.step(now, Some(w), format!("{} has used all 256 sequence numbers of its 10 ms tick: Sonyflake moves its time one tick ahead and sleeps {d} before returning the ID{behind}.", worker(w)));
}

pub fn refusal(sim: &mut Sim, now: SimTime, w: u32, e: GenError) {
    if sim.told.refusal {
        return;
    }
    sim.told.refusal = true;
    let text = match e {
        GenError::ClockBackwards { now_ms, last_ms } => format!("{} refuses a request: its clock reads {}, {} ms before the last timestamp it used, so IdWorker throws InvalidSystemClock rather than risk a repeat, and keeps refusing until the clock catches up.", worker(w), utc(now_ms), last_ms - now_ms),
        other => format!("{} cannot issue an ID: {other}.", worker(w)),
    };
    sim.trace.step(now, Some(w), text);
}

pub fn duplicate(sim: &mut Sim, now: SimTime, r: u32, id: u128) {
    if sim.told.duplicate {
        return;
    }
    sim.told.duplicate = true;
    let w = sim.reqs[r as usize].worker;
    let n = sim.workers.len() as u32;
    let why = if sim.cfg.same_worker_id && (w == n - 1 || w == 0) {
        format!("worker {n} was configured with worker 1's datacenter and worker ids, and both issued the same sequence in the same millisecond")
    } else if sim.cfg.generator == Generator::Naive {
        "its clock went back, and it counted through a millisecond it had already used from 0 again"
            .to_string()
    } else {
        "two generators produced the same value".to_string()
    };
    sim.trace.step(
        now,
        Some(sim.db),
        format!(
            "Duplicate: {} from {} is already in the table, so the unique index rejects it; {why}.",
            sim.cfg.generator.text(id),
            wk(w)
        ),
    );
}

pub fn step(sim: &mut Sim, now: SimTime, i: usize) {
    let s = sim.cfg.steps[i];
    let who = match s.worker {
        Some(w) => format!("{}'s clock", wk(w)),
        None => "every worker's clock".to_string(),
    };
    let dir = if s.step_us < 0 { "back" } else { "forward" };
    let reading = s
        .worker
        .map(|w| {
            format!(
                ": it now reads {}",
                utc(sim.workers[w as usize].clock.read_ms(now))
            )
        })
        .unwrap_or_default();
    let then = match (sim.cfg.generator, s.step_us < 0) {
        (Generator::Snowflake, true) if sim.cfg.on_backwards == snowflake::OnBackwards::Refuse => {
            "; Snowflake will refuse requests until it has caught up"
        }
        (Generator::Snowflake, true) => "; Snowflake will hold requests until it has caught up",
        (Generator::Naive, true) => {
            "; the naïve generator does not notice and will reuse milliseconds"
        }
        (Generator::Sonyflake, true) => "; Sonyflake keeps counting on its stored time",
        (Generator::UuidV7, true) => "; the UUIDv7 generator will reuse its last timestamp",
        (Generator::Ulid, true) => "; the ULID factory will keep its last time",
        (Generator::UuidV4, _) => "; UUIDv4 uses no clock at all",
        (_, false) => "; its IDs jump ahead of everyone else's",
        _ => "",
    };
    sim.trace.step(
        now,
        s.worker,
        format!(
            "NTP steps {who} {dir} by {}{reading}{then}.",
            SimDuration(s.step_us.unsigned_abs())
        ),
    );
}

pub fn outage(sim: &mut Sim, now: SimTime, down: bool) {
    let n = sim.workers.len() as u32;
    let t = sim.cfg.timeout;
    let text = match (sim.cfg.generator, down) {
        (Generator::Central, true) if sim.cfg.lease > 1 => format!("The sequencer goes down: lease requests time out after {t}, but workers keep handing out what they have already leased."),
        (Generator::Central, true) => format!("The sequencer goes down: every request times out after {t}, and since nothing else can issue an ID, every worker is stuck (a single point of failure)."),
        (Generator::Central, false) => "The sequencer is back up and answers again.".to_string(),
        (_, true) => format!("Ticket server 1 goes down: requests sent to it time out after {t}, and the workers retry on server 2."),
        (_, false) => "Ticket server 1 is back up; its odd counter resumes where it stopped, far behind server 2's even one.".to_string(),
    };
    sim.trace.step(now, Some(n), text);
}

pub fn reply(sim: &mut Sim, now: SimTime, c: u32) {
    let call = &sim.calls[c as usize];
    let (w, (first, last), rtt) = (
        call.worker,
        call.ids.unwrap_or((0, 0)),
        now.since(call.sent),
    );
    let text = if call.req.is_none() {
        if sim.told.lease {
            return;
        }
        sim.told.lease = true;
        format!("{} leases IDs {first}–{last} in one round trip of {rtt} and hands them out locally: the next {} IDs cost no trip.", worker(w), last - first)
    } else {
        if sim.told.round_trip {
            return;
        }
        sim.told.round_trip = true;
        match sim.cfg.generator {
            Generator::Ticket => format!("{} gets ticket {first} from ticket server {} after a round trip of {rtt}: REPLACE INTO Tickets64, then SELECT LAST_INSERT_ID().", worker(w), call.server + 1),
            _ => format!("{} gets ID {first} from the sequencer after a round trip of {rtt}: every ID costs this trip.", worker(w)),
        }
    };
    sim.trace.step(now, Some(w), text);
}

pub fn failover(sim: &mut Sim, now: SimTime, w: u32, server: u32) {
    if sim.told.failover {
        return;
    }
    sim.told.failover = true;
    sim.trace.step(now, Some(w), format!("Ticket server {} did not answer {} within {}: it asks server {} instead, as Flickr's clients use whichever server is up.", server + 1, wk(w), sim.cfg.timeout, 2 - server));
}

pub fn timeout(sim: &mut Sim, now: SimTime, w: u32, failed: usize) {
    if sim.told.timeout || failed == 0 {
        return;
    }
    sim.told.timeout = true;
    let what = if failed == 1 {
        "1 request fails".to_string()
    } else {
        format!("{failed} requests fail")
    };
    sim.trace.step(now, Some(w), format!("The sequencer did not answer {} within {}: {what}, because no other node can issue an ID.", wk(w), sim.cfg.timeout));
}

pub fn late(sim: &mut Sim, now: SimTime, c: u32) {
    if sim.told.late {
        return;
    }
    sim.told.late = true;
    let call = &sim.calls[c as usize];
    let (first, last) = call.ids.unwrap_or((0, 0));
    let ids = if first == last {
        format!("ID {first} is")
    } else {
        format!("IDs {first}–{last} are")
    };
    sim.trace.step(
        now,
        Some(call.worker),
        format!(
            "An answer reaches {} after it gave up: {ids} never used, a gap in the sequence.",
            wk(call.worker)
        ),
    );
}

pub fn split(sim: &mut Sim, now: SimTime, i: usize) {
    let name = sim.indexes[i].name;
    let how = if name == "uuid4" {
        "new keys land anywhere, so pages all over the index fill up and split in half"
    } else {
        "new keys land on the rightmost page, which splits leaving a 90 % full page behind"
    };
    let inserts = sim.indexes[i].totals().inserts;
    sim.trace.step(
        now,
        Some(sim.db),
        format!("The {name} index splits its first page after {inserts} inserts: {how}."),
    );
}
