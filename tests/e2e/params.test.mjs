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

  test('a bad value in the URL names the parameter', async () => {
    await withPage(browser(), {}, async (page) => {
      await page.goto(appUrl('#/lb?backends=abc'));
      await page.waitForSelector('[data-testid=url-error]');
      await waitForText(page, '[data-testid=url-error]', { includes: 'backends' });
    });
  });
});
