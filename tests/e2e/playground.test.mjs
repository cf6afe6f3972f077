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
      await page.waitForSelector('svg[data-testid=topology] g[data-testid=packet]', { state: 'attached' });

      // Follow one packet (by data-msg) across animation frames until its transform changes. If it
      // arrives (disappears) first, follow another one. Bounded by frames, not by sleeping.
      const moved = await page.evaluate(
        () =>
          new Promise((resolve, reject) => {
            let target = null;
            let frames = 0;
            const tick = () => {
              frames += 1;
              const packets = [...document.querySelectorAll('svg[data-testid=topology] g[data-testid=packet]')];
              if (target) {
                const el = packets.find((p) => p.dataset.msg === target.msg);
                if (el && el.getAttribute('transform') !== target.transform) {
                  resolve({ ...target, after: el.getAttribute('transform'), frames });
                  return;
                }
                if (!el) target = null;
              }
              if (!target && packets.length > 0) {
                const p = packets.find((q) => q.dataset.msg !== undefined) ?? packets[0];
                target = { msg: p.dataset.msg, before: p.getAttribute('transform'), transform: p.getAttribute('transform') };
              }
              if (frames > 1200) {
                reject(new Error(`no packet moved within 1200 animation frames; last followed: ${JSON.stringify(target)}`));
                return;
              }
              requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
          }),
      );
      assert.ok(moved.msg !== undefined, 'packets carry data-msg');
      assert.notEqual(moved.after, moved.before);
      t.diagnostic(`packet ${moved.msg} moved from ${moved.before} to ${moved.after} (${moved.frames} frames)`);
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
