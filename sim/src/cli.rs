//! The CLI's argument handling and output, as a pure function from arguments to text so that it
//! is tested without spawning processes (and once more, end to end, through the real binary).
//!
//! ```text
//! hopscope list [--json]
//! hopscope run <scenario> [--seed N] [--set key=value]... [--json | --csv | --summary]
//! ```

use crate::block::run_scenario;
use crate::params::ParamKind;
use crate::registry;

pub const USAGE: &str = "usage: hopscope list [--json] | hopscope run <scenario> [--seed N] [--set key=value]... [--json|--csv|--summary]";

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
    let mut seed: u64 = 1;
    let mut sets: Vec<(String, String)> = Vec::new();
    let mut format: Option<Format> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seed" => {
                let v = it
                    .next()
                    .ok_or("--seed needs a value: a non-negative integer below 2^64")?;
                seed = v.parse().map_err(|_| {
                    format!("seed={v:?}: expected a non-negative integer below 2^64")
                })?;
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
    let id = scenario.ok_or_else(|| format!("run: which scenario? {USAGE}"))?;
    let block = registry::find(id).ok_or_else(|| registry::unknown(id))?;
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
    let run = run_scenario(block, &sets, seed).map_err(|mut e| {
        if let Some((_, path)) = read.iter().find(|(text, _)| *text == e.value) {
            e.value = path.clone();
        }
        e.to_string()
    })?;
    Ok(match format.unwrap_or(Format::Summary) {
        Format::Json => format!("{}\n", run.to_json()),
        Format::Csv => run.series_csv(),
        Format::Summary => format!(
            "{}\n",
            serde_json::to_string_pretty(&run.summary_json()).expect("plain JSON")
        ),
    })
}
