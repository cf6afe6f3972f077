// Bad input gives a clear message next to the field, never a blank page.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openPlayground, appUrl, textOf, useBrowser, waitForText, withPage } from './support/browser.mjs';

describe('bad parameters', () => {
  const browser = useBrowser();

  test('backends = 0 in the form shows its message and keeps the run on screen', async () => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb');
      const input = page.locator('[data-testid=param-backends]');
      await input.fill('0');
      await input.dispatchEvent('input');
      await input.dispatchEvent('change');
      await page.waitForSelector('[data-testid=param-error-backends]');
      await waitForText(page, '[data-testid=param-error-backends]', { includes: '1 to 128' });

      // Still a page: the playground and its narration remain.
      assert.ok(await page.isVisible('[data-testid=playground][data-scenario=lb]'), 'playground still visible');
      assert.ok(await page.isVisible('[data-testid=narration]'), 'narration still visible');
      assert.notEqual(await textOf(page, '[data-testid=narration]'), '', 'narration still has text');
    });
  });

  // Rules across fields are judged by the engine's own code, which the page asks synchronously
  // through the engine's bundle instantiated on the main thread (src/engine/checks.rs): the
  // message comes on the keystroke, even while the worker is busy with a long run.
  test('a rule across fields is judged at once, even while a long run computes', async () => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb?backends=3&weights=1,1,1');
      assert.equal(await page.evaluate(() => typeof globalThis.hopscopeEngine?.answer), 'function');
      // Keep the worker busy: a million requests take seconds.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      const requests = page.locator('[data-testid=param-requests]');
      await requests.fill('1000000');
      await requests.dispatchEvent('change');
      await page.waitForSelector('[data-testid=computing]');
      const weights = page.locator('[data-testid=param-weights]');
      await weights.fill('1,1');
      await weights.dispatchEvent('input');
      await weights.dispatchEvent('change');
      await waitForText(page, '[data-testid=param-error-weights]', { includes: '3 values' });
      assert.ok(await page.isVisible('[data-testid=computing]'), 'the million-request run is still computing');
      // Fixed, the message goes.
      await weights.fill('1,1,2');
      await weights.dispatchEvent('input');
      await weights.dispatchEvent('change');
      await page.waitForSelector('[data-testid=param-error-weights]', { state: 'detached' });
    });
  });

  test('a bad value in the URL names the parameter', async () => {
    await withPage(browser(), {}, async (page) => {
      await page.goto(appUrl('#/lb?backends=abc'));
      await page.waitForSelector('[data-testid=url-error]');
      await waitForText(page, '[data-testid=url-error]', { includes: 'backends' });
    });
  });
});
