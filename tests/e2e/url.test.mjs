// The whole scenario lives in the URL: a copied URL reproduces the same view.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appUrl, openPlayground, textOf, useBrowser, waitForText, withPage } from './support/browser.mjs';

describe('permalink', () => {
  const browser = useBrowser();

  test('a URL copied after two steps opens the same step in a new context', async (t) => {
    let href;
    let narration;
    let stepIndex;
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb');
      const href0 = await page.evaluate(() => location.href);
      let text = await textOf(page, '[data-testid=narration]');
      let previousHref = href0;
      for (let i = 1; i <= 2; i += 1) {
        await page.click('[data-testid=step-forward]');
        text = await waitForText(page, '[data-testid=narration]', { differsFrom: text });
        // The app writes the state into the hash when stepped; wait for this step's write.
        previousHref = await (
          await page.waitForFunction((prev) => (location.href !== prev ? location.href : false), previousHref)
        ).jsonValue();
      }
      href = previousHref;
      narration = text;
      stepIndex = await textOf(page, '[data-testid=step-index]');
      assert.notEqual(stepIndex, '', 'step-index shows something');
    });
    t.diagnostic(`permalink: ${href}`);

    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, href.slice(href.indexOf('#')));
      await waitForText(page, '[data-testid=narration]', { equals: narration });
      await waitForText(page, '[data-testid=step-index]', { equals: stepIndex });
    });
  });

  test('a link to another block, followed from a block page, opens that block with its own link', async () => {
    await withPage(browser(), {}, async (page) => {
      await page.goto(appUrl('#/cache?capacity=5'));
      await page.waitForSelector('[data-testid=playground][data-scenario=cache] [data-testid=narration]');
      // As a pasted link or an <a href> would: the hash changes to another block's scenario.
      await page.evaluate(() => {
        location.hash = '#/lb?seed=2';
      });
      await page.waitForSelector('[data-testid=playground][data-scenario=lb] [data-testid=narration]');
      assert.equal(await page.$('[data-testid=url-error]'), null, 'no message about the link');
      await page.waitForFunction(() => location.hash.startsWith('#/lb?'));
      const hash = await page.evaluate(() => location.hash);
      assert.match(hash, /[?&]seed=2(&|$)/, `the link's seed stays: ${hash}`);
      assert.doesNotMatch(hash, /capacity=5|policy=/, `no cache parameter leaks into it: ${hash}`);
    });
  });
});
