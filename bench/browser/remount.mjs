// Re-mount harness for the JS-heap leak the soak test found (issue 9): opens one block, then N
// times goes home (`#/`) and back (`#/<block>`), waiting for the playground each time, forces a
// garbage collection (CDP HeapProfiler.collectGarbage, twice) and prints the JS heap still in use
// (CDP Runtime.getHeapUsage) after each re-mount and its delta from the previous one. A page that
// frees an unmounted playground shows deltas around zero once warm; a leak shows a steady step.
//
// With --snapshot it also takes a heap snapshot after the warm-up and another after the N
// re-mounts and reports (a) the objects whose count grew (by constructor name), (b) what
// wasm-bindgen's externref table (`__wbindgen_externrefs`, where every `JsValue` that Rust holds
// lives) holds more of, and (c) the retainer path from a GC root to a few detached DOM nodes.
//
//   node bench/browser/remount.mjs [--base URL | --dist DIR] [--block lb] [--mounts 20]
//        [--warmup 3] [--query 'seed=1'] [--away '#/'] [--snapshot] [--paths 3]
//        [--path-to NAME] [--keep-handles] [--play MS]
//
// --play: presses play on each mount and lets it play MS milliseconds before leaving.
//
// --base: an already served bundle; otherwise --dist (default dist/) is served on 127.0.0.1.
// Nothing is asserted: it measures and prints.

import { join } from 'node:path';
import { ROOT, args, launch, serve } from './lib.mjs';

const opts = args();
const block = opts.block ?? 'lb';
const mounts = Number(opts.mounts ?? 20);
const warmup = Number(opts.warmup ?? 3);
const away = opts.away ?? '#/';
const query = opts.query ? `?${opts.query}` : '';
const play = Number(opts.play ?? 0);
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;

const server = opts.base ? null : await serve(opts.dist ?? join(ROOT, 'dist'));
const base = (opts.base ?? server.url).replace(/\/+$/, '');
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (e) => console.error(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') console.error(`console.error: ${m.text()}`);
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await page.goto(`${base}/#/`);
  await page.waitForSelector('[data-testid=block-card]');

  const mount = async () => {
    await page.evaluate((h) => {
      location.hash = h;
    }, away);
    await page.waitForSelector('[data-testid=playground]', { state: 'detached' });
    await page.evaluate((h) => {
      location.hash = h;
    }, `#/${block}${query}`);
    const ready = `[data-testid=playground][data-scenario="${block}"] [data-testid=narration]`;
    // page.waitForSelector returns an ElementHandle, which DevTools keeps alive (and with it the
    // whole detached tree of the unmounted page) until it is disposed: --keep-handles keeps
    // them, as a test that never disposes them would; by default only a locator waits.
    if (opts['keep-handles']) await page.waitForSelector(ready);
    else await page.locator(ready).waitFor();
    // Let the rest of the run (chunks, the JSON download) arrive and the charts draw.
    await page.waitForTimeout(300);
    if (play) {
      await page.click('[data-testid=play]');
      await page.waitForTimeout(play);
    }
  };
  const heapAfterGc = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };

  for (let i = 0; i < warmup; i += 1) await mount();
  let prev = await heapAfterGc();
  console.log(`block ${block}${query}, ${warmup} warm-up mounts, then ${mounts}; after-GC JS heap at start: ${kib(prev)}`);
  const first = opts.snapshot ? await snapshot(cdp) : null;
  if (first) prev = await heapAfterGc();
  const start = prev;
  const deltas = [];
  for (let i = 1; i <= mounts; i += 1) {
    await mount();
    const now = await heapAfterGc();
    deltas.push(now - prev);
    console.log(`mount ${String(i).padStart(3)}: ${kib(now).padStart(12)}  Δ ${kib(now - prev).padStart(10)}`);
    prev = now;
  }
  const sorted = [...deltas].sort((a, b) => a - b);
  console.log(
    `total ${kib(prev - start)} over ${mounts} mounts: mean Δ ${kib((prev - start) / mounts)}, median Δ ${kib(sorted[Math.floor(sorted.length / 2)])}`,
  );
  if (first) {
    const second = await snapshot(cdp);
    report(first, second, mounts, Number(opts.paths ?? 3));
  }
} finally {
  await browser.close();
  await server?.close();
}

