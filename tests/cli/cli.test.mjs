// End-to-end checks of the `hopscope` binary: output formats, determinism, and errors.
// HOPSCOPE_BIN names the binary (scripts/test.sh builds target/release/hopscope and sets it).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = process.env.HOPSCOPE_BIN ?? join(ROOT, 'target', 'release', 'hopscope');
if (!existsSync(BIN)) {
  throw new Error(`${BIN} does not exist: run cargo build --release -p hopscope-sim --bin hopscope (or set HOPSCOPE_BIN)`);
}

function hopscope(...args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, args: args.join(' ') };
}

function ok(...args) {
  const r = hopscope(...args);
  assert.equal(r.code, 0, `hopscope ${r.args} exited ${r.code}; stderr: ${r.stderr}`);
  return r.stdout;
}

function json(...args) {
  const out = ok(...args);
  try {
    return JSON.parse(out);
  } catch (err) {
    assert.fail(`hopscope ${args.join(' ')} printed invalid JSON (${err.message}): ${out.slice(0, 200)}`);
  }
}

/** Exit code 2 and exactly one stderr line that mentions every one of `needles`. */
function rejects(args, needles) {
  const r = hopscope(...args);
  assert.equal(r.code, 2, `hopscope ${r.args} should exit 2, exited ${r.code}; stdout: ${r.stdout.slice(0, 200)}`);
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `hopscope ${r.args} should print one stderr line, printed: ${JSON.stringify(r.stderr)}`);
  for (const needle of needles) {
    assert.ok(lines[0].includes(needle), `hopscope ${r.args}: stderr ${JSON.stringify(lines[0])} should name ${JSON.stringify(needle)}`);
  }
  assert.equal(r.stdout, '', `hopscope ${r.args} should print nothing on stdout`);
  return lines[0];
}

describe('hopscope CLI', () => {
  test('list names lb', () => {
    const out = ok('list');
    assert.match(out, /^lb\s+\S/m, `\`hopscope list\` has a line for lb: ${out}`);
  });

  test('list --json is valid JSON listing lb', () => {
    const list = json('list', '--json');
    const entries = Array.isArray(list) ? list : (list.scenarios ?? list.blocks ?? Object.values(list));
    assert.ok(
      entries.some((e) => e === 'lb' || e?.id === 'lb'),
      `list --json has an entry with id lb: ${JSON.stringify(list).slice(0, 300)}`,
    );
  });

  test('run lb --json has the documented top-level keys', () => {
    const run = json('run', 'lb', '--json');
    for (const key of ['scenario', 'seed', 'params', 'nodes', 'events', 'steps', 'series', 'result']) {
      assert.ok(key in run, `run lb --json has key ${key} (keys: ${Object.keys(run).join(', ')})`);
    }
    assert.equal(run.scenario, 'lb');
    assert.ok(Array.isArray(run.events) && run.events.length > 0, 'the run has events');
  });

  test('the same command twice is byte-identical; another seed differs', () => {
    const a = ok('run', 'lb', '--json');
    const b = ok('run', 'lb', '--json');
    assert.ok(a === b, 'two runs of `hopscope run lb --json` differ');
    const c = ok('run', 'lb', '--json', '--seed', '2');
    assert.notEqual(c, a, '--seed 2 gives the same output as the default seed');
  });

  test('--csv prints the series with the documented header', () => {
    const out = ok('run', 'lb', '--csv');
    const [header, first] = out.split('\n');
    assert.equal(header, 'chart,series,unit,t_us,value');
    assert.ok(first && first.split(',').length >= 5, `the CSV has data rows: ${JSON.stringify(first)}`);
  });

  test('--summary is valid JSON without the bulky parts', () => {
    const summary = json('run', 'lb', '--summary');
    assert.ok('result' in summary, 'summary has result');
    for (const key of ['nodes', 'events', 'steps', 'series']) {
      assert.ok(!(key in summary), `summary has no ${key}`);
    }
  });

  test('an out-of-range value exits 2 naming the key and the value', () => {
    rejects(['run', 'lb', '--set', 'backends=0'], ['backends', '0']);
  });

  test('an unknown key exits 2 naming it', () => {
    rejects(['run', 'lb', '--set', 'nope=1'], ['nope']);
  });

  test('an unknown scenario exits 2 naming it', () => {
    rejects(['run', 'nope'], ['nope']);
  });
});
