//! M/M/c through Hopscope's engine: the Hopscope side of the SimPy comparison (issue 8,
//! `bench/peer/run.sh`). Runs the load-balancer block as a plain queueing system — no link
//! latency, no health checks, no timeouts — either with one shared queue at the balancer
//! (`queue_at=lb`, M/M/c) or with random assignment to single-server queues (c × M/M/1).
//! Runs `--reps` independent replications (seeds seed, seed+1, …) and prints one JSON line: kernel
//! events, wall seconds, the mean response time over replications and its 95 % confidence
//! half-width (Student t), and the queueing-theory value.
//!
//! `--detail summary` (the default) asks the engine only for the run's summary, as the CLI's
//! `--summary` does (`run_scenario_summary`): the block computes everything it does in a full run
//! (per-request assignment, latency percentiles, per-backend counts, the theory check) but keeps
//! no event log, narration or chart series — SimPy's side keeps only the latency list.
//! `--detail full` runs the whole record (`run_scenario`), as the browser does.
//!
//! Wall-clock time is measured here, in the harness, never inside the engine; with `--repeat N`
//! the fastest of N identical measurements counts (`bench/peer/run.sh` asks both sides for 3).

use hopscope_sim::block::run_scenario_summary;
use hopscope_sim::{registry, run_scenario, Block, ParamError, Run};

/// Student t quantiles t(0.975, df) for df = 1..30.
const T975: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045, 2.042,
];

fn arg(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| default.to_string())
}

#[allow(clippy::disallowed_methods)] // the harness times the engine from outside
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = arg(&args, "--mode", "shared");
    let seed: u64 = arg(&args, "--seed", "1")
        .parse()
        .expect("--seed is an integer");
    let reps: u64 = arg(&args, "--reps", "10")
        .parse()
        .expect("--reps is an integer");
    assert!((2..=31).contains(&reps), "--reps must be 2 to 31");
    // The whole measurement `--repeat` times (the same seeds, so the same results); the fastest
    // wall time counts, as for the SimPy side (a shared machine only ever slows a run down).
    let repeat: u32 = arg(&args, "--repeat", "1")
        .parse()
        .expect("--repeat is an integer");
    assert!(repeat >= 1, "--repeat must be at least 1");
    let mut sets = vec![
        ("backends", arg(&args, "--servers", "4")),
        ("weights", "1".to_string()),
        ("capacity", "1".to_string()),
        ("rate", arg(&args, "--rate", "80")),
        ("service_ms", arg(&args, "--service-ms", "40")),
        ("requests", arg(&args, "--customers", "50000")),
        ("link_ms", "0".to_string()),
        ("health", "off".to_string()),
        ("timeout_ms", "3600000".to_string()),
        ("retries", "0".to_string()),
        ("queue", "1000000".to_string()),
    ];
    sets.push(if mode == "shared" {
        ("queue_at", "lb".to_string())
    } else {
        ("algorithm", "random".to_string())
    });
    let detail = arg(&args, "--detail", "summary");
    type Runner = fn(&dyn Block, &[(&'static str, String)], u64) -> Result<Run, ParamError>;
    let simulate: Runner = match detail.as_str() {
        "summary" => run_scenario_summary,
        "full" => run_scenario,
        other => panic!("--detail {other:?}: expected summary or full"),
    };
    let block = registry::find("lb").expect("lb is registered");
    let (mut events, mut customers, mut means, mut theory) = (0u64, 0u64, Vec::new(), None);
    let mut seconds = f64::INFINITY;
    for _ in 0..repeat {
        (events, customers) = (0, 0);
        means.clear();
        let start = std::time::Instant::now();
        for r in 0..reps {
            let run = simulate(block, &sets, seed + r).unwrap_or_else(|e| panic!("{e}"));
            events += run.result["kernel_events"].as_u64().unwrap_or(0);
            customers += run.result["served"].as_u64().unwrap_or(0);
            means.push(
                run.result["latency_us"]["mean"]
                    .as_f64()
                    .unwrap_or(f64::NAN)
                    / 1e3,
            );
            theory = run.result["theory"]["mean_us"].as_f64().map(|t| t / 1e3);
        }
        seconds = seconds.min(start.elapsed().as_secs_f64());
    }
    let n = means.len() as f64;
    let mean = means.iter().sum::<f64>() / n;
    let var = means.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
    println!(
        "{}",
        serde_json::json!({
            "engine": if detail == "full" { "hopscope (full record)" } else { "hopscope" },
            "mode": mode,
            "detail": detail,
            "events": events,
            "seconds": seconds,
            "repeat": repeat,
            "events_per_s": events as f64 / seconds,
            "customers": customers,
            "customers_per_s": customers as f64 / seconds,
            "mean_ms": mean,
            "ci95_ms": T975[(reps - 2) as usize] * (var / n).sqrt(),
            "theory_ms": theory,
        })
    );
}
