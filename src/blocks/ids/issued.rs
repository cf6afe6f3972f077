//! Which IDs a run had issued by the cursor, read back from the run itself: every issued ID
//! travels to the database as a hop labelled with its canonical text, so the latest such hop at
//! or before the cursor is "the ID at the cursor". The text is decoded with the layout the run
//! used (its generator, Snowflake epoch, Sonyflake start time), exactly as the engine's own
//! `result.decoded` does.

use crate::engine::checks::{ask, Answer, Question};
use hopscope_sim::ids::decode::parse_decimal;
use hopscope_sim::ids::{decode_with, sequencer, snowflake, sonyflake};
use hopscope_sim::ids::{DecodeOptions, Decoded, Reading};
use hopscope_sim::{Event, NodeId, Run, SimTime};

/// One ID on its way to the database.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Issued<'a> {
    /// Its hop's index in `Run::events`: a stable key for this ID in this run.
    pub event: usize,
    /// When the worker sent it (just after issuing it).
    pub at: SimTime,
    /// The worker (or the node that handed it out).
    pub from: NodeId,
    /// The canonical text.
    pub text: &'a str,
}

/// The database node, where every issued ID arrives.
fn database(run: &Run) -> Option<NodeId> {
    run.nodes
        .iter()
        .find(|n| n.role == "database")
        .map(|n| n.id)
}

fn as_issued(db: NodeId, (event, e): (usize, &Event)) -> Option<Issued<'_>> {
    match e {
        Event::Hop {
            at,
            from,
            to,
            label,
            ..
        } if *to == db => Some(Issued {
            event,
            at: *at,
            from: *from,
            text: label,
        }),
        _ => None,
    }
}

/// The IDs sent to the database at or before `t`, newest first.
pub fn issued_by(run: &Run, t: SimTime) -> impl Iterator<Item = Issued<'_>> {
    let db = database(run);
    let end = run.events.partition_point(|e| e.at() <= t);
    run.events[..end]
        .iter()
        .enumerate()
        .rev()
        .filter_map(move |pair| as_issued(db?, pair))
}

/// The run's first issued ID, whenever it was issued.
pub fn first_issued(run: &Run) -> Option<Issued<'_>> {
    let db = database(run)?;
    run.events
        .iter()
        .enumerate()
        .find_map(|pair| as_issued(db, pair))
}

/// `text` read with the layout the run's generator used; `None` if it is no ID of that layout.
/// The engine's decoder reads it (`engine::checks`).
pub fn describe(run: &Run, text: &str) -> Option<Decoded> {
    let generator = run.result.get("generator")?.as_str()?;
    let ms = |key: &str, default: u64| {
        run.params
            .get(key)
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(default)
    };
    match ask(Question::Issued {
        text: text.to_string(),
        generator: generator.to_string(),
        epoch_ms: ms("epoch_ms", snowflake::TWITTER_EPOCH_MS),
        start_ms: ms("sonyflake_start_ms", sonyflake::DEFAULT_START_MS),
    }) {
        Answer::Issued(decoded) => decoded,
        _ => None,
    }
}

/// [`describe`] on the engine's side: `text` read as `generator` issues them.
pub fn read_back(text: &str, generator: &str, epoch_ms: u64, start_ms: u64) -> Option<Decoded> {
    let reading = match generator {
        "snowflake" | "naive" => Reading::Snowflake,
        "sonyflake" => Reading::Sonyflake,
        "uuid4" | "uuid7" => Reading::Uuid,
        "ulid" => Reading::Ulid,
        "ticket" => Reading::Ticket,
        "central" => return parse_decimal(text).ok().map(sequencer::describe),
        _ => return None,
    };
    let opts = DecodeOptions {
        reading,
        snowflake_epoch_ms: epoch_ms,
        sonyflake_start_ms: start_ms,
    };
    decode_with(text, &opts).ok()
}

/// Whether `text` is among the IDs the run's database saw more than once.
pub fn is_duplicate(run: &Run, text: &str) -> bool {
    run.result
        .get("duplicate_ids")
        .and_then(serde_json::Value::as_array)
        .is_some_and(|ids| ids.iter().any(|v| v.as_str() == Some(text)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hopscope_sim::ids::Format;
    use hopscope_sim::{registry, run_scenario};

    fn run(sets: &[(&str, &str)]) -> Run {
        let block = registry::blocks()
            .iter()
            .find(|b| b.id() == "ids")
            .expect("the ids block is registered");
        run_scenario(*block, sets, 1).expect("valid scenario")
    }

    #[test]
    fn the_id_at_the_cursor_is_the_latest_sent_to_the_database() {
        let run = run(&[("count", "30")]);
        let ids: Vec<&str> = run.result["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let first = first_issued(&run).unwrap();
        assert_eq!(first.text, ids[0]);
        assert_eq!(issued_by(&run, first.at).next(), Some(first));
        // At the end every ID has been sent, newest first.
        let all: Vec<&str> = issued_by(&run, run.duration).map(|i| i.text).collect();
        assert_eq!(all.len(), ids.len());
        assert_eq!(all.last(), Some(&ids[0]));
        // Between two sends, the earlier one is the latest.
        let second = issued_by(&run, run.duration).nth(all.len() - 2).unwrap();
        let between = SimTime(second.at.0 - 1);
        assert_eq!(
            issued_by(&run, between).next().map(|i| i.text),
            Some(ids[0])
        );
    }

    #[test]
    fn ids_decode_with_the_runs_own_layout() {
        for (generator, format) in [
            ("snowflake", Format::Snowflake),
            ("naive", Format::Snowflake),
            ("sonyflake", Format::Sonyflake),
            ("uuid4", Format::UuidV4),
            ("uuid7", Format::UuidV7),
            ("ulid", Format::Ulid),
            ("ticket", Format::Ticket),
            ("central", Format::Counter),
        ] {
            let run = run(&[("generator", generator), ("count", "5")]);
            let first = first_issued(&run).unwrap_or_else(|| panic!("{generator}: no ID"));
            let d = describe(&run, first.text).unwrap_or_else(|| panic!("{generator}"));
            assert_eq!(d.format, format, "{generator}");
            assert_eq!(d.canonical, first.text, "{generator}");
            // The same fields as the engine's own result.decoded.
            let engine = &run.result["decoded"][0];
            assert_eq!(engine["canonical"], d.canonical, "{generator}");
            assert_eq!(engine["fields"].as_array().unwrap().len(), d.fields.len());
        }
    }

    #[test]
    fn a_custom_epoch_is_read_back() {
        let run = run(&[("count", "3"), ("epoch_ms", "1600000000000")]);
        let first = first_issued(&run).unwrap();
        let d = describe(&run, first.text).unwrap();
        assert_eq!(d.utc.as_deref(), Some("2024-01-01T00:00:00.000Z"));
        assert!(
            d.title.contains("custom epoch 1600000000000"),
            "{}",
            d.title
        );
    }

    #[test]
    fn duplicates_are_flagged() {
        let run = run(&[("same_worker_id", "on"), ("count", "400"), ("rate", "5000")]);
        let dups = run.result["duplicate_ids"].as_array().unwrap();
        assert!(!dups.is_empty(), "the misconfigured worker repeats IDs");
        assert!(is_duplicate(&run, dups[0].as_str().unwrap()));
        assert!(!is_duplicate(&run, "1"));
    }
}
