// The load-balancer playground: topology, animation, stepping, narration.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openPlayground, textOf, useBrowser, waitForText, withPage } from './support/browser.mjs';

describe('load-balancer playground', () => {
  const browser = useBrowser();

  test('draws the topology and animates packets when playing', async (t) => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb');
      await page.waitForSelector('svg[data-testid=topology] g[data-testid=node]', { state: 'attached' });
      const nodes = await page.$$eval('svg[data-testid=topology] g[data-testid=node]', (els) =>
        els.map((el) => el.dataset.role ?? el.dataset.node ?? el.textContent.trim()),
      );
      assert.ok(nodes.length >= 3, `expected clients, the load balancer and backends; found ${nodes.length} nodes`);
      t.diagnostic(`topology nodes: ${nodes.join(', ')}`);

      await page.click('[data-testid=play]');
      // Packets are drawn on a canvas over the SVG; it says what it drew (`hop msg x y label` a
      // line, SVG units) since pixels carry no ids.
      await page.waitForSelector('canvas[data-testid=packets][data-packets*=" "]', { state: 'attached' });

      // Follow one hop across animation frames until its drawn position changes. If it arrives
      // (disappears) first, follow another one. Bounded by frames, not by sleeping.
      const moved = await page.evaluate(
        () =>
          new Promise((resolve, reject) => {
            const drawn = () =>
              (document.querySelector('canvas[data-testid=packets]').dataset.packets ?? '')
                .split('\n')
                .filter(Boolean)
                .map((line) => {
                  const [hop, msg, x, y] = line.split(' ');
                  return { hop, msg, at: `${x} ${y}` };
                });
            let target = null;
            let frames = 0;
            const tick = () => {
              frames += 1;
              const packets = drawn();
              if (target) {
                const p = packets.find((q) => q.hop === target.hop);
                if (p && p.at !== target.before) {
                  resolve({ ...target, after: p.at, frames });
                  return;
                }
                if (!p) target = null;
              }
              if (!target && packets.length > 0) target = { hop: packets[0].hop, msg: packets[0].msg, before: packets[0].at };
              if (frames > 1200) {
                reject(new Error(`no packet moved within 1200 animation frames; last followed: ${JSON.stringify(target)}`));
                return;
              }
              requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
          }),
      );
      assert.match(moved.msg, /^\d+$/, 'packets carry their message id');
      assert.notEqual(moved.after, moved.before);
      t.diagnostic(`packet #${moved.msg} (hop ${moved.hop}) moved from ${moved.before} to ${moved.after} (${moved.frames} frames)`);
    });
  });

  test('a thousand messages in flight are a thousand packets on the canvas, each one pointable', async (t) => {
    await withPage(browser(), {}, async (page) => {
      // The frame benchmark's scene (bench/browser/frames.mjs): ≈1,000 in flight at the cursor.
      await openPlayground(
        page,
        '#/lb?rate=1000&link_ms=250&requests=24000&t=4000000&backends=10&weights=1&capacity=200&queue=1000&service_ms=10&health=off',
      );
      await page.waitForSelector('canvas[data-testid=packets][data-drawn]', { state: 'attached' });
      const seen = await page.evaluate(() => {
        const svg = document.querySelector('svg[data-testid=topology]');
        const canvas = document.querySelector('canvas[data-testid=packets]');
        const said = Number(/(\d+) messages in flight/.exec(svg.getAttribute('aria-label'))[1]);
        // The canvas pixel under each listed packet: painted, not transparent.
        const ctm = svg.getScreenCTM();
        const box = canvas.getBoundingClientRect();
        // One read of all pixels (several small reads draw a console warning).
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        const alpha = (px, py) => pixels[4 * (Math.round(py) * canvas.width + Math.round(px)) + 3];
        const painted = canvas.dataset.packets.split('\n').map((line) => {
          const [, , x, y] = line.split(' ').map(Number);
          const cx = ((ctm.a * x + ctm.e - box.left) * canvas.width) / box.width;
          const cy = ((ctm.d * y + ctm.f - box.top) * canvas.height) / box.height;
          return alpha(cx, cy) > 0;
        });
        const first = canvas.dataset.packets.split('\n')[0].split(' ');
        return {
          said,
          drawn: Number(canvas.dataset.drawn),
          painted,
          // A point of the drawing with no packet: an empty corner.
          empty: alpha(1, 1),
          first: { x: ctm.a * Number(first[2]) + ctm.e, y: ctm.d * Number(first[3]) + ctm.f, msg: first[1], label: first.slice(4).join(' ') },
          backing: [canvas.width, canvas.height, box.width, box.height, devicePixelRatio],
        };
      });
      assert.ok(seen.said > 800, `about a thousand in flight: ${seen.said}`);
      assert.equal(seen.drawn, seen.said, 'every message in flight is drawn');
      assert.ok(seen.painted.length > 0 && seen.painted.every(Boolean), `paint under every listed packet: ${seen.painted}`);
      assert.equal(seen.empty, 0, 'and none where there is no packet');
      const [bw, bh, cw, ch, dpr] = seen.backing;
      assert.ok(Math.abs(bw - cw * dpr) <= 1 && Math.abs(bh - ch * dpr) <= 1, `backing store at the device pixel ratio: ${seen.backing}`);
      // Pointing at a packet names it.
      await page.mouse.move(seen.first.x, seen.first.y);
      const tip = await waitForText(page, '[data-testid=packet-tip]', { includes: '#' });
      assert.match(tip, /#\d+$/, `a tooltip names a message: ${tip}`);
      t.diagnostic(`${seen.drawn} drawn; pointing at one says "${tip}"`);
      await page.mouse.move(1, 1);
      await page.waitForSelector('[data-testid=packet-tip]', { state: 'detached' });
    });
  });

  test('a hundred backends are a grid of marks; pointing at one shows its card', async () => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb?backends=100&weights=1&requests=2000&rate=2000');
      const marks = page.locator('svg[data-testid=topology] g.mark[data-testid=node][data-node^="backend-"]');
      await page.waitForFunction(() => document.querySelectorAll('g.mark[data-node^="backend-"]').length === 100);
      assert.equal(await page.locator('svg[data-testid=topology] [data-testid=node-detail]').count(), 0);
      await marks.nth(41).hover();
      const detail = page.locator('svg[data-testid=topology] [data-testid=node-detail]');
      await detail.waitFor();
      const name = await marks.nth(41).getAttribute('data-node');
      assert.equal(await detail.getAttribute('data-node'), name, 'the card of the mark pointed at');
      assert.match(await detail.textContent(), new RegExp(name.replace('-', ' ')));
      const mark = await marks.nth(41).boundingBox();
      assert.ok(mark.width >= 10, `a mark is big enough to point at: ${mark.width}px`);
    });
  });

  test('step forward changes the narration; step back restores it exactly', async () => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb');
      const live = await page.getAttribute('[data-testid=narration]', 'aria-live');
      assert.ok(live === 'polite' || live === 'assertive', `narration has aria-live (found ${JSON.stringify(live)})`);

      const first = await textOf(page, '[data-testid=narration]');
      await page.click('[data-testid=step-forward]');
      const second = await waitForText(page, '[data-testid=narration]', { differsFrom: first });
      assert.notEqual(second, first);
      await page.click('[data-testid=step-back]');
      await waitForText(page, '[data-testid=narration]', { equals: first });
    });
  });
});
