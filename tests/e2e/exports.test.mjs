// Exports: each chart's PNG, SVG and CSV downloads, and the run's JSON and CSV, which must be
// byte for byte what the CLI prints for the same scenario, parameters and seed
// (`hopscope run lb --seed 7 --set algorithm=least_connections --set rate=80 --json`). The CLI is the release binary
// scripts/test.sh builds before these tests (or HOPSCOPE_BIN).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openPlayground, useBrowser, withPage } from './support/browser.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = process.env.HOPSCOPE_BIN ?? join(ROOT, 'target', 'release', 'hopscope');

function cli(...args) {
  assert.ok(
    existsSync(CLI),
    `the CLI is needed at ${CLI}: run cargo build --release -p hopscope-sim --bin hopscope (or set HOPSCOPE_BIN)`,
  );
  return execFileSync(CLI, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

/** Clicks `selector` and returns the download's file name and bytes. */
async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
}

const ROUTE = '#/lb?seed=7&algorithm=least_connections&rate=80';
const ARGS = ['run', 'lb', '--seed', '7', '--set', 'algorithm=least_connections', '--set', 'rate=80'];

describe('exports', () => {
  const browser = useBrowser();

  test('the run as JSON is byte-identical to hopscope run --json', async (t) => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, ROUTE);
      const { name, bytes } = await download(page, '[data-testid=download-json]');
      assert.equal(name, 'hopscope-lb-seed-7.json');
      const want = cli(...ARGS, '--json');
      const got = bytes.toString('utf8');
      assert.equal(got.length, want.length, 'same length as the CLI output');
      assert.ok(got === want, 'same bytes as the CLI output');
      const doc = JSON.parse(got);
      assert.equal(doc.seed, 7);
      assert.equal(doc.params.algorithm, 'least_connections');
      assert.equal(doc.params.rate, 80);
      t.diagnostic(`${bytes.length} bytes, identical to the CLI's`);
    });
  });

  test('the series as CSV are byte-identical to hopscope run --csv', async () => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, ROUTE);
      const { name, bytes } = await download(page, '[data-testid=download-csv]');
      assert.equal(name, 'hopscope-lb-seed-7-series.csv');
      const want = cli(...ARGS, '--csv');
      assert.ok(bytes.toString('utf8') === want, 'same bytes as the CLI output');
      assert.match(want, /^chart,series,unit,t_us,value\n/);
    });
  });

  test("a chart's PNG, SVG and CSV", async (t) => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, ROUTE);
      const chart = page.locator('figure.chart').first();
      await chart.scrollIntoViewIfNeeded();
      const title = (await chart.locator('.chart-title').textContent()).trim();
      const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
      const stem = `hopscope-lb-seed-7-${slug}`;

      const png = await download(page, 'figure.chart >> nth=0 >> [data-testid=chart-png]');
      assert.equal(png.name, `${stem}.png`);
      assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
      const width = png.bytes.readUInt32BE(16);
      const canvasWidth = await chart.locator('canvas').evaluate((c) => c.width);
      assert.equal(width, canvasWidth, 'the canvas as drawn');

      const svg = await download(page, 'figure.chart >> nth=0 >> [data-testid=chart-svg]');
      assert.equal(svg.name, `${stem}.svg`);
      const text = svg.bytes.toString('utf8');
      assert.match(text, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(text, /<\/svg>\s*$/);
      const run = JSON.parse(cli(...ARGS, '--json'));
      const names = run.series.filter((s) => s.chart === title).map((s) => s.name);
      assert.ok(names.length > 0, `the run has series for "${title}"`);
      for (const n of names) assert.ok(text.includes(`>${n}<`) || text.includes(`${n}\n`), `the SVG's legend names ${n}`);
      assert.ok((text.match(/<polyline/g) ?? []).length >= names.length, 'a line per series');

      const csv = await download(page, 'figure.chart >> nth=0 >> [data-testid=chart-csv]');
      assert.equal(csv.name, `${stem}.csv`);
      const rows = csv.bytes.toString('utf8').trimEnd().split('\n');
      assert.equal(rows[0], ['t_us', ...names].join(','), 'a time column and one column per series');
      const times = rows.slice(1).map((r) => Number(r.split(',')[0]));
      assert.ok(times.length > 1 && times.every((v, i) => i === 0 || v > times[i - 1]), 'times rise');
      // Each cell is the series' value at that time, as the CLI prints it.
      const first = run.series.find((s) => s.chart === title && s.name === names[0]);
      const [t0, v0] = first.points[first.points.length - 1];
      const row = rows.find((r) => r.startsWith(`${t0},`));
      assert.equal(Number(row.split(',')[1]), v0);
      t.diagnostic(`${stem}: PNG ${png.bytes.length} B (${width} px wide), SVG ${text.length} B, CSV ${rows.length} rows`);
    });
  });
});
