// Wasm vs native (issue 8, item 2): runs every engine benchmark case of hopscope_sim::bench_cases
// natively (sim/examples/bench_cases.rs, release build) and inside WebAssembly in headless
// Chromium (bench/wasm, served with wasm.html on 127.0.0.1), case by case, interleaved so both
// sides see the same machine load, and prints case | native ms | wasm ms | wasm/native.
//
//   node bench/browser/run.mjs [--reps N] [--filter TEXT] [--quick] [--json OUT]
//
// Needs the native runner built (cargo build --release -p hopscope-sim --example bench_cases;
// NATIVE_BIN or $CARGO_TARGET_DIR/release/examples/bench_cases) and bench/wasm/pkg
// (bench/wasm/build.sh). --quick: the first case of each group, once (proves it works; no
// timing is asserted anywhere).

import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, args, launch, machine, median, printTable, serve } from './lib.mjs';

const opts = args();
const quick = Boolean(opts.quick);
const reps = quick ? 1 : Number(opts.reps ?? 3);
if (!Number.isInteger(reps) || reps < 1 || reps > 100) {
  console.error(`--reps: expected an integer from 1 to 100, got ${JSON.stringify(opts.reps)}`);
  process.exit(2);
}
const targetDir = process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target');
const nativeBin = process.env.NATIVE_BIN ?? join(targetDir, 'release/examples/bench_cases');
for (const [what, path, how] of [
  ['the native runner', nativeBin, 'cargo build --release -p hopscope-sim --example bench_cases'],
  ['the wasm cases', join(ROOT, 'bench/wasm/pkg/hopscope_bench_wasm_bg.wasm'), 'bench/wasm/build.sh'],
]) {
  if (!existsSync(path)) {
    console.error(`${what} is missing (${path}): run ${how}`);
    process.exit(2);
  }
}

function native(name) {
  const out = execFileSync(nativeBin, ['--only', name, '--reps', String(reps)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out)[name].runs_ms;
}

const server = await serve(join(ROOT, 'bench'));
const browser = await launch();
const results = [];
try {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
  await page.goto(`${server.url}/browser/wasm.html`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30_000 }).catch((e) => {
    throw new Error(`wasm.html did not get ready: ${problems.join('; ') || e.message}`);
  });
  const names = await page.evaluate(() => window.bench.names());
  const nativeNames = JSON.parse(execFileSync(nativeBin, ['--list'], { encoding: 'utf8' }));
  if (JSON.stringify(names) !== JSON.stringify(nativeNames)) {
    throw new Error(
      `the wasm build and the native runner list different cases (rebuild both):\n wasm ${names}\n native ${nativeNames}`,
    );
  }
  const seen = new Set();
  const chosen = names.filter((n) => {
    if (opts.filter && !n.includes(opts.filter)) return false;
    if (!quick) return true;
    const group = n.split('/')[0];
    if (seen.has(group)) return false;
    seen.add(group);
    return true;
  });
  if (chosen.length === 0) throw new Error(`no case matches --filter ${JSON.stringify(opts.filter)}`);
  for (const name of chosen) {
    const nat = native(name);
    const wasm = await page.evaluate(({ name, reps }) => window.bench.time(name, reps), { name, reps });
    if (problems.length) throw new Error(`the page reported: ${problems.join('; ')}`);
    const row = { case: name, native_ms: median(nat), wasm_ms: median(wasm), native_runs_ms: nat, wasm_runs_ms: wasm };
    row.ratio = row.wasm_ms / row.native_ms;
    results.push(row);
    console.error(`${name}: native ${row.native_ms.toFixed(2)} ms, wasm ${row.wasm_ms.toFixed(2)} ms`);
  }
} finally {
  await browser.close();
  await server.close();
}

console.log(`\nwasm vs native, median of ${reps} run(s) after a warm-up; ${await machine()}`);
console.log(`chromium ${execFileSync(process.env.CHROMIUM ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()}\n`);
printTable(
  ['case', 'native ms', 'wasm ms', 'wasm/native'],
  results.map((r) => [r.case, r.native_ms.toFixed(2), r.wasm_ms.toFixed(2), `${r.ratio.toFixed(2)}×`]),
);
const ratios = results.map((r) => r.ratio);
console.log(`\nmedian ratio ${median(ratios).toFixed(2)}× (wasm time / native time; budget: wasm ≥ 0.5× native speed, i.e. ratio ≤ 2)`);
if (opts.json) writeFileSync(opts.json, JSON.stringify({ reps, results }, null, 2));
