//! The CLI's argument handling and output, as a pure function from arguments to text so that it
//! is tested without spawning processes (and once more, end to end, through the real binary).
//!
//! ```text
//! hopscope list [--json]
//! hopscope run <scenario> [--seed N] [--set key=value]... [--json | --csv | --summary]
//! hopscope run --from FILE [--seed N] [--set key=value]... [--json | --csv | --summary]
//! hopscope decode <id> [--as auto|snowflake|sonyflake|uuid|ulid|ticket] [--epoch MS] [--sonyflake-start MS] [--json]
//! ```

use crate::block::{run_scenario, run_scenario_summary};
use crate::ids::{decode_with, DecodeOptions, Decoded, Reading};
use crate::params::ParamKind;
use crate::registry;

pub const USAGE: &str = "usage: hopscope list [--json] | hopscope run <scenario>|--from FILE [--seed N] [--set key=value]... [--json|--csv|--summary] | hopscope decode <id> [--as auto|snowflake|sonyflake|uuid|ulid|ticket] [--epoch MS] [--sonyflake-start MS] [--json]";

/// Output format of `run`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
    Summary,
}

/// Runs the CLI; `Ok` is what to print on stdout, `Err` the one line for stderr (exit code 2).
pub fn execute(args: &[String]) -> Result<String, String> {
    match args.first().map(String::as_str) {
        Some("list") => list(&args[1..]),
        Some("run") => run(&args[1..]),
        Some("decode") => decode(&args[1..]),
        Some("--help" | "-h" | "help") => Ok(format!("{USAGE}\n")),
        Some(other) => Err(format!("unknown command {other:?}; {USAGE}")),
        None => Err(USAGE.to_string()),
    }
}

fn list(args: &[String]) -> Result<String, String> {
    match args {
        [] => {
            let width = registry::blocks()
                .iter()
                .map(|b| b.id().len())
                .max()
                .unwrap_or(0);
            Ok(registry::blocks()
                .iter()
                .map(|b| format!("{:width$}  {}\n", b.id(), b.summary()))
                .collect())
        }
        [flag] if flag == "--json" => {
            let items: Vec<_> = registry::blocks()
                .iter()
                .map(|b| {
                    let params: Vec<_> = b
                        .params()
                        .iter()
                        .map(|p| serde_json::json!({ "key": p.key, "label": p.label, "unit": p.unit, "default": p.default, "allowed": p.kind.allowed(), "help": p.help }))
                        .collect();
                    let presets: Vec<_> = b.presets().iter().map(|p| serde_json::json!({ "id": p.id, "title": p.title, "story": p.story, "values": p.values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<std::collections::BTreeMap<_, _>>() })).collect();
                    serde_json::json!({ "id": b.id(), "title": b.title(), "summary": b.summary(), "params": params, "presets": presets })
                })
                .collect();
            Ok(format!(
                "{}\n",
                serde_json::to_string_pretty(&items).expect("plain JSON")
            ))
        }
        [other, ..] => Err(format!("list: unexpected argument {other:?}; {USAGE}")),
    }
}

fn run(args: &[String]) -> Result<String, String> {
    let mut scenario: Option<&str> = None;
    let mut seed: Option<u64> = None;
    let mut from: Option<&str> = None;
    let mut sets: Vec<(String, String)> = Vec::new();
    let mut format: Option<Format> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seed" => {
                let v = it
                    .next()
                    .ok_or("--seed needs a value: a non-negative integer below 2^64")?;
                seed = Some(v.parse().map_err(|_| {
                    format!("seed={v:?}: expected a non-negative integer below 2^64")
                })?);
            }
            "--from" => {
                let v = it
                    .next()
                    .ok_or("--from needs a file: a scenario or run document (- for stdin)")?;
                from = Some(v);
            }
            "--set" => {
                let v = it.next().ok_or("--set needs key=value")?;
                let (k, val) = v
                    .split_once('=')
                    .ok_or_else(|| format!("--set {v:?}: expected key=value"))?;
                sets.push((k.trim().to_string(), val.to_string()));
            }
            "--json" | "--csv" | "--summary" => {
                let f = match arg.as_str() {
                    "--json" => Format::Json,
                    "--csv" => Format::Csv,
                    _ => Format::Summary,
                };
                if format.is_some_and(|prev| prev != f) {
                    return Err("choose one of --json, --csv, --summary".into());
                }
                format = Some(f);
            }
            s if s.starts_with('-') => return Err(format!("run: unknown option {s:?}; {USAGE}")),
            s => {
                if scenario.is_some() {
                    return Err(format!("run: unexpected argument {s:?}; {USAGE}"));
                }
                scenario = Some(s);
            }
        }
    }
    let doc = match (from, scenario) {
        (Some(_), Some(s)) => {
            return Err(format!("run: --from names the scenario; unexpected {s:?}"))
        }
        (Some(file), None) => Some(crate::scenario_doc::read(file)?),
        (None, _) => None,
    };
    let block = match (&doc, scenario) {
        (Some(doc), _) => doc.block,
        (None, id) => {
            let id = id.ok_or_else(|| format!("run: which scenario? {USAGE}"))?;
            registry::find(id).ok_or_else(|| registry::unknown(id))?
        }
    };
    // A documents parameter (zone files, traces) takes a file path here (`--set zone=my.zone`):
    // the CLI reads it, so the engine never touches files; errors name the path, not the text.
    let mut read: Vec<(String, String)> = Vec::new();
    for (key, value) in sets.iter_mut() {
        let is_doc = block
            .params()
            .iter()
            .any(|s| s.key == key && matches!(s.kind, ParamKind::Documents { .. }));
        if is_doc && !value.is_empty() {
            let text = std::fs::read_to_string(value.as_str())
                .map_err(|e| format!("{key}={value:?}: cannot read the file: {e}"))?;
            read.push((text.clone(), value.clone()));
            *value = text;
        }
    }
    // The command line overrides the document: its keys replace the document's (documents too).
    if let Some(doc) = &doc {
        let mut merged: Vec<(String, String)> = (doc.overrides.iter())
            .filter(|(k, _)| !sets.iter().any(|(s, _)| s == k))
            .cloned()
            .collect();
        merged.append(&mut sets);
        sets = merged;
    }
    let seed = seed.or(doc.as_ref().and_then(|d| d.seed)).unwrap_or(1);
    // `--summary` prints only the summary, so the block need not keep events, steps or series.
    let format = format.unwrap_or(Format::Summary);
    let run = if format == Format::Summary {
        run_scenario_summary(block, &sets, seed)
    } else {
        run_scenario(block, &sets, seed)
    };
    let run = run.map_err(|mut e| {
        if let Some((_, path)) = read.iter().find(|(text, _)| *text == e.value) {
            e.value = path.clone();
        }
        e.to_string()
    })?;
    Ok(match format {
        Format::Json => format!("{}\n", run.to_json()),
        Format::Csv => run.series_csv(),
        Format::Summary => format!(
            "{}\n",
            serde_json::to_string_pretty(&run.summary_json()).expect("plain JSON")
        ),
    })
}

