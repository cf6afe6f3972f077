//! `hopscope`: the headless CLI. Same runs as the browser, as JSON, CSV or a summary.
//!
//! Exit codes: 0 success, 2 bad usage or bad input (one line on stderr naming what is wrong).

use hopscope_sim::cli;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::execute(&args) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`hopscope run lb --json | head`) is not an error worth a panic.
            let _ = stdout
                .write_all(out.as_bytes())
                .and_then(|_| stdout.flush());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("hopscope: {e}");
            ExitCode::from(2)
        }
    }
}
