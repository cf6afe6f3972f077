//! The native side of the wasm/native comparison (issue 8, `bench/browser/run.mjs`): times every
//! case of `hopscope_sim::bench_cases` the way the WebAssembly harness does (set-up untimed, one
//! warm-up run, then the median of `--reps` runs) and prints one JSON object, case name →
//! `{ "median_ms", "runs_ms" }`.
//!
//! `cargo run --release -p hopscope-sim --example bench_cases -- [--reps N] [--filter TEXT | --only NAME] [--list]`
//! (`--filter`: names containing TEXT; `--only`: exactly NAME; `--list`: the names, as JSON).
//!
//! Wall-clock time is measured here, in the harness, never inside the engine.

use hopscope_sim::bench_cases;
use std::process::ExitCode;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

#[allow(clippy::disallowed_methods)] // the harness times the engine from outside
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let reps: usize = match arg(&args, "--reps").map(|r| r.parse()) {
        None => 5,
        Some(Ok(n)) if (1..=100).contains(&n) => n,
        Some(_) => {
            eprintln!("--reps: expected an integer from 1 to 100");
            return ExitCode::from(2);
        }
    };
    let filter = arg(&args, "--filter").unwrap_or_default();
    let only = arg(&args, "--only");
    if args.iter().any(|a| a == "--list") {
        let names: Vec<String> = bench_cases::all().into_iter().map(|c| c.name).collect();
        println!("{}", serde_json::json!(names));
        return ExitCode::SUCCESS;
    }
    if let Some(name) = &only {
        if let Err(e) = bench_cases::find(name) {
            eprintln!("--only: {e}");
            return ExitCode::from(2);
        }
    }
    let mut out = serde_json::Map::new();
    for case in bench_cases::all() {
        let wanted = match &only {
            Some(name) => &case.name == name,
            None => case.name.contains(&filter),
        };
        if !wanted {
            continue;
        }
        let mut prepared = match case.prepare() {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        };
        let mut runs = Vec::with_capacity(reps);
        // One untimed warm-up (caches, allocator), as the wasm side does.
        for i in 0..=reps {
            let start = std::time::Instant::now();
            let check = prepared.run();
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            if let Err(e) = check {
                eprintln!("case {:?}: {e}", case.name);
                return ExitCode::from(2);
            }
            std::hint::black_box(check.ok());
            if i > 0 {
                runs.push(ms);
            }
        }
        eprintln!("{:<50} {:>10.2} ms", case.name, median(&runs));
        out.insert(
            case.name.clone(),
            serde_json::json!({ "median_ms": median(&runs), "runs_ms": runs }),
        );
    }
    println!("{}", serde_json::Value::Object(out));
    ExitCode::SUCCESS
}