/** A heap snapshot through CDP, parsed. */
async function snapshot(session) {
  const chunks = [];
  const onChunk = (e) => chunks.push(e.chunk);
  session.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await session.send('HeapProfiler.collectGarbage');
  await session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  session.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  return graph(JSON.parse(chunks.join('')));
}

/** The snapshot as arrays: per node its type, name, edge range; per edge its type, name, target. */
function graph(s) {
  const m = s.snapshot.meta;
  const nf = m.node_fields;
  const ef = m.edge_fields;
  const N = nf.length;
  const E = ef.length;
  const nodeTypes = m.node_types[0];
  const edgeTypes = m.edge_types[0];
  const count = s.nodes.length / N;
  const iType = nf.indexOf('type');
  const iName = nf.indexOf('name');
  const iId = nf.indexOf('id');
  const iEdges = nf.indexOf('edge_count');
  const iSize = nf.indexOf('self_size');
  const iDetached = nf.indexOf('detachedness');
  const first = new Uint32Array(count + 1);
  for (let n = 0; n < count; n += 1) first[n + 1] = first[n] + s.nodes[n * N + iEdges];
  const eType = ef.indexOf('type');
  const eName = ef.indexOf('name_or_index');
  const eTo = ef.indexOf('to_node');
  const g = {
    count,
    type: (n) => nodeTypes[s.nodes[n * N + iType]],
    name: (n) => s.strings[s.nodes[n * N + iName]],
    id: (n) => s.nodes[n * N + iId],
    size: (n) => s.nodes[n * N + iSize],
    detached: (n) => (iDetached >= 0 ? s.nodes[n * N + iDetached] === 2 : g.name(n).startsWith('Detached ')),
    edges: function* (n) {
      for (let e = first[n]; e < first[n + 1]; e += 1) {
        const t = edgeTypes[s.edges[e * E + eType]];
        const raw = s.edges[e * E + eName];
        const name = t === 'element' || t === 'hidden' ? `[${raw}]` : s.strings[raw];
        yield { type: t, name, to: s.edges[e * E + eTo] / N };
      }
    },
  };
  return g;
}

/** Counts of objects by constructor name (DOM wrappers and JS objects); with `bytes`, their
 * summed self sizes instead, over every node type (strings, code, arrays included). */
function census(g, bytes = false) {
  const c = new Map();
  for (let n = 0; n < g.count; n += 1) {
    const t = g.type(n);
    if (!bytes && t !== 'object' && t !== 'native' && t !== 'closure') continue;
    const key = bytes && t !== 'object' && t !== 'native' ? t : `${t}:${g.name(n).split(' / ')[0].slice(0, 60)}`;
    c.set(key, (c.get(key) ?? 0) + (bytes ? g.size(n) : 1));
  }
  return c;
}

/** What the externref table holds, by the holder's name. */
function tableHoldings(g) {
  const out = new Map();
  for (let n = 0; n < g.count; n += 1) {
    for (const e of g.edges(n)) {
      if (e.name !== '__wbindgen_externrefs') continue;
      // The Table object keeps its entries in an internal array (a hidden edge to an `array`).
      const table = e.to;
      const entries = [...g.edges(table)].filter((t) => t.type === 'hidden' && g.type(t.to) === 'array');
      for (const t of entries.flatMap((x) => [...g.edges(x.to)])) {
        if (t.type === 'weak' || g.type(t.to) === 'hidden' || g.type(t.to) === 'number') continue;
        const key = `${g.type(t.to)}:${g.name(t.to).split(' / ')[0].slice(0, 60)}${g.detached(t.to) ? ' (detached)' : ''}`;
        out.set(key, (out.get(key) ?? 0) + 1);
      }
      return out;
    }
  }
  return null;
}

