// Page script of wasm.html: times the engine's benchmark cases inside WebAssembly with
// performance.now() — set-up untimed, warm-up, then `reps` timed runs, as the native runner
// (sim/examples/bench_cases.rs) does. The warm-up runs at least once and keeps going (up to 20
// runs) until 300 ms have passed: V8 first runs wasm in its baseline compiler (Liftoff) and swaps
// in the optimised code (TurboFan) compiled in the background; the figures are the optimised
// code's, like a long session's.

import init, { case_names, PreparedCase } from '../wasm/pkg/hopscope_bench_wasm.js';

await init();

window.bench = {
  names: () => JSON.parse(case_names()),
  /** Times `name`: { runs_ms: [...], warmup: bool }. */
  time(name, reps, warmup = true) {
    const prepared = new PreparedCase(name);
    try {
      if (warmup) {
        const start = performance.now();
        for (let i = 0; i < 20 && (i === 0 || performance.now() - start < 300); i += 1) prepared.run();
      }
      const runs = [];
      for (let i = 0; i < reps; i += 1) {
        const t0 = performance.now();
        prepared.run();
        runs.push(performance.now() - t0);
      }
      return runs;
    } finally {
      prepared.free();
    }
  },
};
document.getElementById('status').textContent = 'ready';
document.body.dataset.ready = '1';
