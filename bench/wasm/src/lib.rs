//! The engine's benchmark cases (`hopscope_sim::bench_cases`) exported to JavaScript, so the
//! browser harness (`bench/browser/`) can time each one inside WebAssembly with
//! `performance.now()` and compare it with the native runner on identical work.

use hopscope_sim::bench_cases;
use wasm_bindgen::prelude::*;

/// The case names, in the shared list's order, as a JSON array.
#[wasm_bindgen]
pub fn case_names() -> String {
    let names: Vec<String> = bench_cases::all().into_iter().map(|c| c.name).collect();
    format!(
        "[{}]",
        names
            .iter()
            .map(|n| format!("\"{}\"", n.replace('\\', "\\\\").replace('"', "\\\"")))
            .collect::<Vec<_>>()
            .join(",")
    )
}

/// A case with its set-up done; `run` is the part the harness times.
#[wasm_bindgen]
pub struct PreparedCase(bench_cases::Prepared);

#[wasm_bindgen]
impl PreparedCase {
    /// Prepares the case named `name`; an unknown name is an error listing the known ones.
    #[wasm_bindgen(constructor)]
    pub fn new(name: &str) -> Result<PreparedCase, JsError> {
        let case = bench_cases::find(name).map_err(|e| JsError::new(&e))?;
        Ok(PreparedCase(case.prepare().map_err(|e| JsError::new(&e))?))
    }

    /// Runs the case once and returns a number derived from its work (so it cannot be skipped).
    pub fn run(&mut self) -> Result<f64, JsError> {
        self.0.run().map(|n| n as f64).map_err(|e| JsError::new(&e))
    }
}
