// Compare mode on the load balancer: two runs of the same traffic side by side, one cursor.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BASE_URL, openPlayground, textOf, useBrowser, waitForText, withPage } from './support/browser.mjs';

const SIDE_A = '[data-testid=compare-side][data-side=a]';
const SIDE_B = '[data-testid=compare-side][data-side=b]';
const NARRATION_A = `${SIDE_A} [data-testid=narration]`;
const NARRATION_B = `${SIDE_B} [data-testid=narration]`;

/**
 * Follows one packet inside `root` across animation frames until its position changes (if it
 * arrives first, follows another). Bounded by frames, not by time.
 */
async function packetMoves(page, root) {
  return page.evaluate(
    (root) =>
      new Promise((resolve, reject) => {
        let target = null;
        let frames = 0;
        const tick = () => {
          frames += 1;
          // The packet canvas lists what it drew: `hop msg x y label` a line.
          const drawn = document.querySelector(`${root} canvas[data-testid=packets]`)?.dataset.packets ?? '';
          const packets = drawn.split('\n').filter(Boolean).map((line) => {
            const [hop, msg, x, y] = line.split(' ');
            return { hop, msg, at: `${x} ${y}` };
          });
          if (target) {
            const p = packets.find((q) => q.hop === target.hop);
            if (p && p.at !== target.before) {
              resolve({ ...target, after: p.at, frames });
              return;
            }
            if (!p) target = null;
          }
          if (!target && packets.length > 0) {
            target = { hop: packets[0].hop, msg: packets[0].msg, before: packets[0].at };
          }
          if (frames > 1200) {
            reject(new Error(`no packet moved in ${root} within 1200 frames; last followed: ${JSON.stringify(target)}`));
            return;
          }
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    root,
  );
}

describe('load-balancer compare mode', () => {
  const browser = useBrowser();

  test('the Compare toggle shows two labelled topologies under one cursor; stepping moves both', async () => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb');
      assert.equal(await page.locator('svg[data-testid=topology]').count(), 1);
      await page.click('[data-testid=compare-toggle]');
      await page.waitForSelector('[data-testid=compare-stage]');

      assert.equal(await page.locator('svg[data-testid=topology]').count(), 2, 'a topology per side');
      assert.equal(await page.locator('[data-testid=play]').count(), 1, 'one controls bar');
      assert.equal(await page.locator('[data-testid=scrub]').count(), 1, 'one scrub slider');
      assert.equal(await textOf(page, `${SIDE_A} [data-testid=compare-value-label]`), 'round_robin');
      assert.equal(await textOf(page, `${SIDE_B} [data-testid=compare-value-label]`), 'least_connections');
      assert.equal(await page.inputValue('[data-testid=compare-key]'), 'algorithm', 'compares by the first choice');
      await page.waitForFunction(() => location.hash.includes('compare=algorithm:least_connections'));

      // The same arrival, narrated by each algorithm.
      const a1 = await waitForText(page, NARRATION_A, { includes: 'round robin' });
      const b1 = await waitForText(page, NARRATION_B, { includes: 'least connections' });
      const step1 = await textOf(page, '[data-testid=step-index]');

      await page.click('[data-testid=step-forward]');
      const a2 = await waitForText(page, NARRATION_A, { differsFrom: a1 });
      const b2 = await waitForText(page, NARRATION_B, { differsFrom: b1 });
      assert.match(a2, /Request 2/);
      assert.match(b2, /Request 2/);
      const clock = await textOf(page, '[data-testid=clock]');
      assert.notEqual(clock, '', 'one clock');

      await page.click('[data-testid=step-back]');
      await waitForText(page, NARRATION_A, { equals: a1 });
      await waitForText(page, NARRATION_B, { equals: b1 });
      await waitForText(page, '[data-testid=step-index]', { equals: step1 });

      // Charts come in pairs with the cursor on both; the table compares the headline numbers.
      const pairs = await page.locator('[data-testid=chart-pair]').count();
      assert.ok(pairs >= 1, 'paired charts');
      assert.equal(await page.locator('[data-testid=chart-pair] canvas[data-testid=chart]').count(), 2 * pairs);
      const served = page.locator('[data-testid=compare-table] tr[data-key=served] td');
      assert.equal(await served.count(), 3, 'A, B and B − A');
      assert.equal((await served.nth(0).textContent()).trim(), '200');
      await page.waitForSelector('[data-testid=compare-table] tr[data-key="latency_us.p99"]');

      // Off again: one run, and the address forgets the comparison.
      await page.click('[data-testid=compare-toggle]');
      await page.waitForSelector('[data-testid=compare-stage]', { state: 'detached' });
      assert.equal(await page.locator('svg[data-testid=topology]').count(), 1);
      await page.waitForFunction(() => !location.hash.includes('compare='));
    });
  });

  test('playing moves a packet in both topologies', async (t) => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb?compare=algorithm:least_connections');
      await page.waitForSelector('[data-testid=compare-stage]');
      await page.click('[data-testid=play]');
      const [a, b] = await Promise.all([packetMoves(page, SIDE_A), packetMoves(page, SIDE_B)]);
      assert.notEqual(a.after, a.before);
      assert.notEqual(b.after, b.before);
      t.diagnostic(`A: packet ${a.msg} moved in ${a.frames} frames; B: packet ${b.msg} in ${b.frames}`);
    });
  });

  test('a copied compare link reproduces both sides at the same step', async (t) => {
    let copied;
    let narrations;
    let stepIndex;
    await withPage(browser(), {}, async (page) => {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });
      await openPlayground(page, '#/lb');
      await page.click('[data-testid=compare-toggle]');
      await page.waitForSelector('[data-testid=compare-value]');
      await page.selectOption('[data-testid=compare-value]', 'peak_ewma');
      await waitForText(page, `${SIDE_B} [data-testid=compare-value-label]`, { equals: 'peak_ewma' });
      for (let i = 0; i < 3; i += 1) {
        const before = await textOf(page, '[data-testid=step-index]');
        await page.click('[data-testid=step-forward]');
        await waitForText(page, '[data-testid=step-index]', { differsFrom: before });
      }
      // The address follows the view (at most one write per 250 ms): wait for this step's.
      const href = await (
        await page.waitForFunction(() => /[?&]step=3&/.test(location.hash) && location.href)
      ).jsonValue();
      narrations = [await textOf(page, NARRATION_A), await textOf(page, NARRATION_B)];
      stepIndex = await textOf(page, '[data-testid=step-index]');
      await page.click('[data-testid=copy-link]');
      await waitForText(page, '[data-testid=copy-link]', { equals: 'Link copied' });
      copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(copied, href, 'the copied link is the address of this view');
      assert.match(copied, /compare=algorithm:peak_ewma/);
    });
    t.diagnostic(`copied: ${copied}`);

    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, copied.slice(copied.indexOf('#')));
      await page.waitForSelector('[data-testid=compare-stage]');
      assert.equal(await page.inputValue('[data-testid=compare-value]'), 'peak_ewma');
      await waitForText(page, NARRATION_A, { equals: narrations[0] });
      await waitForText(page, NARRATION_B, { equals: narrations[1] });
      await waitForText(page, '[data-testid=step-index]', { equals: stepIndex });
      assert.equal(await page.locator('[data-testid=url-error]').count(), 0, 'no banner');
    });
  });

  test('a bad compare value in the link shows the banner and falls back', async () => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb?compare=algorithm:fastest');
      await waitForText(page, '[data-testid=url-error]', { includes: 'compare=algorithm:fastest' });
      await waitForText(page, '[data-testid=url-error]', { includes: 'least_connections' });
      await page.waitForSelector('[data-testid=compare-stage]');
      assert.equal(await textOf(page, `${SIDE_B} [data-testid=compare-value-label]`), 'least_connections');
    });
  });

  test('B values that cannot run are explained beside the field', async () => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb?compare=backends:3');
      await page.waitForSelector('[data-testid=compare-stage]');
      await page.fill('[data-testid=compare-value]', '0');
      await waitForText(page, '[data-testid=compare-error]', { includes: '1 to 128' });
      assert.equal(await page.locator('svg[data-testid=topology]').count(), 2, 'B keeps its last good value');
      // Four backends with the form's three weights: a rule across fields.
      await page.fill('[data-testid=compare-value]', '4');
      await waitForText(page, '[data-testid=compare-error]', { includes: 'weights' });
      await page.waitForSelector('[data-testid=compare-stage]', { state: 'detached' });
      await page.fill('[data-testid=compare-value]', '5');
      await page.fill('[data-testid=param-weights]', '1');
      await page.waitForSelector('[data-testid=compare-stage]');
      await page.waitForSelector('[data-testid=compare-error]', { state: 'detached' });
      assert.equal(await page.locator(`${SIDE_B} g[data-testid=node][data-node^="backend-"]`).count(), 5);
      assert.equal(await page.locator(`${SIDE_A} g[data-testid=node][data-node^="backend-"]`).count(), 3);
    });
  });

  test('on a phone the two sides stack and nothing overflows', async () => {
    await withPage(browser(), { viewport: { width: 375, height: 700 } }, async (page) => {
      await openPlayground(page, '#/lb?compare=algorithm:least_connections');
      await page.waitForSelector('[data-testid=compare-stage]');
      const boxes = await page.evaluate(() =>
        [...document.querySelectorAll('svg[data-testid=topology]')].map((el) => {
          const r = el.getBoundingClientRect();
          return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
        }),
      );
      assert.equal(boxes.length, 2);
      assert.ok(boxes[1].top >= boxes[0].bottom, `B below A: ${JSON.stringify(boxes)}`);
      assert.ok(boxes.every((b) => b.left >= 0 && b.right <= 375), `inside the screen: ${JSON.stringify(boxes)}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `page is ${width}px wide`);
    });
  });
});
