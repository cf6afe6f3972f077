// The home page: the map of the 16 building blocks, ready ones linked, coming ones marked.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appUrl, useBrowser, withPage } from './support/browser.mjs';

describe('home page', () => {
  const browser = useBrowser();

  test('shows 16 block cards; ready ones link to their page, coming ones do not', async (t) => {
    await withPage(browser(), {}, async (page) => {
      await page.goto(appUrl('#/'));
      await page.waitForSelector('[data-testid=block-card]');
      const cards = await page.$$eval('[data-testid=block-card]', (els) =>
        els.map((el) => ({
          block: el.dataset.block,
          status: el.dataset.status,
          hrefs: [...el.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
          insideLink: Boolean(el.closest('a[href]')),
          text: el.textContent.trim(),
        })),
      );

      assert.equal(cards.length, 16, `expected 16 block cards, found ${cards.length}`);
      const ids = cards.map((c) => c.block);
      assert.equal(new Set(ids).size, 16, `data-block values must be distinct: ${ids.join(', ')}`);
      for (const card of cards) {
        assert.ok(
          card.status === 'ready' || card.status === 'coming',
          `card ${card.block} has data-status=${JSON.stringify(card.status)}; expected ready or coming`,
        );
        assert.notEqual(card.text, '', `card ${card.block} has no text`);
      }

      const lb = cards.find((c) => c.block === 'lb');
      assert.ok(lb, `no card with data-block=lb among: ${ids.join(', ')}`);
      assert.equal(lb.status, 'ready', 'the load-balancer card is ready');
      assert.ok(lb.hrefs.includes('#/lb'), `the lb card links to #/lb (links: ${JSON.stringify(lb.hrefs)})`);

      const coming = cards.filter((c) => c.status === 'coming');
      for (const card of coming) {
        assert.deepEqual(card.hrefs, [], `coming card ${card.block} must have no link`);
        assert.equal(card.insideLink, false, `coming card ${card.block} must not be or sit inside a link`);
      }

      const firstRender = await (
        await page.waitForFunction(() => document.body.dataset.firstRender ?? false)
      ).jsonValue();
      const ms = Number(firstRender);
      assert.ok(Number.isFinite(ms) && ms > 0, `body[data-first-render] is not a number of ms: ${firstRender}`);
      t.diagnostic(`first render of the home page: ${ms.toFixed(0)} ms after navigation start (budget 1000 ms)`);
      t.diagnostic(`cards: ${cards.length - coming.length} ready, ${coming.length} coming`);
    });
  });
});

describe('every ready block', () => {
  const browser = useBrowser();

  test('opens its playground from the home page without errors', async (t) => {
    let hrefs = [];
    await withPage(browser(), {}, async (page) => {
      await page.goto(appUrl('#/'));
      await page.waitForSelector('[data-testid=block-card]');
      hrefs = await page.$$eval('[data-testid=block-card][data-status=ready]', (els) =>
        els.map((el) => ({ block: el.dataset.block, href: el.querySelector('a[href]')?.getAttribute('href') })),
      );
    });
    assert.ok(hrefs.length > 0, 'at least one block is ready');
    for (const { block, href } of hrefs) {
      assert.ok(href?.startsWith('#/'), `ready card ${block} links to a hash route (got ${JSON.stringify(href)})`);
      await withPage(browser(), {}, async (page) => {
        await page.goto(appUrl(href));
        await page.waitForSelector(`[data-testid=playground][data-scenario="${block}"]`);
        await page.waitForSelector('[data-testid=narration]');
        await page.waitForSelector('svg[data-testid=topology] g[data-testid=node]', { state: 'attached' });
      });
      t.diagnostic(`${href}: playground rendered`);
    }
  });
});