/** Shortest strong path from the GC root (node 0) to each node: predecessor edges. */
function paths(g) {
  const prevNode = new Int32Array(g.count).fill(-1);
  const prevEdge = new Array(g.count);
  prevNode[0] = 0;
  let frontier = [0];
  while (frontier.length) {
    const next = [];
    for (const n of frontier) {
      for (const e of g.edges(n)) {
        if (e.type === 'weak' || e.type === 'shortcut') continue;
        if (prevNode[e.to] !== -1) continue;
        prevNode[e.to] = n;
        prevEdge[e.to] = e;
        next.push(e.to);
      }
    }
    frontier = next;
  }
  return (target) => {
    const steps = [];
    let n = target;
    while (n !== 0 && prevNode[n] !== -1) {
      steps.push(`${g.type(n)} ${g.name(n).slice(0, 50)} @${g.id(n)}${g.detached(n) ? ' (detached)' : ''} ← ${prevEdge[n].type} ${String(prevEdge[n].name).slice(0, 40)}`);
      n = prevNode[n];
    }
    return steps.reverse();
  };
}

function diff(a, b) {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].map((k) => [k, (b.get(k) ?? 0) - (a.get(k) ?? 0)]).filter(([, d]) => d !== 0);
}

function report(a, b, n, pathCount) {
  console.log(`\nObjects that grew over the ${n} mounts (count Δ, per mount):`);
  for (const [k, d] of diff(census(a), census(b)).sort((x, y) => y[1] - x[1]).slice(0, 25)) {
    console.log(`  ${String(d).padStart(7)}  ${(d / n).toFixed(1).padStart(7)}  ${k}`);
  }
  const [ha, hb] = [tableHoldings(a), tableHoldings(b)];
  if (!ha || !hb) throw new Error('no __wbindgen_externrefs table in the snapshot: has the wasm-bindgen glue changed?');
  const total = (h) => [...h.values()].reduce((x, y) => x + y, 0);
  console.log(`\nSelf size that grew (bytes Δ, per mount; non-object nodes by type):`);
  for (const [k, d] of diff(census(a, true), census(b, true)).sort((x, y) => y[1] - x[1]).slice(0, 12)) {
    console.log(`  ${String(d).padStart(9)}  ${(d / n).toFixed(0).padStart(7)}  ${k}`);
  }
  console.log(`\nWhat __wbindgen_externrefs holds more of (it holds ${total(ha)} values, then ${total(hb)}; count Δ):`);
  const held = diff(ha, hb).sort((x, y) => y[1] - x[1]);
  if (!held.length) console.log('  (nothing)');
  for (const [k, d] of held.slice(0, 25)) console.log(`  ${String(d).padStart(7)}  ${k}`);
  // New nodes (absent from the first snapshot) to explain: detached DOM nodes, or those named
  // like --path-to.
  const want = opts['path-to'] ? (x) => b.name(x).includes(opts['path-to']) : (x) => b.detached(x) && b.type(x) === 'native';
  const detached = [];
  const oldIds = new Set();
  for (let x = 0; x < a.count; x += 1) oldIds.add(a.id(x));
  for (let x = 0; x < b.count && detached.length < 2000; x += 1) {
    if (want(x) && !oldIds.has(b.id(x))) detached.push(x);
  }
  const what = opts['path-to'] ? `nodes named like ${JSON.stringify(opts['path-to'])}` : 'detached DOM nodes';
  console.log(`\nNew ${what}: ${detached.length}${detached.length === 2000 ? '+' : ''}; retainer paths of up to ${pathCount}:`);
  const pathTo = paths(b);
  const seen = new Set();
  for (const x of detached) {
    if (seen.size >= pathCount) break;
    const p = pathTo(x);
    const key = p.slice(0, 6).map((s) => s.replace(/@\d+/, '')).join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    console.log(`  path to ${b.name(x).slice(0, 60)}:`);
    for (const s of p) console.log(`    ${s}`);
  }
}