/// `decode`: the fields of any supported ID, as a table (or `--json`), or the one line that says
/// which character or bits are wrong.
fn decode(args: &[String]) -> Result<String, String> {
    let mut id: Option<&str> = None;
    let mut opts = DecodeOptions::default();
    let mut json = false;
    let mut it = args.iter();
    let ms = |key: &str, v: Option<&String>| -> Result<u64, String> {
        let v = v.ok_or_else(|| format!("{key} needs a value: Unix milliseconds"))?;
        v.parse()
            .map_err(|_| format!("{key}={v:?}: expected Unix milliseconds, a non-negative integer"))
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--as" => {
                let v = it.next().ok_or("--as needs a format")?;
                opts.reading = Reading::parse(v).ok_or_else(|| {
                    format!("--as {v:?}: expected one of {}", Reading::NAMES.join(", "))
                })?;
            }
            "--epoch" => opts.snowflake_epoch_ms = ms("--epoch", it.next())?,
            "--sonyflake-start" => opts.sonyflake_start_ms = ms("--sonyflake-start", it.next())?,
            "--json" => json = true,
            s if s.starts_with("--") => {
                return Err(format!("decode: unknown option {s:?}; {USAGE}"))
            }
            s => {
                if id.is_some() {
                    return Err(format!("decode: one ID at a time, got a second: {s:?}"));
                }
                id = Some(s);
            }
        }
    }
    let text = id.ok_or_else(|| format!("decode: which ID? {USAGE}"))?;
    let d = decode_with(text, &opts).map_err(|e| {
        let shown: String = text.chars().take(60).collect();
        let more = if text.chars().count() > 60 { "…" } else { "" };
        format!("decode {:?}: {e}", format!("{shown}{more}"))
    })?;
    if json {
        return Ok(format!(
            "{}\n",
            serde_json::to_string_pretty(&d).expect("plain JSON")
        ));
    }
    let mut out = decoded_table(&d);
    if opts.reading == Reading::Auto && d.canonical.bytes().all(|b| b.is_ascii_digit()) {
        out.push_str("(a decimal ID does not say its layout: --as sonyflake or --as ticket reads it otherwise, --epoch sets another Snowflake epoch)\n");
    }
    Ok(out)
}

/// A decoded ID for a terminal: title, time, the bits grouped by field, one row per field.
fn decoded_table(d: &Decoded) -> String {
    let bits = d.bits();
    let groups: Vec<&str> = d
        .fields
        .iter()
        .map(|f| &bits[f.offset as usize..(f.offset + f.width) as usize])
        .collect();
    let mut out = format!("{}\n{}\n", d.canonical, d.title);
    if let Some(utc) = &d.utc {
        out.push_str(&format!("time  {utc}\n"));
    }
    out.push_str(&format!("bits  {}\n\n", groups.join(" ")));
    let rows: Vec<(String, &str, String, &str)> = d
        .fields
        .iter()
        .map(|f| {
            let range = if f.width == 1 {
                f.offset.to_string()
            } else {
                format!("{}-{}", f.offset, f.offset + f.width - 1)
            };
            (range, &*f.label, f.raw.to_string(), f.meaning.as_str())
        })
        .collect();
    let w0 = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max(4);
    let w1 = rows
        .iter()
        .map(|r| r.1.chars().count())
        .max()
        .unwrap_or(0)
        .max(5);
    let w2 = rows.iter().map(|r| r.2.len()).max().unwrap_or(0).max(5);
    out.push_str(&format!(
        "{:w0$}  {:w1$}  {:w2$}  meaning\n",
        "bits", "field", "value"
    ));
    for (range, label, raw, meaning) in rows {
        out.push_str(&format!("{range:w0$}  {label:w1$}  {raw:w2$}  {meaning}\n"));
    }
    out
}
